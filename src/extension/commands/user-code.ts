import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { JudgeReport, Lang, Problem } from '../../core/types';
import type { RunLifecycle } from '../run/lifecycle';
import type { Services } from '../services';
import { judgeOptionsFrom } from '../settings/core-options';
import type { Settings } from '../settings/read';
import { placeAnswer, resolveTarget, TargetError, type Target } from '../target';
import { sampleCount } from '../../core/problem';
import { sourceLang } from '../target-logic';
import { ensureTrusted, guardTarget } from '../user-guards';

// Commands on the user's own program: run it on the samples of its statement, and debug it.

/** Runs the active editor's program on the samples of its statement, in the judge terminal; the report (for callers of the command). */
export async function runSamples(s: Services, runs: RunLifecycle): Promise<JudgeReport | undefined> {
  if (!ensureTrusted()) return undefined;
  const found = await currentProgram(undefined, s);
  if (!found) return undefined;
  const { doc, target } = found;
  const settings = s.settings.read();
  const report = await judgeOnce(s, target.problem, target.lang, doc.getText(), settings, `Your program: ${basename(doc.uri.path)}`);
  if (!report) return undefined;
  if (report.verdict === 'AC') {
    void vscode.window.showInformationMessage(`MapCoder-Lite: all ${report.total} sample tests pass.`);
    return report;
  }
  const what = report.verdict === 'CE' ? 'does not compile' : `passes ${report.passed} of ${report.total} sample tests (${report.verdict})`;
  // Not awaited: the command is done once it has judged; the offer stays until the user answers.
  void vscode.window.showWarningMessage(`MapCoder-Lite: your program ${what}.`, 'Debug with MapCoder-Lite', 'Show Terminal').then((action) => {
    if (action === 'Show Terminal') s.terminal.show(false);
    if (action === 'Debug with MapCoder-Lite') void debugCurrentCode(s, runs, doc.uri);
  });
  return report;
}

/**
 * Debugging rounds on the user's own program: the code below the statement is judged, then handed
 * to the debugging agent; the result comes back as the same inline proposal as a solve.
 */
export async function debugCurrentCode(s: Services, runs: RunLifecycle, uri?: vscode.Uri): Promise<void> {
  if (!ensureTrusted()) return;
  const found = await currentProgram(uri);
  if (!found) return;
  const { target } = found;
  const settings = s.settings.read();
  const place = await guardTarget(() => placeAnswer(target, ''));
  if (!place || place.kind !== 'range') return;
  const code = place.doc.getText().slice(place.range.start, place.range.end);
  if (!code.trim()) {
    void vscode.window.showInformationMessage('MapCoder-Lite: there is no program below the statement to debug yet. Use "Solve Problem in Active Editor".');
    return;
  }
  const report = await judgeOnce(s, target.problem, target.lang, code, settings, `Your program before debugging: ${basename(place.doc.uri.path)}`);
  if (!report) return;
  if (report.verdict === 'AC') {
    void vscode.window.showInformationMessage(`MapCoder-Lite: your program already passes all ${report.total} sample tests.`);
    return;
  }
  await runs.start(target, { kind: 'debug', code, report }, settings);
}

/** One judging of the user's code, shown in the terminal, cancellable from a progress notification. */
export async function judgeOnce(s: Services, problem: Problem, lang: Lang, code: string, settings: Settings, title: string): Promise<JudgeReport | undefined> {
  const view = s.terminal.view(title, lang, settings.languages[lang]);
  s.terminal.show(true);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: running ${title.toLowerCase()} on the samples…`, cancellable: true },
      async (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        // Judged in the runs' worker thread, off the editor's; where the program ran outside the sandbox, the terminal says so.
        const judged = await s.core.judgeProgram({ judge: judgeOptionsFrom(settings), code, lang, problem }, view, ac.signal).catch((err: unknown) => {
          // Cancelled by the user: no report and no error.
          if (ac.signal.aborted) return undefined;
          throw err;
        });
        if (!judged) return undefined;
        const { report, isolation } = judged;
        view.summary(report, isolation);
        return report;
      },
    );
  } catch (err) {
    s.log.error(`Judging failed: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage(`MapCoder-Lite: could not run the samples: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * The program in the active (or given) source file and the statement it answers: its leading comment or
 * sibling statement, else (with `s`, for running the samples) the problem of the run whose program went
 * into this file (a statement solved from a selection, or moved away since).
 */
async function currentProgram(uri?: vscode.Uri, s?: Services): Promise<{ doc: vscode.TextDocument; target: Target } | undefined> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  const lang = doc && sourceLang({ languageId: doc.languageId, fileName: doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined });
  if (!doc || !lang) {
    void vscode.window.showInformationMessage('MapCoder-Lite: open your program (a Python, C++, C, Java, JavaScript or Rust file) first.');
    return undefined;
  }
  const run = s && doc.uri.scheme === 'file' ? s.store.latestFor(doc.uri.fsPath) : undefined;
  const fromRun = (): Target | undefined => run?.problem && { problem: run.problem, lang, title: run.meta.title, source: doc.uri, answer: { kind: 'in-file', uri: doc.uri }, key: doc.uri.toString() };
  // No statement found: the run's problem stands in; with no such run the guard reports why.
  let target = await guardTarget(() => resolveTarget({ doc }).catch((err: unknown) => {
    const instead = err instanceof TargetError ? fromRun() : undefined;
    if (!instead) throw err;
    return instead;
  }));
  if (!target) return undefined;
  if (!sampleCount(target.problem)) target = fromRun() ?? target;
  if (!sampleCount(target.problem)) {
    void vscode.window.showWarningMessage(`MapCoder-Lite: no sample tests found in the statement of ${basename(doc.uri.path)}.`);
    return undefined;
  }
  return { doc, target };
}
