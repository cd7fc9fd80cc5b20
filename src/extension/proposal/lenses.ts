import * as vscode from 'vscode';
import { keepAnyway, keepLabel } from '../../run-state';
import type { RunStore } from '../state/run-store';
import { anchorRange } from './decorations';
import type { ProposalRegistry } from './registry';
import { PROPOSAL_SCHEME } from './types';

/** CodeLens above a proposal: Accept (Keep anyway for a program that fails tests), Reject, Compare, the run. */
export class ProposalLenses implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly registry: ProposalRegistry, private readonly store: RunStore) {
    const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: PROPOSAL_SCHEME }];
    this.registration = vscode.languages.registerCodeLensProvider(selector, {
      onDidChangeCodeLenses: this.changed.event,
      provideCodeLenses: (doc) => this.lenses(doc),
    });
  }

  /** A proposal came, went, or moved: VS Code asks for the lenses again. */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  private lenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.registry.get(doc.uri);
    if (!p) return [];
    const at = p.kind === 'inline' ? anchorRange(p, doc) : new vscode.Range(0, 0, 0, 0);
    const status = this.store.get(p.runId)?.status ?? 'passed';
    const lenses = [
      keepAnyway(status)
        ? new vscode.CodeLens(at, { title: keepLabel(status), command: 'mapcoderLite.accept', arguments: [p.runId], tooltip: status === 'unverified' ? 'Its outputs differ from the samples\' where any valid answer is accepted, and no checker could tell: apply it all the same (one undo step)' : 'It does not pass every test: apply it all the same (one undo step)' })
        : new vscode.CodeLens(at, { title: '✓ Accept', command: 'mapcoderLite.accept', arguments: [p.runId], tooltip: 'Apply the proposed program (one undo step)' }),
      new vscode.CodeLens(at, { title: '✗ Reject', command: 'mapcoderLite.reject', arguments: [p.runId], tooltip: 'Discard the proposal; the file stays as it is' }),
    ];
    if (p.kind === 'inline') {
      lenses.push(new vscode.CodeLens(at, { title: '⇄ Compare', command: 'mapcoderLite.compareProposal', arguments: [p.runId], tooltip: 'Open the whole change in a diff editor' }));
    }
    lenses.push(new vscode.CodeLens(at, { title: `MapCoder-Lite: ${p.summary}`, command: 'mapcoderLite.showRun', arguments: [p.runId] }));
    return lenses;
  }
}
