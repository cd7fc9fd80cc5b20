import { basename } from 'node:path';
import * as vscode from 'vscode';
import { LANGS } from '../../core/judge/languages';
import type { Lang } from '../../core/types';
import type { RunStore } from '../state/run-store';
import { languageIdOf } from '../target';
import { acceptInline, acceptNewFile } from './accept';
import { compareUri, openCompare } from './compare';
import { anchorRange, ProposalDecorations } from './decorations';
import { ProposalLenses } from './lenses';
import { addedLineCount, INLINE_PREVIEW_LINES, type OffsetRange } from './logic';
import { ProposalRegistry } from './registry';
import { PROPOSAL_SCHEME, type InlineProposal, type NewFileProposal, type Proposal, type ProposalEnd } from './types';
import { VirtualDocuments } from './virtual-docs';
import { watchDeletion, watchProposals } from './watcher';

// The final program, proposed inside the target editor without touching the document (decorations.ts),
// with CodeLens Accept / Reject above it (lenses.ts); Accept applies ONE WorkspaceEdit (accept.ts). A
// program for a file that does not exist yet is shown in a read-only preview document instead. The
// proposals showing are in registry.ts; watcher.ts withdraws them when their document goes.

const CONTEXT_KEY = 'mapcoderLite.proposalVisible';

export class ProposalManager implements vscode.Disposable {
  private readonly registry: ProposalRegistry;
  private readonly docs = new VirtualDocuments();
  private readonly decorations = new ProposalDecorations();
  private readonly lenses: ProposalLenses;
  private readonly acceptedRun = new vscode.EventEmitter<string>();
  /** Fires with the run id once a proposal was applied. */
  readonly onDidAccept = this.acceptedRun.event;
  private readonly disposables: vscode.Disposable[];

  constructor(store: RunStore, private readonly log: vscode.LogOutputChannel) {
    this.registry = new ProposalRegistry(store);
    this.lenses = new ProposalLenses(this.registry, store);
    this.disposables = [
      this.decorations,
      this.lenses,
      this.acceptedRun,
      this.docs,
      this.registry.onDidChange(() => {
        this.lenses.refresh();
        this.updateContext();
      }),
      ...watchProposals({
        registry: this.registry,
        withdraw: (uri, why) => this.withdraw(uri, why),
        redraw: (p) => this.redraw(p),
        redrawAll: () => this.redrawAll(),
        updateContext: () => this.updateContext(),
      }),
    ];
  }

  /** Shows `proposed` as a change of `range` in `doc`; the document is not modified. */
  async showInline(o: { runId: string; lang: Lang; summary: string; doc: vscode.TextDocument; range: OffsetRange; proposed: string }): Promise<void> {
    this.clearFile(o.doc.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === o.doc.uri.toString());
    const editor = visible ?? (await vscode.window.showTextDocument(o.doc, { viewColumn: proposalColumn(), preview: false, preserveFocus: true }));
    // Registered once its editor shows, so the tab changes of opening it cannot withdraw it.
    const p: InlineProposal = {
      kind: 'inline', runId: o.runId, lang: o.lang, summary: o.summary, uri: o.doc.uri, range: o.range, touched: 'none', proposed: o.proposed,
    };
    if (o.doc.uri.scheme === 'file') p.watcher = watchDeletion(o.doc.uri, () => this.withdraw(p.uri, 'the file was deleted'));
    this.registry.add(p);
    this.redraw(p);
    editor.revealRange(anchorRange(p, o.doc), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    // More added lines than the inline preview shows: the whole change is easier to read in a diff.
    if (addedLineCount(o.doc.getText().slice(o.range.start, o.range.end), o.proposed) > INLINE_PREVIEW_LINES) await this.compare(o.runId);
  }

  /** Previews a program for a file that does not exist yet (`target`), or for a new untitled document. */
  async showNewFile(o: { runId: string; lang: Lang; summary: string; target?: vscode.Uri; proposed: string }): Promise<void> {
    if (o.target) this.clearFile(o.target);
    // The tab says it is a proposal, not the file; the language is set on the document for highlighting.
    const name = o.target ? basename(o.target.fsPath) : `solution${LANGS[o.lang].extensions[0]}`;
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${name} (proposed)`, query: `run=${o.runId}` });
    this.docs.set(uri, o.proposed);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), languageIdOf(o.lang));
    await vscode.window.showTextDocument(doc, { viewColumn: proposalColumn(), preview: false, preserveFocus: true });
    const p: NewFileProposal = { kind: 'new', runId: o.runId, lang: o.lang, summary: o.summary, uri: doc.uri, target: o.target, proposed: o.proposed };
    this.registry.add(p);
  }

  /** Removes the proposal shown for (or targeting) this file, e.g. when a new run starts on it. */
  clearFile(uri: vscode.Uri): void {
    for (const p of this.registry.all()) {
      if (p.uri.toString() === uri.toString() || (p.kind === 'new' && p.target?.toString() === uri.toString())) this.remove(p, 'stale');
    }
  }

  has(runId: string): boolean {
    return this.registry.ofRun(runId) !== undefined;
  }

  async accept(ref?: string): Promise<void> {
    const p = await this.registry.choose(ref, 'accept');
    if (!p) return;
    const done = p.kind === 'inline' ? await acceptInline(p, this.log, (why) => this.withdraw(p.uri, why)) : await acceptNewFile(p, this.log);
    if (!done) return;
    this.remove(p, 'accepted');
    this.acceptedRun.fire(p.runId);
  }

  async reject(ref?: string): Promise<void> {
    const p = await this.registry.choose(ref, 'reject');
    if (p) this.remove(p, 'rejected');
  }

  /** Opens a diff editor: the document now, and the document as Accept would leave it. */
  async compare(runId: string): Promise<void> {
    const p = this.registry.ofRun(runId);
    if (p?.kind === 'inline') await openCompare(p, this.docs);
  }

  dispose(): void {
    // Decorations go with their types; the run store marks proposals that were showing as stale on reload.
    this.registry.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
  }

  private withdraw(uri: vscode.Uri, why: string): void {
    const p = this.registry.get(uri);
    if (!p) return;
    this.log.info(`Proposal of run ${p.runId} withdrawn: ${why}.`);
    this.remove(p, 'stale', false);
  }

  private redraw(p: InlineProposal): void {
    if (this.decorations.draw(p)) this.lenses.refresh();
  }

  private redrawAll(): void {
    for (const p of this.registry.all()) if (p.kind === 'inline') this.redraw(p);
    this.updateContext();
  }

  private updateContext(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, active !== undefined && this.registry.get(active) !== undefined);
  }

  private remove(p: Proposal, end: ProposalEnd, closePreview = true): void {
    if (!this.registry.delete(p, end)) return;
    if (p.kind === 'inline') {
      p.watcher?.dispose();
      this.docs.delete(compareUri(p));
      this.decorations.clear(p);
    } else {
      this.docs.delete(p.uri);
      if (closePreview) void closeTabs(p.uri);
    }
  }
}

/**
 * Where a proposal opens: beside the editor the user works in, reusing a group that is already there
 * (so solve after solve does not add groups and squeeze the panel) and opening a second only when there is one.
 */
function proposalColumn(): vscode.ViewColumn {
  const groups = vscode.window.tabGroups.all;
  const active = vscode.window.tabGroups.activeTabGroup;
  const other = [...groups].reverse().find((g) => g !== active);
  return other?.viewColumn ?? vscode.ViewColumn.Beside;
}

async function closeTabs(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}
