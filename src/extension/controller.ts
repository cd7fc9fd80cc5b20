import { basename } from 'node:path';
import type { JudgeReport } from '../core/types';
import * as vscode from 'vscode';
import { addUserTest, userTestsPath } from '../core/problem/user-tests';
import { cancelFromPalette } from './commands/cancel';
import { checkEndpoint } from './commands/check-endpoint';
import { showHistory, showLastTrace } from './commands/history';
import { solveActiveEditor } from './commands/solve';
import { debugCurrentCode, runSamples } from './commands/user-code';
import type { UserSettings } from './settings/user-settings';
import type { JudgeTerminal } from './judge-terminal';
import type { PanelActions, PanelProvider } from './panel/provider';
import type { ProposalManager } from './proposal';
import { RunLifecycle } from './run/lifecycle';
import { resumeFromPlan, resumeFromStep } from './run/resume';
import type { Services } from './services';
import type { RunStore } from './state/run-store';
import { TestsView } from './tests-view';

// What the panel and the commands call: each action is handed to the run lifecycle (run/) or to its
// command (commands/).

export class Controller implements PanelActions, vscode.Disposable {
  private readonly s: Services;
  private readonly runs: RunLifecycle;
  private tests: TestsView | undefined;

  constructor(
    context: vscode.ExtensionContext,
    store: RunStore,
    settings: UserSettings,
    terminal: JudgeTerminal,
    proposals: ProposalManager,
    log: vscode.LogOutputChannel,
  ) {
    this.s = { context, store, settings, terminal, proposals, log };
    this.runs = new RunLifecycle(this.s);
  }

  attachPanel(panel: PanelProvider): void {
    this.runs.attachPanel(panel);
  }

  /** The Tests view, on the same services as the commands (keepTest refreshes it). */
  createTestsView(): TestsView {
    this.tests = new TestsView(this.s);
    return this.tests;
  }

  // ---- PanelActions ----

  solveActiveEditor(): void {
    void this.solve(false);
  }

  cancel(runId: string): void {
    this.runs.cancel(runId);
  }

  rerunFromPlan(runId: string, planIndex: number, editedPlan: string): void {
    void this.runs.rerun(runId, (state) => resumeFromPlan(state, planIndex, editedPlan));
  }

  rerunStep(runId: string, step: 'retrieval' | 'planning' | 'coding'): void {
    void this.runs.rerun(runId, (state) => resumeFromStep(state, step));
  }

  accept(runId: string): void {
    void this.s.proposals.accept(runId);
  }

  reject(runId: string): void {
    void this.s.proposals.reject(runId);
  }

  openFile(file: string): void {
    void vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  }

  showJudge(): void {
    this.s.terminal.show(false);
  }

  /** The counterexample of a run's stress check, added to the problem's tests file (once). */
  async keepTest(runId: string, check: number): Promise<void> {
    const run = this.s.store.get(runId);
    const x = run?.stress?.[check]?.counterexample;
    if (!run?.meta.file || !x) return;
    const path = userTestsPath(run.meta.file);
    const added = await addUserTest(path, { input: x.input, outputs: [x.expected] });
    void this.tests?.refresh();
    void vscode.window.showInformationMessage(added ? `MapCoder-Lite: the input stress tests found is now a test in ${basename(path)}.` : `MapCoder-Lite: ${basename(path)} already has that test.`);
  }

  // ---- commands ----

  solve(useSelection: boolean): Promise<void> {
    return solveActiveEditor(this.s, this.runs, useSelection);
  }

  /** From the palette: the only run, or pick one. */
  cancelCommand(): Promise<void> {
    return cancelFromPalette(this.runs);
  }

  runSamples(): Promise<JudgeReport | undefined> {
    return runSamples(this.s, this.runs);
  }

  debugCurrentCode(uri?: vscode.Uri): Promise<void> {
    return debugCurrentCode(this.s, this.runs, uri);
  }

  checkEndpoint(): Promise<void> {
    return checkEndpoint(this.s);
  }

  showLastTrace(): Promise<void> {
    return showLastTrace(this.s);
  }

  showHistory(): Promise<void> {
    return showHistory(this.s, (runId) => this.showRun(runId));
  }

  showRun(runId: string): void {
    this.runs.showRun(runId);
  }

  dispose(): void {
    this.runs.dispose();
  }
}
