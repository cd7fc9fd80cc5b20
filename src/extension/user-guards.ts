import * as vscode from 'vscode';
import { TargetError } from './target';

// Checks every command makes before it runs code or calls the endpoint, each answering the user itself.

/** False (and a warning offering to manage trust) in an untrusted workspace. */
export function ensureTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      'MapCoder-Lite never runs code or calls the model endpoint in an untrusted workspace. Trust this workspace to solve, test and debug here.',
      'Manage Workspace Trust',
    )
    .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

/** Runs a step whose TargetErrors are the user's to fix: shown as one message. */
export async function guardTarget<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    void vscode.window.showWarningMessage(`MapCoder-Lite: ${err.message}`);
    return undefined;
  }
}
