import * as vscode from 'vscode';
import type { SolveResult } from '../../core/events';
import type { Services } from '../services';
import { doneLabel } from './progress-tracker';
import { placeAnswer, type Target } from '../target';
import { guardTarget } from '../user-guards';

/** Tells the user how a finished run ended; its program becomes an inline proposal (or a new file). */
export async function presentOutcome(s: Services, target: Target, runId: string, result: SolveResult, showRun: (runId: string) => void): Promise<void> {
  if (result.status === 'cancelled') {
    void vscode.window.showInformationMessage(`MapCoder-Lite: ${result.message}`);
    return;
  }
  if (result.status === 'error') {
    // Not awaited: the run is over whether or not the user answers the notification.
    const actions = result.code ? ['Check Endpoint', 'Propose Best Program', 'Show Log'] : ['Check Endpoint', 'Show Log'];
    void vscode.window.showErrorMessage(`MapCoder-Lite: ${result.message}`, ...actions).then((a) => {
      if (a === 'Check Endpoint') void vscode.commands.executeCommand('mapcoderLite.checkEndpoint');
      if (a === 'Show Log') s.log.show();
      if (a === 'Propose Best Program') void propose(s, target, runId, result);
    });
    return;
  }
  if (!result.code) {
    void vscode.window.showWarningMessage(`MapCoder-Lite: ${result.message}`, 'Show Agents').then((a) => a && showRun(runId));
    return;
  }
  await propose(s, target, runId, result);
  const note = `MapCoder-Lite: ${result.message} Review the proposal, then Accept or Reject.`;
  if (result.status === 'passed' || result.status === 'untested') void vscode.window.showInformationMessage(note);
  else void vscode.window.showWarningMessage(note);
}

async function propose(s: Services, target: Target, runId: string, result: SolveResult): Promise<void> {
  const summary = doneLabel(result);
  const place = await guardTarget(() => placeAnswer(target, result.code));
  if (!place) return;
  if (place.kind === 'range') {
    await s.proposals.showInline({ runId, lang: target.lang, summary, doc: place.doc, range: place.range, proposed: place.proposed });
  } else {
    await s.proposals.showNewFile({ runId, lang: target.lang, summary, target: place.uri, proposed: place.proposed });
  }
}
