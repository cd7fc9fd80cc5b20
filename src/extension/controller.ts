import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { PromptError, PromptSet } from '../core/agents/prompts';
import type { PipelineEvent, RankedPlan, RetrievalResult, SolveResult } from '../core/events';
import type { Judge } from '../core/judge';
import { TraceWriter } from '../core/trace';
import type { JudgeReport, Lang, Problem } from '../core/types';
import type { Config } from './config';
import type { JudgeTerminal } from './judge-terminal';
import type { PanelActions, PanelProvider } from './panel/provider';
import type { ProposalManager } from './proposal';
import type { Settings } from './settings';
import { judgeOptionsFrom } from './settings';
import type { RunState, RunStore } from './state/run-store';
import { doneLabel, ProgressTracker } from './status-text';
import { placeAnswer, resolveTarget, TargetError, type Target } from './target';
import { sourceLang } from './target-logic';

// One Run per solve: an AbortController, the pipeline's events fanned out to the run store (panel),
// the status bar, a cancellable progress notification, the judge terminal and a trace file; the
// result ends in an inline proposal. The heavy core modules (the pipeline and the endpoint client,
// which loads the openai SDK) are imported when a command first needs them, never at activation.

/** Steps of an earlier run that a re-run reuses instead of calling their agents again. */
type Resume = { retrieval?: RetrievalResult; plans?: RankedPlan[] };

type Work =
  | { kind: 'solve'; from?: Resume }
  | { kind: 'debug'; code: string; report: JudgeReport };

interface Run {
  /** The pipeline's run id, known from its first event. */
  id?: string;
  target: Target;
  abort: AbortController;
  tracker: ProgressTracker;
  progress?: vscode.Progress<{ message?: string }>;
  finished: Promise<void>;
}

/** Targets of recent runs, for re-runs from the panel (a selection's insertion point stays tracked while kept). */
const KEPT_TARGETS = 20;
const LAST_TRACE_KEY = 'mapcoderLite.lastTrace';

export class Controller implements PanelActions, vscode.Disposable {
  private readonly running = new Set<Run>();
  private readonly targets = new Map<string, Target>();
  private panel: PanelProvider | undefined;
  private readonly statusItem = vscode.window.createStatusBarItem('mapcoderLite.status', vscode.StatusBarAlignment.Left, 50);
  private lastDone: { runId: string; label: string; ok: boolean } | undefined;
  /** Trace file per run id, for the flywheel on Accept. */
  private readonly traceFiles = new Map<string, string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: RunStore,
    private readonly config: Config,
    private readonly terminal: JudgeTerminal,
    private readonly proposals: ProposalManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusItem.name = 'MapCoder-Lite';
    proposals.onDidAccept((runId) => void this.collectAccepted(runId));
  }

  /** The opt-in flywheel: an accepted run that passed every sample becomes training data. */
  private async collectAccepted(runId: string): Promise<void> {
    const settings = this.config.settings();
    const trace = this.traceFiles.get(runId);
    if (!settings.collectAccepted || !trace) return;
    const dir = settings.datasetDir || join(this.context.globalStorageUri.fsPath, 'dataset');
    try {
      const { appendAcceptedTrajectory } = await import('../distill/flywheel');
      const r = appendAcceptedTrajectory(dir, trace);
      this.log.info(r.appended ? `Run ${runId}: ${r.examples} training examples added to ${dir}.` : `Run ${runId} not added to the dataset: ${r.reason}.`);
    } catch (err) {
      this.log.warn(`Run ${runId}: could not add its trajectory to ${dir}: ${String(err)}`);
    }
  }

  attachPanel(panel: PanelProvider): void {
    this.panel = panel;
  }

  // ---- PanelActions ----

  solveActiveEditor(): void {
    void this.solve(false);
  }

  cancel(runId: string): void {
    for (const r of this.running) if (r.id === runId) r.abort.abort();
  }

  rerunFromPlan(runId: string, planIndex: number, editedPlan: string): void {
    void this.rerun(runId, (state) => {
      if (!state.retrieval) return undefined;
      const original = state.plans.find((p) => p.index === planIndex);
      const plan: RankedPlan = { index: planIndex, plan: editedPlan, confidence: original?.confidence ?? 100, explanation: 'Edited in the Agents panel.' };
      return { retrieval: state.retrieval, plans: [plan] };
    });
  }

  rerunStep(runId: string, step: 'retrieval' | 'planning' | 'coding'): void {
    void this.rerun(runId, (state) => {
      if (step === 'retrieval') return {};
      if (!state.retrieval) return undefined;
      return step === 'planning' ? { retrieval: state.retrieval } : state.plans.length ? { retrieval: state.retrieval, plans: state.plans } : undefined;
    });
  }

  accept(runId: string): void {
    void this.proposals.accept(runId);
  }

  reject(runId: string): void {
    void this.proposals.reject(runId);
  }

  openFile(file: string): void {
    void vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  }

  // ---- commands ----

  async solve(useSelection: boolean): Promise<void> {
    if (!this.trusted()) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('MapCoder-Lite: open a problem statement (.md/.txt) or a source file whose first comment is the statement.');
      return;
    }
    const settings = this.config.settings();
    const target = await this.guard(() => resolveTarget({ doc: editor.document, selection: useSelection ? editor.selection : undefined, defaultLanguage: settings.defaultLanguage }));
    if (!target) return;
    const samples = target.problem.style.kind === 'function' ? target.problem.asserts.length : target.problem.samples.length;
    if (!samples) {
      const go = await vscode.window.showWarningMessage(
        `No sample tests found in "${target.title}". Without samples nothing can be tested or debugged; the answer would be the first program that compiles.`,
        { modal: true },
        'Solve Anyway',
      );
      if (go !== 'Solve Anyway') return this.release(target);
    }
    await this.start(target, { kind: 'solve' }, settings);
  }

  /** From the palette: the only run, or pick one. */
  async cancelCommand(): Promise<void> {
    const runs = [...this.running];
    if (runs.length <= 1) {
      runs[0]?.abort.abort();
      return;
    }
    const pick = await vscode.window.showQuickPick(runs.map((r) => ({ label: r.target.title, description: r.tracker.text, r })), { title: 'MapCoder-Lite: cancel which run?' });
    pick?.r.abort.abort();
  }

  /** Runs the active editor's program on the samples of its statement, in the judge terminal. */
  async runSamples(): Promise<void> {
    if (!this.trusted()) return;
    const found = await this.currentProgram();
    if (!found) return;
    const { doc, target } = found;
    const settings = this.config.settings();
    const report = await this.judgeOnce(target.problem, target.lang, doc.getText(), settings, `Your program: ${basename(doc.uri.path)}`);
    if (!report) return;
    if (report.verdict === 'AC') {
      void vscode.window.showInformationMessage(`MapCoder-Lite: all ${report.total} sample tests pass.`);
      return;
    }
    const what = report.verdict === 'CE' ? 'does not compile' : `passes ${report.passed} of ${report.total} sample tests (${report.verdict})`;
    const action = await vscode.window.showWarningMessage(`MapCoder-Lite: your program ${what}.`, 'Debug with MapCoder-Lite', 'Show Terminal');
    if (action === 'Show Terminal') this.terminal.show(false);
    if (action === 'Debug with MapCoder-Lite') await this.debugCurrentCode(doc.uri);
  }

  /**
   * Debugging rounds on the user's own program: the code below the statement is judged, then handed
   * to the debugging agent; the result comes back as the same inline proposal as a solve.
   */
  async debugCurrentCode(uri?: vscode.Uri): Promise<void> {
    if (!this.trusted()) return;
    const found = await this.currentProgram(uri);
    if (!found) return;
    const { target } = found;
    const settings = this.config.settings();
    const place = await this.guard(() => placeAnswer(target, ''));
    if (!place || place.kind !== 'range') return;
    const code = place.doc.getText().slice(place.range.start, place.range.end);
    if (!code.trim()) {
      void vscode.window.showInformationMessage('MapCoder-Lite: there is no program below the statement to debug yet. Use "Solve Problem in Active Editor".');
      return;
    }
    const report = await this.judgeOnce(target.problem, target.lang, code, settings, `Your program before debugging: ${basename(place.doc.uri.path)}`);
    if (!report) return;
    if (report.verdict === 'AC') {
      void vscode.window.showInformationMessage(`MapCoder-Lite: your program already passes all ${report.total} sample tests.`);
      return;
    }
    await this.start(target, { kind: 'debug', code, report }, settings);
  }

  async checkEndpoint(): Promise<void> {
    if (!this.trusted()) return;
    const cfg = await this.config.endpoint();
    const { LlmClient } = await import('../core/llm');
    const check = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: checking ${cfg.baseUrl}…`, cancellable: true },
      async (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        try {
          return await new LlmClient(cfg).check(ac.signal);
        } catch (err) {
          if (ac.signal.aborted) return undefined;
          throw err;
        }
      },
    );
    if (!check) return;
    this.log.info(`Endpoint check: ${check.message}`);
    const items: vscode.QuickPickItem[] = [
      { label: `${check.ok ? '$(pass)' : '$(error)'} ${check.baseUrl} (${check.backend})`, detail: check.message },
      ...check.agents.map((a) => ({ label: `${a.available ? '$(check)' : '$(close)'} ${a.agent}`, description: a.model, detail: a.note })),
    ];
    if (check.reachable) items.push({ label: '$(server) server models', detail: check.serverModels.join(', ') || '(none)' });
    const pick = await vscode.window.showQuickPick([...items, { label: '$(gear) Open MapCoder-Lite settings' }], {
      title: check.ok ? 'MapCoder-Lite: endpoint ready' : 'MapCoder-Lite: endpoint problem',
      placeHolder: check.message,
    });
    if (pick?.label.startsWith('$(gear)')) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapcoderLite');
  }

  async showLastTrace(): Promise<void> {
    const file = this.context.globalState.get<string>(LAST_TRACE_KEY);
    if (!file) {
      void vscode.window.showInformationMessage('MapCoder-Lite: no run has written a trace yet.');
      return;
    }
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    } catch {
      void vscode.window.showWarningMessage(`MapCoder-Lite: the last trace (${file}) is gone.`);
    }
  }

  async showHistory(): Promise<void> {
    const runs = this.store.list();
    if (!runs.length) {
      void vscode.window.showInformationMessage('MapCoder-Lite: no runs yet.');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: r.title,
        description: `${r.lang} · ${r.status}${r.total !== undefined ? ` · ${r.passed ?? 0}/${r.total}` : ''}`,
        detail: `${new Date(r.startedAt).toLocaleString()}${r.file ? ` · ${vscode.workspace.asRelativePath(r.file)}` : ''}`,
        runId: r.runId,
      })),
      { title: 'MapCoder-Lite: run history', placeHolder: 'Open a run in the Agents panel' },
    );
    if (pick) this.showRun(pick.runId);
  }

  showRun(runId: string): void {
    this.panel?.show(runId);
  }

  dispose(): void {
    for (const r of this.running) r.abort.abort();
    this.statusItem.dispose();
    for (const t of this.targets.values()) if (t.answer.kind === 'in-file') t.answer.anchor?.dispose();
    this.targets.clear();
  }

  // ---- runs ----

  private async rerun(runId: string, from: (state: RunState) => Resume | undefined): Promise<void> {
    if (!this.trusted()) return;
    const state = this.store.get(runId);
    if (!state) return;
    const resume = from(state);
    if (!resume) {
      void vscode.window.showWarningMessage('MapCoder-Lite: that run did not get far enough to re-run from there; solve again instead.');
      return;
    }
    const settings = this.config.settings();
    let target = this.targets.get(runId);
    if (!target) {
      // After a reload: read the target again from the run's file.
      if (!state.meta.file) {
        void vscode.window.showWarningMessage('MapCoder-Lite: the file of that run is unknown; open it and solve again.');
        return;
      }
      const file = state.meta.file;
      target = await this.guard(async () => resolveTarget({ doc: await vscode.workspace.openTextDocument(vscode.Uri.file(file)), lang: state.meta.lang }));
      if (!target) return;
    }
    await this.start(target, { kind: 'solve', from: resume }, settings);
  }

  private async start(target: Target, work: Work, settings: Settings): Promise<void> {
    const clash = [...this.running].find((r) => r.target.key === target.key);
    if (clash) {
      const answer = await vscode.window.showWarningMessage(
        `MapCoder-Lite is already working on ${target.answer.kind === 'untitled' ? 'this problem' : vscode.workspace.asRelativePath(target.answer.uri)}. Cancel that run and start this one?`,
        { modal: true },
        'Cancel It and Start',
      );
      if (answer !== 'Cancel It and Start') return this.release(target);
      clash.abort.abort();
      await clash.finished;
    }
    if (target.answer.kind !== 'untitled') this.proposals.clearFile(target.answer.uri);

    let prompts: PromptSet;
    try {
      prompts = PromptSet.load(settings.promptsDir || undefined);
    } catch (err) {
      if (!(err instanceof PromptError)) throw err;
      void vscode.window.showErrorMessage(`MapCoder-Lite: ${err.message}`, 'Open Settings').then((a) => {
        if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapcoderLite.promptsDir');
      });
      return this.release(target);
    }
    const endpoint = await this.config.endpoint(settings);
    const [{ LlmClient }, { Judge }] = await Promise.all([import('../core/llm'), import('../core/judge')]);
    const llm = new LlmClient(endpoint);
    const judge = new Judge(judgeOptionsFrom(settings));

    let resolveFinished!: () => void;
    const run: Run = { target, abort: new AbortController(), tracker: new ProgressTracker(), finished: new Promise((r) => (resolveFinished = r)) };
    this.running.add(run);
    this.refreshStatus();
    this.panel?.reveal();
    let trace: TraceWriter | undefined;

    const onEvent = (e: PipelineEvent): void => {
      if (e.type === 'run-started') {
        run.id = e.runId;
        this.remember(e.runId, target);
        this.store.start({
          runId: e.runId, title: work.kind === 'debug' ? `Debug: ${target.title}` : target.title,
          file: target.source.scheme === 'file' ? target.source.fsPath : undefined, lang: target.lang, mode: e.mode, startedAt: e.at,
        });
        trace = this.openTrace(settings, e.runId);
        if (trace) this.traceFiles.set(e.runId, trace.file);
        this.log.info(`Run ${e.runId}: ${work.kind} "${target.title}" in ${target.lang} (k=${e.k}, t=${e.t}, prompts ${e.promptsHash}).`);
      }
      if (!run.id) return;
      trace?.write(e);
      this.store.apply(run.id, e);
      if (e.type === 'agent-failed') this.log.warn(`Run ${run.id}: ${e.step.agent} call failed: ${e.error}`);
      if (run.tracker.update(e) !== undefined) this.onLabel(run);
    };

    const judged = this.judgeWithTerminal(judge, settings, target.lang, () => {
      run.tracker.judging();
      this.onLabel(run);
      return `${target.title} · ${run.tracker.text}`;
    });

    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: ${target.title}`, cancellable: true },
        async (progress, token) => {
          run.progress = progress;
          token.onCancellationRequested(() => run.abort.abort());
          if (work.kind === 'debug') {
            const { debugUserCode } = await import('./debug-user-code');
            return debugUserCode({ problem: target.problem, lang: target.lang, code: work.code, report: work.report, t: Math.max(1, settings.t), llm, judge: judged, prompts, signal: run.abort.signal, onEvent });
          }
          const { solve } = await import('../core/pipeline');
          return solve({
            problem: target.problem, lang: target.lang, k: settings.k, t: settings.t, llm, judge: judged, prompts,
            signal: run.abort.signal, onEvent, from: work.from, speculate: settings.speculativePlans,
          });
        },
      );
      await this.finish(run, result);
    } catch (err) {
      this.log.error(`Run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      void vscode.window.showErrorMessage(`MapCoder-Lite: the run failed: ${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((a) => {
        if (a) this.log.show();
      });
    } finally {
      if (trace) {
        try {
          trace.close();
          void this.context.globalState.update(LAST_TRACE_KEY, trace.file);
        } catch (err) {
          this.log.warn(`Could not finish the trace file: ${String(err)}`);
        }
      }
      await judge.dispose();
      this.running.delete(run);
      if (!run.id) this.release(target);
      this.refreshStatus();
      resolveFinished();
    }
  }

  private async finish(run: Run, result: SolveResult): Promise<void> {
    const runId = run.id!;
    const label = doneLabel(result);
    this.lastDone = { runId, label, ok: result.status === 'passed' || result.status === 'untested' };
    this.log.info(`Run ${runId}: ${result.status}. ${result.message}`);
    if (result.status === 'cancelled') {
      void vscode.window.showInformationMessage(`MapCoder-Lite: ${result.message}`);
      return;
    }
    if (result.status === 'error') {
      // Not awaited: the run is over whether or not the user answers the notification.
      const actions = result.code ? ['Check Endpoint', 'Propose Best Program', 'Show Log'] : ['Check Endpoint', 'Show Log'];
      void vscode.window.showErrorMessage(`MapCoder-Lite: ${result.message}`, ...actions).then((a) => {
        if (a === 'Check Endpoint') void vscode.commands.executeCommand('mapcoderLite.checkEndpoint');
        if (a === 'Show Log') this.log.show();
        if (a === 'Propose Best Program') void this.propose(run.target, runId, result);
      });
      return;
    }
    if (!result.code) {
      void vscode.window.showWarningMessage(`MapCoder-Lite: ${result.message}`, 'Show Agents').then((a) => a && this.showRun(runId));
      return;
    }
    await this.propose(run.target, runId, result);
    const note = `MapCoder-Lite: ${result.message} Review the proposal, then Accept or Reject.`;
    if (result.status === 'passed' || result.status === 'untested') void vscode.window.showInformationMessage(note);
    else void vscode.window.showWarningMessage(note);
  }

  private async propose(target: Target, runId: string, result: SolveResult): Promise<void> {
    const summary = doneLabel(result);
    const place = await this.guard(() => placeAnswer(target, result.code));
    if (!place) return;
    if (place.kind === 'range') {
      await this.proposals.showInline({ runId, lang: target.lang, summary, doc: place.doc, range: place.range, proposed: place.proposed });
    } else {
      await this.proposals.showNewFile({ runId, lang: target.lang, summary, target: place.uri, proposed: place.proposed });
    }
  }

  /** Judge calls from the pipeline, shown live in the judge terminal (compile line, each sample, summary). */
  private judgeWithTerminal(judge: Judge, settings: Settings, lang: Lang, title: () => string): Pick<Judge, 'judge'> {
    return {
      judge: async (req) => {
        const view = this.terminal.view(title(), lang, settings.languages[lang]);
        const report = await judge.judge({ ...req, onCompile: view.onCompile, onTest: view.onTest });
        view.summary(report);
        return report;
      },
    };
  }

  /** One judging of the user's code, shown in the terminal, cancellable from a progress notification. */
  private async judgeOnce(problem: Problem, lang: Lang, code: string, settings: Settings, title: string): Promise<JudgeReport | undefined> {
    const { Judge } = await import('../core/judge');
    const judge = new Judge(judgeOptionsFrom(settings));
    const view = this.terminal.view(title, lang, settings.languages[lang]);
    this.terminal.show(true);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: running ${title.toLowerCase()} on the samples…`, cancellable: true },
        async (_p, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          const report = await judge.judge({ code, lang, problem, signal: ac.signal, onCompile: view.onCompile, onTest: view.onTest });
          if (ac.signal.aborted) return undefined;
          view.summary(report);
          return report;
        },
      );
    } catch (err) {
      this.log.error(`Judging failed: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`MapCoder-Lite: could not run the samples: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    } finally {
      await judge.dispose();
    }
  }

  /** The program in the active (or given) source file and the statement it answers. */
  private async currentProgram(uri?: vscode.Uri): Promise<{ doc: vscode.TextDocument; target: Target } | undefined> {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || !sourceLang({ languageId: doc.languageId, fileName: doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined })) {
      void vscode.window.showInformationMessage('MapCoder-Lite: open your program (a Python, C++, C, Java, JavaScript or Rust file) first.');
      return undefined;
    }
    const target = await this.guard(() => resolveTarget({ doc }));
    if (!target) return undefined;
    const samples = target.problem.style.kind === 'function' ? target.problem.asserts.length : target.problem.samples.length;
    if (!samples) {
      void vscode.window.showWarningMessage(`MapCoder-Lite: no sample tests found in the statement of ${basename(doc.uri.path)}.`);
      return undefined;
    }
    return { doc, target };
  }

  private openTrace(settings: Settings, runId: string): TraceWriter | undefined {
    const dir = settings.traceDir || join(this.context.globalStorageUri.fsPath, 'traces');
    const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${runId}.jsonl`);
    try {
      mkdirSync(dir, { recursive: true });
      return new TraceWriter(file);
    } catch (err) {
      this.log.warn(`No trace for run ${runId}: cannot write ${file}: ${String(err)}`);
      return undefined;
    }
  }

  private remember(runId: string, target: Target): void {
    this.targets.set(runId, target);
    while (this.targets.size > KEPT_TARGETS) {
      const [oldest, t] = this.targets.entries().next().value as [string, Target];
      this.targets.delete(oldest);
      this.release(t);
    }
  }

  /** Stops following a selection's insertion point once no kept run (re-runs share targets) needs it. */
  private release(target: Target): void {
    if (target.answer.kind !== 'in-file' || [...this.targets.values()].includes(target)) return;
    if ([...this.running].some((r) => r.target === target)) return;
    target.answer.anchor?.dispose();
  }

  private onLabel(run: Run): void {
    run.progress?.report({ message: run.tracker.text });
    this.refreshStatus();
  }

  private refreshStatus(): void {
    const runs = [...this.running];
    void vscode.commands.executeCommand('setContext', 'mapcoderLite.running', runs.length > 0);
    const item = this.statusItem;
    const latest = runs.at(-1);
    if (latest) {
      item.text = `$(sync~spin) MapCoder-Lite: ${latest.tracker.text}${runs.length > 1 ? ` (+${runs.length - 1} more)` : ''}`;
      item.tooltip = `${latest.target.title}: ${latest.tracker.text}. Click to show the Agents panel.`;
      item.command = latest.id ? { title: 'Show run', command: 'mapcoderLite.showRun', arguments: [latest.id] } : 'mapcoderLite.steps.focus';
      item.show();
    } else if (this.lastDone) {
      item.text = `${this.lastDone.ok ? '$(check)' : '$(warning)'} MapCoder-Lite: ${this.lastDone.label}`;
      item.tooltip = 'The last MapCoder-Lite run. Click to show it in the Agents panel.';
      item.command = { title: 'Show run', command: 'mapcoderLite.showRun', arguments: [this.lastDone.runId] };
      item.show();
    } else {
      item.hide();
    }
  }

  private trusted(): boolean {
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
  private async guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      void vscode.window.showWarningMessage(`MapCoder-Lite: ${err.message}`);
      return undefined;
    }
  }
}
