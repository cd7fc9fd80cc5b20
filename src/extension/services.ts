import type * as vscode from 'vscode';
import type { LocalModel } from './engine/local-model';
import type { CoreWorker } from './run/core-run';
import type { UserSettings } from './settings/user-settings';
import type { JudgeTerminal } from './judge-terminal';
import type { ProposalManager } from './proposal/manager';
import type { RunStore } from './state/run-store';

/** What the run lifecycle and the commands share, made once at activation. */
export interface Services {
  context: vscode.ExtensionContext;
  store: RunStore;
  settings: UserSettings;
  terminal: JudgeTerminal;
  proposals: ProposalManager;
  log: vscode.LogOutputChannel;
  /** The local engine, when Solve runs on this machine's own model. */
  local: LocalModel;
  /** The worker thread that runs and judges (runs, Run Sample Tests, the Tests view), started with the first job. */
  core: CoreWorker;
}
