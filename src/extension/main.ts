import * as vscode from 'vscode';
import { CompanionService } from './companion';
import { UserSettings } from './settings/user-settings';
import type { TestRow } from './tests-view';
import { openExample } from './commands/open-example';
import { Controller } from './controller';
import { JudgeTerminal } from './judge-terminal';
import { PanelProvider } from './panel/provider';
import { ProposalManager } from './proposal';
import { RunStore, type RunState } from './state/run-store';

// Activation is cheap on purpose: it wires commands, the panel, CodeLens and the status bar. No
// network, no file scanning; the pipeline and the endpoint client load when a command first runs.

const RUNS_KEY = 'mapcoderLite.runs';

let controller: Controller | undefined;

/** What activate() hands back: the run store, for the integration tests and other extensions to observe runs. */
export interface MapCoderLiteApi {
  store: RunStore;
  /** The port this window's Competitive Companion listener holds, if it holds one. */
  companion: () => number | undefined;
  /** The Tests view's rows. */
  tests: () => TestRow[];
}

export function activate(context: vscode.ExtensionContext): MapCoderLiteApi {
  const log = vscode.window.createOutputChannel('MapCoder-Lite', { log: true });
  const store = new RunStore({
    persisted: context.workspaceState.get<RunState[]>(RUNS_KEY, []),
    save: (runs) => void context.workspaceState.update(RUNS_KEY, runs),
  });
  const settings = new UserSettings(context.secrets, log);
  const terminal = new JudgeTerminal();
  const proposals = new ProposalManager(store, log);
  controller = new Controller(context, store, settings, terminal, proposals, log);
  const panel = new PanelProvider(context.extensionUri, store, controller, log);
  controller.attachPanel(panel); // the panel follows workspace trust and the endpoint setting itself
  const c = controller;
  const companion = new CompanionService(settings, log);
  const tests = c.createTestsView();

  const command = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);
  // Disposed in this order: the controller (cancels runs) first, the store (writes its last save) last.
  context.subscriptions.push(
    c,
    companion,
    panel,
    proposals,
    terminal,
    log,
    store,
    vscode.window.registerWebviewViewProvider(PanelProvider.viewType, panel),
    tests,
    vscode.window.registerTreeDataProvider('mapcoderLite.tests', tests),
    command('mapcoderLite.tests.refresh', () => tests.refresh()),
    command('mapcoderLite.tests.runAll', () => tests.run()),
    command('mapcoderLite.tests.add', () => tests.add()),
    command('mapcoderLite.tests.run', (row: TestRow) => tests.run(row ? [row] : undefined)),
    command('mapcoderLite.tests.open', (row: TestRow) => tests.open(row)),
    command('mapcoderLite.tests.compare', (row: TestRow) => tests.compare(row)),
    command('mapcoderLite.tests.delete', (row: TestRow) => tests.delete(row)),
    command('mapcoderLite.keepStressTest', (runId: string, check: number) => c.keepTest(runId, check)),
    command('mapcoderLite.solve', () => c.solve(false)),
    command('mapcoderLite.solveSelection', () => c.solve(true)),
    command('mapcoderLite.cancel', (runId?: string) => (typeof runId === 'string' ? c.cancel(runId) : c.cancelCommand())),
    command('mapcoderLite.runSamples', () => c.runSamples()),
    command('mapcoderLite.debugCurrentCode', (uri?: vscode.Uri) => c.debugCurrentCode(uri instanceof vscode.Uri ? uri : undefined)),
    command('mapcoderLite.checkEndpoint', () => c.checkEndpoint()),
    command('mapcoderLite.accept', (runId?: string) => proposals.accept(typeof runId === 'string' ? runId : undefined)),
    command('mapcoderLite.reject', (runId?: string) => proposals.reject(typeof runId === 'string' ? runId : undefined)),
    command('mapcoderLite.showLastTrace', () => c.showLastTrace()),
    command('mapcoderLite.showHistory', () => c.showHistory()),
    command('mapcoderLite.setApiKey', () => settings.setApiKey()),
    command('mapcoderLite.openExample', () => openExample(context)),
    // Internal (CodeLens and status bar); not in the palette.
    command('mapcoderLite.showRun', (runId: string) => c.showRun(runId)),
    command('mapcoderLite.compareProposal', (runId: string) => proposals.compare(runId)),
  );
  log.info(`MapCoder-Lite activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: nothing is run'}).`);
  return { store, companion: () => companion.listening, tests: () => tests.rows() };
}

export function deactivate(): void {
  // Runs are cancelled (their streams and child processes stop); the rest is disposed through context.subscriptions.
  controller?.dispose();
  controller = undefined;
}
