import * as vscode from 'vscode';
import type { RunLifecycle } from '../run/lifecycle';
import type { Services } from '../services';
import type { TestRow, TestsView } from '../tests-view';
import { localModelCommands } from '../engine/commands';
import { cancelFromPalette } from './cancel';
import { checkEndpoint } from './check-endpoint';
import { showHistory, showLastTrace } from './history';
import { keepStressTest } from './keep-test';
import { openExample } from './open-example';
import { solveActiveEditor } from './solve';
import { debugCurrentCode, runSamples } from './user-code';

/** Every command of package.json (and the internal ones the CodeLens and status bar use), each to its handler. */
export function registerCommands(s: Services, runs: RunLifecycle, tests: TestsView): vscode.Disposable[] {
  const command = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);
  const showRun = (runId: string) => runs.showRun(runId);
  return [
    command('mapcoderLite.tests.refresh', () => tests.refresh()),
    command('mapcoderLite.tests.runAll', () => tests.run()),
    command('mapcoderLite.tests.add', () => tests.add()),
    command('mapcoderLite.tests.run', (row: TestRow) => tests.run(row ? [row] : undefined)),
    command('mapcoderLite.tests.open', (row: TestRow) => tests.open(row)),
    command('mapcoderLite.tests.compare', (row: TestRow) => tests.compare(row)),
    command('mapcoderLite.tests.delete', (row: TestRow) => tests.delete(row)),
    command('mapcoderLite.keepStressTest', (runId: string, check: number) => keepStressTest(s, runId, check, () => void tests.refresh())),
    command('mapcoderLite.solve', () => solveActiveEditor(s, runs, false)),
    command('mapcoderLite.solveSelection', () => solveActiveEditor(s, runs, true)),
    command('mapcoderLite.cancel', (runId?: string) => (typeof runId === 'string' ? runs.cancel(runId) : cancelFromPalette(runs))),
    command('mapcoderLite.runSamples', () => runSamples(s, runs)),
    command('mapcoderLite.debugCurrentCode', (uri?: vscode.Uri) => debugCurrentCode(s, runs, uri instanceof vscode.Uri ? uri : undefined)),
    command('mapcoderLite.checkEndpoint', () => checkEndpoint(s)),
    command('mapcoderLite.accept', (runId?: string) => s.proposals.accept(typeof runId === 'string' ? runId : undefined)),
    command('mapcoderLite.reject', (runId?: string) => s.proposals.reject(typeof runId === 'string' ? runId : undefined)),
    command('mapcoderLite.showLastTrace', () => showLastTrace(s)),
    command('mapcoderLite.showHistory', () => showHistory(s, showRun)),
    command('mapcoderLite.setApiKey', () => s.settings.setApiKey()),
    command('mapcoderLite.openExample', () => openExample(s.context)),
    ...localModelCommands(s.local, s.log),
    // Internal (CodeLens and status bar); not in the palette.
    command('mapcoderLite.showRun', showRun),
    command('mapcoderLite.compareProposal', (runId: string) => s.proposals.compare(runId)),
  ];
}
