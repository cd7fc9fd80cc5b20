import * as vscode from 'vscode';
import type { RunLifecycle } from '../run/lifecycle';
import type { Services } from '../services';
import { resolveTarget } from '../target';
import { statementMissing } from '../../core/companion/files';
import { sampleCount } from '../../core/problem';
import { ensureTrusted, guardTarget } from '../user-guards';

/** Solve (or Solve Selection): the problem in the active editor, after a warning when it has no samples. */
export async function solveActiveEditor(s: Services, runs: RunLifecycle, useSelection: boolean): Promise<void> {
  if (!ensureTrusted()) return;
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('MapCoder-Lite: open a problem statement (.md/.txt) or a source file whose first comment is the statement.');
    return;
  }
  const settings = s.settings.read();
  const target = await guardTarget(() => resolveTarget({ doc: editor.document, selection: useSelection ? editor.selection : undefined, defaultLanguage: settings.defaultLanguage }));
  if (!target) return;
  if (!sampleCount(target.problem)) {
    const go = await vscode.window.showWarningMessage(
      `No sample tests found in "${target.title}". Without samples nothing can be tested or debugged; the answer would be the first program that compiles.`,
      { modal: true },
      'Solve Anyway',
    );
    if (go !== 'Solve Anyway') return runs.release(target);
  }
  if (statementMissing(target.problem.statement)) {
    const go = await vscode.window.showWarningMessage(
      `The statement of "${target.title}" is not there yet: Competitive Companion sends only the samples and limits. Paste the statement into the file where it says so, then Solve.`,
      { modal: true },
      'Solve With the Samples Only',
    );
    if (go !== 'Solve With the Samples Only') return runs.release(target);
  }
  await runs.start(target, { kind: 'solve' }, settings);
}
