import { basename } from 'node:path';
import * as vscode from 'vscode';
import { LANGS } from '../core/judge/languages';
import type { Lang } from '../core/types';
import { applyEdits, diffText } from './diff';
import { addedLineCount, decideAccept, decorationPlan, INLINE_PREVIEW_LINES, inlinePreview, trackChanges, type OffsetRange, type Touch } from './proposal-logic';
import type { RunStore } from './state/run-store';
import { keepAnyway } from '../protocol/run-state';
import { fileExists, languageIdOf } from './target';

// The final program, proposed inside the target editor without touching the document: lines it would
// remove are struck through, lines it would add are shown after their neighbouring line (all of them
// in the hover and in "Compare"), with CodeLens Accept / Reject above. Accept applies ONE WorkspaceEdit.
// A program for a file that does not exist yet is shown in a read-only preview document instead.

export const PROPOSAL_SCHEME = 'mapcoder-lite-proposal';
const CONTEXT_KEY = 'mapcoderLite.proposalVisible';

interface BaseProposal {
  runId: string;
  lang: Lang;
  /** "passes 3/3 samples": shown in the CodeLens. */
  summary: string;
}

/** A change to an existing document: `range` is the text it replaces, followed through the user's edits. */
interface InlineProposal extends BaseProposal {
  kind: 'inline';
  uri: vscode.Uri;
  range: OffsetRange;
  touched: Touch;
  proposed: string;
  watcher?: vscode.Disposable;
}

/** A new file (created on Accept) or an untitled document, previewed in a read-only virtual document. */
interface NewFileProposal extends BaseProposal {
  kind: 'new';
  /** The preview document. */
  uri: vscode.Uri;
  /** undefined: an untitled document. */
  target?: vscode.Uri;
  proposed: string;
}

type Proposal = InlineProposal | NewFileProposal;

export class ProposalManager implements vscode.Disposable {
  /** By the URI of the document that shows them. */
  private readonly proposals = new Map<string, Proposal>();
  /** Read-only texts served under PROPOSAL_SCHEME: previews of new files and Compare views. */
  private readonly virtualDocs = new Map<string, string>();
  private readonly lensChanged = new vscode.EventEmitter<void>();
  private readonly acceptedRun = new vscode.EventEmitter<string>();
  /** Fires with the run id once a proposal was applied. */
  readonly onDidAccept = this.acceptedRun.event;
  private readonly virtualChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly removedType = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    textDecoration: 'line-through',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly addedType = vscode.window.createTextEditorDecorationType({
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: RunStore, private readonly log: vscode.LogOutputChannel) {
    const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: PROPOSAL_SCHEME }];
    this.disposables.push(
      this.removedType,
      this.addedType,
      this.lensChanged,
      this.acceptedRun,
      this.virtualChanged,
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
        onDidChange: this.virtualChanged.event,
        provideTextDocumentContent: (uri) => this.virtualDocs.get(uri.toString()) ?? '',
      }),
      vscode.languages.registerCodeLensProvider(selector, {
        onDidChangeCodeLenses: this.lensChanged.event,
        provideCodeLenses: (doc) => this.lenses(doc),
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redecorateAll()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.length) this.dropUnshown();
        this.redecorateAll(); // a Compare view opened or closed: its left side shows the file, undecorated
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.withdraw(doc.uri, 'the document was closed')),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((f) => this.withdrawTarget(f, 'the file was deleted'))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => this.withdrawTarget(f.oldUri, 'the file was renamed'))),
    );
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
    if (o.doc.uri.scheme === 'file') {
      const pattern = new vscode.RelativePattern(vscode.Uri.joinPath(o.doc.uri, '..'), basename(o.doc.uri.fsPath));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern, true, true, false);
      watcher.onDidDelete(() => this.withdraw(p.uri, 'the file was deleted'));
      p.watcher = watcher;
    }
    this.proposals.set(o.doc.uri.toString(), p);
    this.redecorate(p);
    editor.revealRange(this.anchorRange(p, o.doc), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.shown(p);
    // More added lines than the inline preview shows: the whole change is easier to read in a diff.
    if (addedLineCount(o.doc.getText().slice(o.range.start, o.range.end), o.proposed) > INLINE_PREVIEW_LINES) await this.compare(o.runId);
  }

  /** Previews a program for a file that does not exist yet (`target`), or for a new untitled document. */
  async showNewFile(o: { runId: string; lang: Lang; summary: string; target?: vscode.Uri; proposed: string }): Promise<void> {
    if (o.target) this.clearFile(o.target);
    // The tab says it is a proposal, not the file; the language is set on the document for highlighting.
    const name = o.target ? basename(o.target.fsPath) : `solution${LANGS[o.lang].extensions[0]}`;
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${name} (proposed)`, query: `run=${o.runId}` });
    this.virtualDocs.set(uri.toString(), o.proposed);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), languageIdOf(o.lang));
    await vscode.window.showTextDocument(doc, { viewColumn: proposalColumn(), preview: false, preserveFocus: true });
    const p: NewFileProposal = { kind: 'new', runId: o.runId, lang: o.lang, summary: o.summary, uri: doc.uri, target: o.target, proposed: o.proposed };
    this.proposals.set(uri.toString(), p);
    this.shown(p);
  }

  /** Removes the proposal shown for (or targeting) this file, e.g. when a new run starts on it. */
  clearFile(uri: vscode.Uri): void {
    for (const p of this.all()) {
      if (p.uri.toString() === uri.toString() || (p.kind === 'new' && p.target?.toString() === uri.toString())) this.remove(p, 'stale');
    }
  }

  has(runId: string): boolean {
    return this.all().some((p) => p.runId === runId);
  }

  async accept(ref?: string): Promise<void> {
    const p = await this.find(ref, 'accept');
    if (!p) return;
    const done = p.kind === 'inline' ? await this.acceptInline(p) : await this.acceptNew(p);
    if (!done) return;
    this.remove(p, 'accepted');
    this.acceptedRun.fire(p.runId);
  }

  async reject(ref?: string): Promise<void> {
    const p = await this.find(ref, 'reject');
    if (p) this.remove(p, 'rejected');
  }

  dispose(): void {
    // Decorations go with their types; the run store marks proposals that were showing as stale on reload.
    for (const p of this.all()) if (p.kind === 'inline') p.watcher?.dispose();
    this.proposals.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
  }

  private all(): Proposal[] {
    return [...this.proposals.values()];
  }

  /** By run id (panel, CodeLens), else the proposal in the active editor, else the only one, else ask. */
  private async find(ref: string | undefined, verb: string): Promise<Proposal | undefined> {
    const all = this.all();
    if (ref) {
      const p = all.find((x) => x.runId === ref);
      if (!p) void vscode.window.showInformationMessage('That proposal is no longer showing.');
      return p;
    }
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const here = active ? this.proposals.get(active) : undefined;
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

  private async acceptInline(p: InlineProposal): Promise<boolean> {
    const doc = await vscode.workspace.openTextDocument(p.uri);
    for (;;) {
      // Deleted or renamed behind VS Code's back, the file's buffer stays open until the watcher reports
      // it: an edit there would change an orphan that a save (or auto save) writes back as a new file.
      if (p.uri.scheme === 'file' && !(await fileExists(p.uri))) {
        this.withdraw(p.uri, 'the file is gone from disk');
        void vscode.window.showInformationMessage('MapCoder-Lite withdrew its proposal: the file was deleted or renamed. The program is still in the Agents panel.');
        return false;
      }
      const version = doc.version;
      const decision = decideAccept(p.proposed, doc.getText().slice(p.range.start, p.range.end), p.touched);
      if (decision.kind === 'refuse') {
        void vscode.window.showWarningMessage(`MapCoder-Lite: not applied. ${decision.reason} Reject the proposal or solve again.`, { modal: true });
        return false;
      }
      if (decision.kind === 'nothing') return true;
      if (decision.kind === 'ask') {
        const answer = await vscode.window.showWarningMessage(
          'You edited the code this proposal replaces. Replace your edits with the proposed program?',
          { modal: true, detail: 'The proposal was re-compared with the current text; Undo brings your version back.' },
          'Replace',
        );
        if (answer !== 'Replace') return false;
        if (doc.version !== version) continue; // edited again while the question showed: decide afresh
        p.touched = 'none';
        continue;
      }
      const edit = new vscode.WorkspaceEdit();
      for (const e of decision.edits) {
        edit.replace(p.uri, new vscode.Range(doc.positionAt(p.range.start + e.start), doc.positionAt(p.range.start + e.end)), e.text);
      }
      const ok = await vscode.workspace.applyEdit(edit);
      if (!ok) void vscode.window.showErrorMessage('MapCoder-Lite: VS Code refused the edit (is the file read-only?).');
      else this.log.info(`Accepted run ${p.runId} into ${p.uri.toString(true)} (${decision.edits.length} change(s)).`);
      return ok;
    }
  }

  private async acceptNew(p: NewFileProposal): Promise<boolean> {
    if (!p.target) {
      const doc = await vscode.workspace.openTextDocument({ language: languageIdOf(p.lang), content: p.proposed });
      await vscode.window.showTextDocument(doc, { preview: false });
      return true;
    }
    const edit = new vscode.WorkspaceEdit();
    if (await fileExists(p.target)) {
      const answer = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(p.target)} was created after this proposal was made. Replace its contents with the proposed program?`,
        { modal: true },
        'Replace',
      );
      if (answer !== 'Replace') return false;
      const doc = await vscode.workspace.openTextDocument(p.target);
      edit.replace(p.target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), p.proposed);
    } else {
      // One edit: create the file and put the program in it (one undo step).
      edit.createFile(p.target, { ignoreIfExists: false });
      edit.insert(p.target, new vscode.Position(0, 0), p.proposed);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`MapCoder-Lite: could not create ${vscode.workspace.asRelativePath(p.target)}.`);
      return false;
    }
    // A new file is written to disk at once: an Accept that left it empty on disk until a save would surprise.
    const created = await vscode.workspace.openTextDocument(p.target);
    if (created.isDirty && !(await created.save())) void vscode.window.showWarningMessage(`MapCoder-Lite: ${vscode.workspace.asRelativePath(p.target)} is created but not saved yet.`);
    await vscode.window.showTextDocument(p.target, { preview: false });
    this.log.info(`Accepted run ${p.runId} into ${p.target.toString(true)}.`);
    return true;
  }

  private remove(p: Proposal, status: 'accepted' | 'rejected' | 'stale', closePreview = true): void {
    const key = p.uri.toString();
    if (this.proposals.get(key) !== p) return;
    this.proposals.delete(key);
    if (p.kind === 'inline') {
      p.watcher?.dispose();
      this.virtualDocs.delete(compareUri(p).toString());
      for (const e of this.editorsOf(p.uri)) {
        e.setDecorations(this.removedType, []);
        e.setDecorations(this.addedType, []);
      }
    } else {
      this.virtualDocs.delete(key);
      if (closePreview) void closeTabs(p.uri);
    }
    this.store.markProposal(p.runId, status);
    this.lensChanged.fire();
    this.updateContext();
  }

  private withdraw(uri: vscode.Uri, why: string): void {
    const p = this.proposals.get(uri.toString());
    if (!p) return;
    this.log.info(`Proposal of run ${p.runId} withdrawn: ${why}.`);
    this.remove(p, 'stale', false);
  }

  private withdrawTarget(uri: vscode.Uri, why: string): void {
    this.withdraw(uri, why);
    for (const p of this.all()) if (p.kind === 'new' && p.target?.toString() === uri.toString()) this.withdraw(p.uri, why);
  }

  /** Closing the last tab of a proposal's document withdraws it (the document itself may stay loaded). */
  private dropUnshown(): void {
    const open = new Set<string>();
    for (const g of vscode.window.tabGroups.all) {
      for (const t of g.tabs) {
        if (t.input instanceof vscode.TabInputText) open.add(t.input.uri.toString());
        else if (t.input instanceof vscode.TabInputTextDiff) open.add(t.input.modified.toString()).add(t.input.original.toString());
      }
    }
    for (const p of this.all()) if (!open.has(p.uri.toString())) this.withdraw(p.uri, 'its editor was closed');
  }

  private shown(p: Proposal): void {
    this.store.markProposal(p.runId, 'showing');
    this.lensChanged.fire();
    this.updateContext();
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const p = this.proposals.get(e.document.uri.toString());
    if (!p || p.kind !== 'inline' || !e.contentChanges.length) return;
    const next = trackChanges(p.range, p.touched, e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })));
    p.range = next.range;
    p.touched = next.touched;
    if (p.touched === 'crossing') {
      this.withdraw(p.uri, 'the statement and the code were edited together');
      void vscode.window.showInformationMessage('MapCoder-Lite withdrew its proposal: the statement and the code around it were edited together. The program is still in the Agents panel.');
      return;
    }
    this.redecorate(p);
  }

  private redecorateAll(): void {
    for (const p of this.all()) if (p.kind === 'inline') this.redecorate(p);
    this.updateContext();
  }

  /** Re-diffs against the current text of the range, so what is shown is always what Accept would do. */
  private redecorate(p: InlineProposal): void {
    const editors = this.editorsOf(p.uri);
    if (!editors.length) return;
    const doc = editors[0].document;
    const current = doc.getText().slice(p.range.start, p.range.end);
    const plan = decorationPlan(diffText(current, p.proposed), doc.positionAt(p.range.start));
    const removed = plan.removed.map((line) => ({ range: doc.lineAt(Math.min(line, doc.lineCount - 1)).range }));
    const added = plan.added.map((block): vscode.DecorationOptions => {
      const line = doc.lineAt(Math.min(block.line, doc.lineCount - 1));
      const at = block.where === 'after' ? line.range.end : line.range.start;
      const content: vscode.ThemableDecorationAttachmentRenderOptions = {
        contentText: inlinePreview(block.lines),
        color: new vscode.ThemeColor('editorGhostText.foreground'),
        backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
        fontStyle: 'italic',
        margin: block.where === 'after' ? '0 0 0 2em' : '0 1em 0 0',
      };
      const hover = new vscode.MarkdownString(`**MapCoder-Lite adds ${block.lines.length} line${block.lines.length === 1 ? '' : 's'} here:**`);
      hover.appendCodeblock(block.lines.join('\n'), languageIdOf(p.lang));
      return { range: new vscode.Range(at, at), hoverMessage: hover, renderOptions: block.where === 'after' ? { after: content } : { before: content } };
    });
    for (const e of editors) {
      e.setDecorations(this.removedType, removed);
      e.setDecorations(this.addedType, added);
    }
    this.lensChanged.fire();
  }

  private lenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.proposals.get(doc.uri.toString());
    if (!p) return [];
    const at = p.kind === 'inline' ? this.anchorRange(p, doc) : new vscode.Range(0, 0, 0, 0);
    const lenses = [
      keepAnyway(this.store.get(p.runId)?.status ?? 'passed')
        ? new vscode.CodeLens(at, { title: 'Keep anyway', command: 'mapcoderLite.accept', arguments: [p.runId], tooltip: 'It does not pass every test: apply it all the same (one undo step)' })
        : new vscode.CodeLens(at, { title: '✓ Accept', command: 'mapcoderLite.accept', arguments: [p.runId], tooltip: 'Apply the proposed program (one undo step)' }),
      new vscode.CodeLens(at, { title: '✗ Reject', command: 'mapcoderLite.reject', arguments: [p.runId], tooltip: 'Discard the proposal; the file stays as it is' }),
    ];
    if (p.kind === 'inline') {
      lenses.push(new vscode.CodeLens(at, { title: '⇄ Compare', command: 'mapcoderLite.compareProposal', arguments: [p.runId], tooltip: 'Open the whole change in a diff editor' }));
    }
    lenses.push(new vscode.CodeLens(at, { title: `MapCoder-Lite: ${p.summary}`, command: 'mapcoderLite.showRun', arguments: [p.runId] }));
    return lenses;
  }

  /** Opens a diff editor: the document now, and the document as Accept would leave it. */
  async compare(runId: string): Promise<void> {
    const p = this.all().find((x) => x.runId === runId);
    if (!p || p.kind !== 'inline') return;
    const doc = await vscode.workspace.openTextDocument(p.uri);
    const text = doc.getText();
    const after = applyEdits(text, [{ start: p.range.start, end: p.range.end, text: p.proposed }]);
    const uri = compareUri(p);
    this.virtualDocs.set(uri.toString(), after);
    this.virtualChanged.fire(uri);
    await vscode.commands.executeCommand('vscode.diff', p.uri, uri, `${basename(p.uri.path)} ↔ MapCoder-Lite proposal`, { preview: true });
  }

  private anchorRange(p: InlineProposal, doc: vscode.TextDocument): vscode.Range {
    const start = doc.positionAt(p.range.start);
    // An insertion at the very start of the range is shown on the line above it: put the lens there too.
    const line = start.line > 0 && start.character === 0 && p.range.start === p.range.end ? start.line - 1 : start.line;
    return new vscode.Range(line, 0, line, 0);
  }

  /**
   * The editors that show the file itself. The left side of a diff of the file (the Compare view) is
   * left out: the change is already drawn there, and a ghost line on top of it would show it twice.
   */
  private editorsOf(uri: vscode.Uri): vscode.TextEditor[] {
    const key = uri.toString();
    const diffColumns = new Set(vscode.window.tabGroups.all
      .filter((g) => g.activeTab?.input instanceof vscode.TabInputTextDiff && g.activeTab.input.original.toString() === key)
      .map((g) => g.viewColumn));
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key && !(e.viewColumn !== undefined && diffColumns.has(e.viewColumn)));
  }

  private updateContext(): void {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, active !== undefined && this.proposals.has(active));
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

function compareUri(p: InlineProposal): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${basename(p.uri.path)}`, query: `compare=${p.runId}` });
}


async function closeTabs(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}
