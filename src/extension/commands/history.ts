import * as vscode from 'vscode';
import { lastTraceFile } from '../run/trace-file';
import type { Services } from '../services';

// Looking back: the last run's trace file, and the runs kept in the store.

export async function showLastTrace(s: Services): Promise<void> {
  const file = lastTraceFile(s);
  if (!file) {
    void vscode.window.showInformationMessage('MapCoder-Lite: no run has written a trace yet.');
    return;
  }
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  } catch {
    void vscode.window.showWarningMessage(`MapCoder-Lite: the last trace (${file}) is gone.`);
  }
}

/** Picks a past run to open in the Agents panel. */
export async function showHistory(s: Services, showRun: (runId: string) => void): Promise<void> {
  const runs = s.store.list();
  if (!runs.length) {
    void vscode.window.showInformationMessage('MapCoder-Lite: no runs yet.');
    return;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: r.title,
      description: `${r.lang} · ${r.status}${r.total !== undefined ? ` · ${r.passed ?? 0}/${r.total}` : ''}`,
      detail: `${new Date(r.startedAt).toLocaleString()}${r.file ? ` · ${vscode.workspace.asRelativePath(r.file)}` : ''}`,
      runId: r.runId,
    })),
    { title: 'MapCoder-Lite: run history', placeHolder: 'Open a run in the Agents panel' },
  );
  if (pick) showRun(pick.runId);
}
