import * as vscode from 'vscode';
import { suggestModels } from '../../core/engine/suggest';
import { modelItems, sourceProblem, type ModelItem } from './logic';

/**
 * "Choose a Model...": the models this machine's memory runs (with their download sizes), a GGUF file
 * on disk, or a URL / hub name. The choice goes to mapcoderLite.local.model where the user keeps it
 * (this workspace's settings if it sets one, else theirs); undefined: they chose nothing.
 */
export async function chooseModel(): Promise<string | undefined> {
  const cfg = vscode.workspace.getConfiguration('mapcoderLite');
  const current = cfg.get<string>('local.model', '');
  const pick = await vscode.window.showQuickPick<ModelItem & vscode.QuickPickItem>(modelItems(suggestModels(), current), {
    title: 'MapCoder-Lite: the model to run on this machine',
    placeHolder: 'Downloaded once into the models cache; the adapters come from mapcoderLite.local.adapters (none: one plain model)',
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  const source = pick.source ?? (pick.ask === 'file' ? await askFile() : await askName(current));
  if (!source) return undefined;
  const target = cfg.inspect('local.model')?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update('local.model', source, target);
  return source;
}

async function askFile(): Promise<string | undefined> {
  const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'GGUF models': ['gguf'] }, title: 'MapCoder-Lite: a GGUF model' })) ?? [];
  return uri?.fsPath;
}

function askName(current: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'MapCoder-Lite: the model to download',
    prompt: 'An https:// URL of a .gguf (#sha256=HEX checks it), hf:owner/repo:QUANT or hf:owner/repo/file.gguf',
    value: /^(hf:|https:)/.test(current) ? current : '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? sourceProblem(v) : 'a URL or hf: name'),
  }).then((v) => v?.trim() || undefined);
}
