import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { PromptError, PromptSet } from '../../core/agents/prompts';
import type { PipelineEvent, SolveResult } from '../../core/events';
import { speculates } from '../../core/llm/config';
import type { RunState } from '../../run-state';
import type { PanelProvider } from '../panel/provider';
import type { Services } from '../services';
import { judgeOptionsFrom } from '../settings/core-options';
import type { Settings } from '../settings/read';
import { resolveTarget, type Target } from '../target';
import { ensureTrusted, guardTarget } from '../user-guards';
import type { ActiveRun, Work } from './active-run';
import { collectAccepted } from './collect-accepted';
import { KeptTargets } from './kept-targets';
import { presentOutcome } from './outcome';
import { ProgressTracker } from './progress-tracker';
import type { Resume } from './resume';
import { logSink, progressSink, storeSink, terminalSink, traceSink, type RunSink } from './sinks';
import { RunStatusBar } from './status-bar';

// One ActiveRun per solve: an AbortController, and the pipeline's events fanned out to small sinks
// (sinks.ts: the run store behind the panel, the trace file, the log, the judge terminal, the progress
// label of the status bar and the cancellable notification); the result ends in an inline proposal.
// The core itself (the endpoint client, the judge, the pipeline) runs in a worker thread of its own
// (core-worker.ts, bundled as dist/core-worker.js): the editor's thread only relays its events.

export class RunLifecycle implements vscode.Disposable {
  private readonly running = new Set<ActiveRun>();
  private readonly targets = new KeptTargets((t) => [...this.running].some((r) => r.target === t));
  private readonly status = new RunStatusBar();
  /** Trace file per run id, for the flywheel on Accept. */
  private readonly traceFiles = new Map<string, string>();
  private panel: PanelProvider | undefined;

  constructor(private readonly s: Services) {
    s.proposals.onDidAccept((runId) => void collectAccepted(s, runId, this.traceFiles.get(runId)));
  }

  attachPanel(panel: PanelProvider): void {
    this.panel = panel;
  }

  /** Runs in progress, oldest first. */
  active(): ActiveRun[] {
    return [...this.running];
  }

  cancel(runId: string): void {
    for (const r of this.running) if (r.id === runId) r.abort.abort();
  }

  showRun(runId: string): void {
    this.panel?.show(runId);
  }

  /** A target no run will use after all (the user declined to start one). */
  release(target: Target): void {
    this.targets.release(target);
  }

  /** Solves again reusing what `from` takes of an earlier run's steps (undefined: the run did not get that far). */
  async rerun(runId: string, from: (state: RunState) => Resume | undefined): Promise<void> {
    if (!ensureTrusted()) return;
    const state = this.s.store.get(runId);
    if (!state) return;
    const resume = from(state);
    if (!resume) {
      void vscode.window.showWarningMessage('MapCoder-Lite: that run did not get far enough to re-run from there; solve again instead.');
      return;
    }
    const settings = this.s.settings.read();
    let target = this.targets.get(runId);
    if (!target) {
      // After a reload: read the target again from the run's file.
      if (!state.meta.file) {
        void vscode.window.showWarningMessage('MapCoder-Lite: the file of that run is unknown; open it and solve again.');
        return;
      }
      const file = state.meta.file;
      target = await guardTarget(async () => resolveTarget({ doc: await vscode.workspace.openTextDocument(vscode.Uri.file(file)), lang: state.meta.lang }));
      if (!target) return;
    }
    await this.start(target, { kind: 'solve', from: resume }, settings);
  }

  async start(target: Target, work: Work, settings: Settings): Promise<void> {
    const { s } = this;
    if (!(await this.clearTheWay(target))) return this.release(target);
    if (target.answer.kind !== 'untitled') s.proposals.clearFile(target.answer.uri);
    const prompts = loadPrompts(settings);
    if (!prompts) return this.release(target);
    // The endpoint, or the local engine (started when nothing answers there and the user agrees).
    const endpoint = await s.local.endpointFor(settings, await s.settings.endpoint(settings));
    if (!endpoint) return this.release(target);

    let resolveFinished!: () => void;
    const run: ActiveRun = { target, abort: new AbortController(), tracker: new ProgressTracker(), finished: new Promise((r) => (resolveFinished = r)) };
    this.running.add(run);
    this.refreshStatus();
    this.panel?.reveal();
    const onLabel = () => this.onLabel(run);
    const sinks: RunSink[] = [
      traceSink(s, settings, (runId, file) => this.traceFiles.set(runId, file)),
      storeSink(s, target, work),
      logSink(s, target, work),
      terminalSink(s, target, settings),
      progressSink(run, onLabel),
    ];
    const onEvent = (e: PipelineEvent): void => {
      if (e.type === 'run-started') {
        run.id = e.runId;
        this.targets.remember(e.runId, target);
      }
      const runId = run.id;
      if (runId) for (const sink of sinks) sink.event(e, runId);
    };

    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: ${target.title}`, cancellable: true },
        async (progress, token) => {
          run.progress = progress;
          token.onCancellationRequested(() => run.abort.abort());
          const spec = {
            work, problem: target.problem, lang: target.lang, endpoint, judge: judgeOptionsFrom(settings), promptsDir: settings.promptsDir,
            k: settings.k, t: settings.t, speculate: speculates(settings.speculativePlans, settings.backend),
            stress: { tests: settings.stressTests, dir: dirname(target.source.fsPath) },
          };
          const onJudging = (purpose: string, phase: 'compiling' | 'testing') => {
            run.tracker.judging(purpose, phase);
            onLabel();
          };
          return s.core.run(spec, { onEvent, onJudging }, run.abort.signal);
        },
      );
      await this.finish(run, await this.engineLost(result, endpoint.baseUrl));
    } catch (err) {
      s.log.error(`Run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      void vscode.window.showErrorMessage(`MapCoder-Lite: the run failed: ${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((a) => {
        if (a) s.log.show();
      });
    } finally {
      for (const sink of sinks) sink.close?.();
      this.running.delete(run);
      if (!run.id) this.release(target);
      this.refreshStatus();
      resolveFinished();
    }
  }

  dispose(): void {
    for (const r of this.running) r.abort.abort();
    this.status.dispose();
    this.targets.dispose();
  }

  /** A run already on this target is cancelled first, if the user agrees; false: they did not. */
  private async clearTheWay(target: Target): Promise<boolean> {
    const clash = [...this.running].find((r) => r.target.key === target.key);
    if (!clash) return true;
    const answer = await vscode.window.showWarningMessage(
      `MapCoder-Lite is already working on ${target.answer.kind === 'untitled' ? 'this problem' : vscode.workspace.asRelativePath(target.answer.uri)}. Cancel that run and start this one?`,
      { modal: true },
      'Cancel It and Start',
    );
    if (answer !== 'Cancel It and Start') return false;
    clash.abort.abort();
    await clash.finished;
    return true;
  }

  /** A run that failed because the local engine died says so; the next Solve starts a new engine. */
  private async engineLost(result: SolveResult, baseUrl: string): Promise<SolveResult> {
    const why = result.status === 'error' ? await this.s.local.lostReason(baseUrl) : undefined;
    return why ? { ...result, message: why } : result;
  }

  private async finish(run: ActiveRun, result: SolveResult): Promise<void> {
    const runId = run.id!;
    this.status.done(runId, result);
    this.s.log.info(`Run ${runId}: ${result.status}. ${result.message}`);
    await presentOutcome(this.s, run.target, runId, result, (id) => this.showRun(id));
  }

  private onLabel(run: ActiveRun): void {
    run.progress?.report({ message: run.tracker.text });
    this.refreshStatus();
  }

  private refreshStatus(): void {
    this.status.refresh([...this.running]);
  }
}

/** The prompt templates (the user's folder, else the built-in set); undefined after saying what is wrong. */
function loadPrompts(settings: Settings): PromptSet | undefined {
  try {
    return PromptSet.load(settings.promptsDir || undefined);
  } catch (err) {
    if (!(err instanceof PromptError)) throw err;
    void vscode.window.showErrorMessage(`MapCoder-Lite: ${err.message}`, 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapcoderLite.promptsDir');
    });
    return undefined;
  }
}
