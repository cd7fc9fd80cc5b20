import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { PromptError, PromptSet } from '../../core/agents/prompts';
import { speculates } from '../../core/llm/config';
import { LANGS } from '../../core/judge/languages';
import { programName } from '../../core/step-names';
import { stressTerminalLines } from '../judge-format';
import type { PipelineEvent, SolveResult } from '../../core/events';
import type { Judge } from '../../core/judge';
import type { TraceWriter } from '../../core/trace';
import type { PanelProvider } from '../panel/provider';
import type { Services } from '../services';
import type { Settings } from '../settings';
import { stressOptions, userStressPrograms } from '../stress-files';
import { judgeOptionsFrom } from '../settings';
import type { RunState } from '../../protocol/run-state';
import { ProgressTracker } from '../status-text';
import { resolveTarget, type Target } from '../target';
import { ensureTrusted, guardTarget } from '../user-guards';
import type { ActiveRun, Work } from './active-run';
import { collectAccepted } from './collect-accepted';
import { KeptTargets } from './kept-targets';
import { presentOutcome } from './outcome';
import type { Resume } from './resume';
import { RunStatusBar } from './status-bar';
import { closeTrace, openTrace } from './trace-file';

// One ActiveRun per solve: an AbortController, the pipeline's events fanned out to the run store (panel),
// the status bar, a cancellable progress notification, the judge terminal and a trace file; the
// result ends in an inline proposal. The heavy core modules (the pipeline and the endpoint client,
// which loads the openai SDK) are imported when a run first needs them, never at activation.

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
    const settings = this.s.config.settings();
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
    if (target.answer.kind !== 'untitled') s.proposals.clearFile(target.answer.uri);

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
    const endpoint = await s.config.endpoint(settings);
    const [{ LlmClient }, { Judge }] = await Promise.all([import('../../core/llm'), import('../../core/judge')]);
    const llm = new LlmClient(endpoint);
    const judge = new Judge(judgeOptionsFrom(settings));

    let resolveFinished!: () => void;
    const run: ActiveRun = { target, abort: new AbortController(), tracker: new ProgressTracker(), finished: new Promise((r) => (resolveFinished = r)) };
    this.running.add(run);
    this.refreshStatus();
    this.panel?.reveal();
    let trace: TraceWriter | undefined;

    const onEvent = (e: PipelineEvent): void => {
      if (e.type === 'run-started') {
        run.id = e.runId;
        this.targets.remember(e.runId, target);
        s.store.start({
          runId: e.runId, title: work.kind === 'debug' ? `Debug: ${target.title}` : target.title,
          file: target.source.scheme === 'file' ? target.source.fsPath : undefined, lang: target.lang, mode: e.mode, startedAt: e.at,
          ...(target.answer.kind !== 'untitled' && target.answer.uri.scheme === 'file' ? { answer: target.answer.uri.fsPath } : {}),
        });
        trace = openTrace(s, settings, e.runId);
        if (trace) this.traceFiles.set(e.runId, trace.file);
        s.log.info(`Run ${e.runId}: ${work.kind} "${target.title}" in ${target.lang} (k=${e.k}, t=${e.t}, prompts ${e.promptsHash}).`);
      }
      if (!run.id) return;
      trace?.write(e);
      s.store.apply(run.id, e);
      if (e.type === 'agent-failed') s.log.warn(`Run ${run.id}: ${e.step.agent} call failed: ${e.error}`);
      // The judge terminal shows the run's committed programs, each block whole, named by its own step.
      if (e.type === 'candidate') s.terminal.block(`${target.title} · ${programName(e.step)}`, target.lang, e.candidate.report, settings.languages[target.lang]);
      if (e.type === 'stress-done') s.terminal.note(`${target.title} · stress tests, plan ${e.check.plan + 1}`, stressTerminalLines(e.check));
      if (run.tracker.update(e) !== undefined) this.onLabel(run);
    };

    // The status bar and the notification follow the judge: compiling, then testing, the program in turn.
    const judged: Pick<Judge, 'judge'> = {
      judge: (req) => {
        if (req.quiet || !req.purpose) return judge.judge(req);
        const say = (phase: 'compiling' | 'testing') => {
          run.tracker.judging(req.purpose!, phase);
          this.onLabel(run);
        };
        say(LANGS[req.lang].compile ? 'compiling' : 'testing');
        return judge.judge({ ...req, onCompile: (c) => (say('testing'), req.onCompile?.(c)) });
      },
    };

    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: ${target.title}`, cancellable: true },
        async (progress, token) => {
          run.progress = progress;
          token.onCancellationRequested(() => run.abort.abort());
          // A judge whose programs cannot reach its folder stops the run here, in one line, before any agent call.
          await judge.ready();
          if (work.kind === 'debug') {
            const { debugUserCode } = await import('../debug-user-code');
            return debugUserCode({ problem: target.problem, lang: target.lang, code: work.code, report: work.report, t: Math.max(1, settings.t), llm, judge: judged, prompts, signal: run.abort.signal, onEvent });
          }
          const { solve } = await import('../../core/pipeline');
          return solve({
            problem: target.problem, lang: target.lang, k: settings.k, t: settings.t, llm, judge: judged, prompts,
            signal: run.abort.signal, onEvent, from: work.from, speculate: speculates(settings.speculativePlans, settings.backend),
            ...(settings.stressTests ? { stress: stressOptions(settings.stressTests, userStressPrograms(dirname(target.source.fsPath))) } : {}),
          });
        },
      );
      await this.finish(run, result);
    } catch (err) {
      s.log.error(`Run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      void vscode.window.showErrorMessage(`MapCoder-Lite: the run failed: ${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((a) => {
        if (a) s.log.show();
      });
    } finally {
      if (trace) closeTrace(s, trace);
      await judge.dispose();
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
