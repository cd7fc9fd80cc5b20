import * as vscode from 'vscode';
import { llamaServerOnPath } from '../../core/engine/llama-server';
import { ensureTrusted } from '../user-guards';
import { chooseModel } from './choose-model';
import type { LocalModel } from './local-model';

// The local model's commands: Start (the walkthrough's step), Choose a Model..., Stop, and the status
// bar item's list of actions.

export function localModelCommands(m: LocalModel, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const start = async () => {
    if (!ensureTrusted()) return;
    if (!vscode.workspace.getConfiguration('mapcoderLite').get<string>('local.model') && !(await chooseModel())) return;
    await m.start();
  };
  const choose = async () => {
    if (!ensureTrusted()) return;
    if (await chooseModel()) await m.start();
  };
  return [
    vscode.commands.registerCommand('mapcoderLite.startLocalModel', start),
    vscode.commands.registerCommand('mapcoderLite.chooseLocalModel', choose),
    vscode.commands.registerCommand('mapcoderLite.stopLocalModel', () => m.stop()),
    vscode.commands.registerCommand('mapcoderLite.localModelActions', () => actions(m, log, start, choose)),
  ];
}

type Action = vscode.QuickPickItem & { run: () => unknown };

async function actions(m: LocalModel, log: vscode.LogOutputChannel, start: () => Promise<void>, choose: () => Promise<void>): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('mapcoderLite');
  const onPath = cfg.get<string>('llamaServerPath') ? undefined : llamaServerOnPath();
  const items: Action[] = [
    m.live
      ? { label: '$(debug-stop) Stop the local model', detail: 'for every window and command that shares it', run: () => m.stop() }
      : { label: '$(play) Start the local model', detail: cfg.get<string>('local.model') || 'choose a model first', run: start },
    { label: '$(library) Choose a model...', detail: 'by this machine\'s memory, a file on disk, a URL or a hub name', run: choose },
    { label: '$(output) Show the log', detail: 'the MapCoder-Lite output channel (the engine\'s lines start with [engine])', run: () => log.show() },
    { label: '$(file) Open the engine\'s log file', detail: m.logFile, run: () => vscode.window.showTextDocument(vscode.Uri.file(m.logFile)) },
  ];
  if (onPath) {
    items.push({
      label: `$(server-process) Use ${onPath} instead of the built-in engine`, detail: 'sets mapcoderLite.llamaServerPath (GPU builds of llama.cpp serve faster)',
      run: () => cfg.update('llamaServerPath', onPath, vscode.ConfigurationTarget.Global),
    });
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'MapCoder-Lite: local model' });
  await pick?.run();
}
