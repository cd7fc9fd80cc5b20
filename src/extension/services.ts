import type * as vscode from 'vscode';
import type { Config } from './config';
import type { JudgeTerminal } from './judge-terminal';
import type { ProposalManager } from './proposal';
import type { RunStore } from './state/run-store';

/** What the run lifecycle and the commands share, made once at activation. */
export interface Services {
  context: vscode.ExtensionContext;
  store: RunStore;
  config: Config;
  terminal: JudgeTerminal;
  proposals: ProposalManager;
  log: vscode.LogOutputChannel;
}
