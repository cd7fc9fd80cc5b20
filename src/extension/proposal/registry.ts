import * as vscode from 'vscode';
import type { RunStore } from '../state/run-store';
import type { Proposal, ProposalEnd } from './types';

/**
 * The proposals showing, by the URI of the document that shows them, each reported to the run store
 * as it starts and stops showing. Fires `onDidChange` after either, for the CodeLens and the context key.
 */
export class ProposalRegistry implements vscode.Disposable {
  private readonly byDoc = new Map<string, Proposal>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: RunStore) {}

  get(uri: vscode.Uri | string): Proposal | undefined {
    return this.byDoc.get(uri.toString());
  }

  all(): Proposal[] {
    return [...this.byDoc.values()];
  }

  ofRun(runId: string): Proposal | undefined {
    return this.all().find((p) => p.runId === runId);
  }

  add(p: Proposal): void {
    this.byDoc.set(p.uri.toString(), p);
    this.store.markProposal(p.runId, 'showing');
    this.changed.fire();
  }

  /** Takes `p` out (false when it is no longer the one showing there) and records how it ended. */
  delete(p: Proposal, end: ProposalEnd): boolean {
    const key = p.uri.toString();
    if (this.byDoc.get(key) !== p) return false;
    this.byDoc.delete(key);
    this.store.markProposal(p.runId, end);
    this.changed.fire();
    return true;
  }

  /** By run id (panel, CodeLens), else the proposal in the active editor, else the only one, else ask. */
  async choose(ref: string | undefined, verb: string): Promise<Proposal | undefined> {
    const all = this.all();
    if (ref) {
      const p = this.ofRun(ref);
      if (!p) void vscode.window.showInformationMessage('That proposal is no longer showing.');
      return p;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const here = active ? this.get(active) : undefined;
    if (here) return here;
    if (all.length <= 1) {
      if (!all.length) void vscode.window.showInformationMessage('No MapCoder-Lite proposal is showing.');
      return all[0];
    }
    const pick = await vscode.window.showQuickPick(
      all.map((p) => ({ label: vscode.workspace.asRelativePath(p.kind === 'new' ? (p.target ?? p.uri) : p.uri), description: p.summary, p })),
      { title: `MapCoder-Lite: ${verb} which proposal?` },
    );
    return pick?.p;
  }

  /** Forgets every proposal without recording an end: the run store marks those that showed as stale on reload. */
  dispose(): void {
    for (const p of this.byDoc.values()) if (p.kind === 'inline') p.watcher?.dispose();
    this.byDoc.clear();
    this.changed.dispose();
  }
}
