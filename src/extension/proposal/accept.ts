import * as vscode from 'vscode';
import { fileExists, languageIdOf } from '../target';
import { decideAccept } from './logic';
import type { InlineProposal, NewFileProposal } from './types';

// Accept: ONE WorkspaceEdit (one undo step) that never overwrites what the user changed meanwhile
// without asking. Each returns whether the program went in.

/**
 * Into the document: the edits are re-computed against the range's current text; edits the user made
 * there are replaced only when they say so, and a document edited while the question showed is
 * decided afresh. `withdraw` takes the proposal down when its file is gone.
 */
export async function acceptInline(p: InlineProposal, log: vscode.LogOutputChannel, withdraw: (why: string) => void): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(p.uri);
  for (;;) {
    // Deleted or renamed behind VS Code's back, the file's buffer stays open until the watcher reports
    // it: an edit there would change an orphan that a save (or auto save) writes back as a new file.
    if (p.uri.scheme === 'file' && !(await fileExists(p.uri))) {
      withdraw('the file is gone from disk');
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
    else log.info(`Accepted run ${p.runId} into ${p.uri.toString(true)} (${decision.edits.length} change(s)).`);
    return ok;
  }
}

/** A new file, created and written to disk (asking first if one appeared meanwhile), or a new untitled document. */
export async function acceptNewFile(p: NewFileProposal, log: vscode.LogOutputChannel): Promise<boolean> {
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
  log.info(`Accepted run ${p.runId} into ${p.target.toString(true)}.`);
  return true;
}
