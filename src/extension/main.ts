import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands/register';
import { CompanionService } from './companion';
import { LocalModel } from './engine/local-model';
import { JudgeTerminal } from './judge-terminal';
import { panelActions } from './panel/actions';
import { PanelProvider } from './panel/provider';
import { ProposalManager } from './proposal/manager';
import { CoreWorker } from './run/core-run';
import { RunLifecycle } from './run/lifecycle';
import type { Services } from './services';
import { UserSettings } from './settings/user-settings';
import { RunStore, type RunState } from './state/run-store';
import { TestsView, type TestRow } from './tests-view';

// Activation wires the commands, the panel, the Tests view, CodeLens and the status bar. It calls no
// endpoint and scans no folder (the Tests view reads the active editor's problem and its tests file);
// the pipeline and the endpoint client load when a command first needs them. The one socket it opens
// is the Competitive Companion listener on 127.0.0.1 (trusted workspaces, `companion.enabled`): it
// listens for the browser extension and never connects out.

const RUNS_KEY = 'mapcoderLite.runs';

let runs: RunLifecycle | undefined;
let local: LocalModel | undefined;
let core: CoreWorker | undefined;

/** What activate() hands back: the run store, for the integration tests and other extensions to observe runs. */
export interface MapCoderLiteApi {
  store: RunStore;
  /** The port this window's Competitive Companion listener holds, if it holds one. */
  companion: () => number | undefined;
  /** The Tests view's rows. */
  tests: () => TestRow[];
  /** Whether this window uses a live local engine. */
  localModel: () => boolean;
}

export function activate(context: vscode.ExtensionContext): MapCoderLiteApi {
  const log = vscode.window.createOutputChannel('MapCoder-Lite', { log: true });
  const store = new RunStore({
    persisted: context.workspaceState.get<RunState[]>(RUNS_KEY, []),
    save: (list) => void context.workspaceState.update(RUNS_KEY, list),
  });
  const settings = new UserSettings(context.secrets, log);
  const s: Services = {
    context, store, log, settings,
    local: (local = new LocalModel(context, log, () => settings.read())),
    terminal: new JudgeTerminal(),
    core: (core = new CoreWorker(join(__dirname, 'core-worker.js'))),
    proposals: new ProposalManager(store, log),
  };
  const lifecycle = (runs = new RunLifecycle(s));
  const tests = new TestsView(s);
  const panel = new PanelProvider(context.extensionUri, store, panelActions(s, lifecycle, tests), log);
  lifecycle.attachPanel(panel); // the panel follows workspace trust and the endpoint setting itself
  const companion = new CompanionService(s.settings, log);

  // Disposed in this order: the runs (cancelled) first, the store (writes its last save) last.
  context.subscriptions.push(
    lifecycle,
    s.local,
    companion,
    panel,
    s.proposals,
    s.terminal,
    log,
    store,
    vscode.window.registerWebviewViewProvider(PanelProvider.viewType, panel),
    tests,
    vscode.window.registerTreeDataProvider('mapcoderLite.tests', tests),
    ...registerCommands(s, lifecycle, tests),
  );
  log.info(`MapCoder-Lite activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: nothing is run'}).`);
  return { store, companion: () => companion.listening, tests: () => tests.rows(), localModel: () => s.local.live };
}

export async function deactivate(): Promise<void> {
  // Runs are cancelled (their streams and child processes stop); the rest is disposed through context.subscriptions.
  runs?.dispose();
  runs = undefined;
  // The jobs' programs end before the host does; this window's lease on the local engine goes (when it
  // was the last, the engine ends).
  await Promise.all([core?.dispose(), local?.release()]);
  core = undefined;
  local = undefined;
}
