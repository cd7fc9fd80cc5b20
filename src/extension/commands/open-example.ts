import * as vscode from 'vscode';

/**
 * Opens the walkthrough's example statement: copied once into `mapcoder-lite-example/` of the first
 * workspace folder (or the extension's storage without one), so a solve's answer has a folder to go to.
 * An existing copy is opened as it is, never overwritten.
 */
export async function openExample(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? context.globalStorageUri;
  const target = vscode.Uri.joinPath(folder, 'mapcoder-lite-example', 'sum-of-two.md');
  try {
    await vscode.workspace.fs.stat(target);
  } catch {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', 'sum-of-two.md'), target);
  }
  await vscode.window.showTextDocument(target);
}
