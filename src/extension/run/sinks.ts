import type { PipelineEvent } from '../../core/events';
import { programName } from '../../core/step-names';
import type { TraceWriter } from '../../core/trace';
import { stressTerminalLines } from '../judge-format';
import type { Services } from '../services';
import type { Settings } from '../settings/read';
import type { Target } from '../target';
import type { ActiveRun, Work } from './active-run';
import { closeTrace, openTrace } from './trace-file';

// Where a run's events go, one small sink per listener: the run store (the panel), the trace file, the
// log, the judge terminal, and the progress label (status bar and notification). Each sees every event
// of the run from its 'run-started' on, in order; none knows of the others.

export interface RunSink {
  /** `runId`: the run's id, from its 'run-started' (the first event). */
  event(e: PipelineEvent, runId: string): void;
  /** The run is over (also after a failure). */
  close?(): void;
}

/** The panel's source: the run's state in the store, folded from every event. */
export function storeSink(s: Services, target: Target, work: Work): RunSink {
  return {
    event(e, runId) {
      if (e.type === 'run-started') {
        s.store.start({
          runId: e.runId, title: work.kind === 'debug' ? `Debug: ${target.title}` : target.title,
          file: target.source.scheme === 'file' ? target.source.fsPath : undefined, lang: target.lang, mode: e.mode, startedAt: e.at,
          ...(target.answer.kind !== 'untitled' && target.answer.uri.scheme === 'file' ? { answer: target.answer.uri.fsPath } : {}),
        });
      }
      s.store.apply(runId, e);
    },
  };
}

/** The run's JSONL trace; `opened` learns its file (the flywheel reads it on Accept). */
export function traceSink(s: Services, settings: Settings, opened: (runId: string, file: string) => void): RunSink {
  let trace: TraceWriter | undefined;
  return {
    event(e) {
      if (e.type === 'run-started') {
        trace = openTrace(s, settings, e.runId);
        if (trace) opened(e.runId, trace.file);
      }
      trace?.write(e);
    },
    close() {
      if (trace) closeTrace(s, trace);
    },
  };
}

export function logSink(s: Services, target: Target, work: Work): RunSink {
  return {
    event(e, runId) {
      if (e.type === 'run-started') s.log.info(`Run ${runId}: ${work.kind} "${target.title}" in ${target.lang} (k=${e.k}, t=${e.t}, prompts ${e.promptsHash}).`);
      if (e.type === 'run-started' && e.isolation) s.log.warn(`Run ${runId}: ${e.isolation}`);
      if (e.type === 'agent-failed') s.log.warn(`Run ${runId}: ${e.step.agent} call failed: ${e.error}`);
      if (e.type === 'agent-started' && e.note) s.log.info(`Run ${runId}: ${e.step.agent} call: ${e.note}.`);
    },
  };
}

/** The judge terminal shows the run's committed programs, each block whole, named by its own step. */
export function terminalSink(s: Services, target: Target, settings: Settings): RunSink {
  return {
    event(e) {
      if (e.type === 'candidate') s.terminal.block(`${target.title} · ${programName(e.step)}`, target.lang, e.candidate.report, settings.languages[target.lang]);
      if (e.type === 'stress-done') s.terminal.note(`${target.title} · stress tests, plan ${e.check.plan + 1}`, stressTerminalLines(e.check));
    },
  };
}

/** The current agent and round, for the status bar and the notification; `changed` shows a new label. */
export function progressSink(run: ActiveRun, changed: () => void): RunSink {
  return {
    event(e) {
      if (run.tracker.update(e) !== undefined) changed();
    },
  };
}
