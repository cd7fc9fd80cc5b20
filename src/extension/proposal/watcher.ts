import { basename } from 'node:path';
import * as vscode from 'vscode';
import { trackChanges } from './logic';
import type { ProposalRegistry } from './registry';
import type { InlineProposal } from './types';

/** What the watcher does to the proposals when something changes (ProposalManager). */
export interface ProposalActions {
  readonly registry: ProposalRegistry;
  /** Takes down the proposal shown in `uri`, saying why in the log. */
  withdraw(uri: vscode.Uri, why: string): void;
  redraw(p: InlineProposal): void;
  /** Every inline proposal, and the context key (the editors on screen changed). */
  redrawAll(): void;
  updateContext(): void;
}

/**
 * Follows the documents, files, editors and tabs behind the proposals: the target range moves with the
 * user's edits; a proposal whose document closes, whose file is deleted or renamed, or whose last tab
 * closes is withdrawn; an edit that crosses into the range from the statement above withdraws it too.
 */
export function watchProposals(a: ProposalActions): vscode.Disposable[] {
  const withdrawTarget = (uri: vscode.Uri, why: string) => {
    a.withdraw(uri, why);
    for (const p of a.registry.all()) if (p.kind === 'new' && p.target?.toString() === uri.toString()) a.withdraw(p.uri, why);
  };
  return [
    vscode.workspace.onDidChangeTextDocument((e) => onEdit(a, e)),
    vscode.window.onDidChangeVisibleTextEditors(() => a.redrawAll()),
    vscode.window.onDidChangeActiveTextEditor(() => a.updateContext()),
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (e.closed.length) dropUnshown(a);
      a.redrawAll(); // a Compare view opened or closed: its left side shows the file, undecorated
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => a.withdraw(doc.uri, 'the document was closed')),
    vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((f) => withdrawTarget(f, 'the file was deleted'))),
    vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => withdrawTarget(f.oldUri, 'the file was renamed'))),
  ];
}

/** A file on disk deleted behind VS Code's back (another program, a `git checkout`): `onDelete` runs. */
export function watchDeletion(uri: vscode.Uri, onDelete: () => void): vscode.Disposable {
  const pattern = new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), basename(uri.fsPath));
  const watcher = vscode.workspace.createFileSystemWatcher(pattern, true, true, false);
  watcher.onDidDelete(onDelete);
  return watcher;
}

function onEdit(a: ProposalActions, e: vscode.TextDocumentChangeEvent): void {
  const p = a.registry.get(e.document.uri);
  if (!p || p.kind !== 'inline' || !e.contentChanges.length) return;
  const next = trackChanges(p.range, p.touched, e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })));
  p.range = next.range;
  p.touched = next.touched;
  if (p.touched === 'crossing') {
    a.withdraw(p.uri, 'the statement and the code were edited together');
    void vscode.window.showInformationMessage('MapCoder-Lite withdrew its proposal: the statement and the code around it were edited together. The program is still in the Agents panel.');
    return;
  }
  a.redraw(p);
}

/** Closing the last tab of a proposal's document withdraws it (the document itself may stay loaded). */
function dropUnshown(a: ProposalActions): void {
  const open = new Set<string>();
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) {
      if (t.input instanceof vscode.TabInputText) open.add(t.input.uri.toString());
      else if (t.input instanceof vscode.TabInputTextDiff) open.add(t.input.modified.toString()).add(t.input.original.toString());
    }
  }
  for (const p of a.registry.all()) if (!open.has(p.uri.toString())) a.withdraw(p.uri, 'its editor was closed');
}
