import type { PipelineEvent } from '../../core/events';
import { endRun, newRunState, reduce, snapshot, STEPS, summarize, type ProposalStatus, type RunMeta, type RunState, type RunSummary } from '../../run-state';
import { OneShot, realTimers, type Timers } from './timers';

// The runs the panel can show: the current one and a capped history, persisted through `save`.

export type { RunMeta, RunState, RunSummary } from '../../run-state';

/** What changed, delivered synchronously (the panel throttles on its side). `tokens` set: only text was appended. */
export interface RunUpdate {
  runId: string;
  tokens?: { callId: string; text: string };
}

export interface RunStoreOptions {
  /** History size; default 20. The running run is never evicted. */
  maxRuns?: number;
  /** Runs saved by an earlier session (newest first, as `save` receives them). */
  persisted?: RunState[];
  save?: (runs: RunState[]) => void;
  /** Save at most this often; default 1000 ms. Token appends never trigger a save. */
  saveDelayMs?: number;
  /** `onDidChange` fires at most once per run within this window; default 50 ms. */
  changeDelayMs?: number;
  timers?: Timers;
}

interface Disposable {
  dispose(): void;
}

export const INTERRUPTED_MESSAGE = 'VS Code closed while this run was going.';

export class RunStore implements Disposable {
  /** Oldest first. */
  private runs: RunState[] = [];
  private currentId: string | undefined;
  private readonly maxRuns: number;
  private readonly saver: OneShot;
  private readonly notifier: OneShot;
  private readonly changed = new Set<string>();
  private readonly changeListeners = new Set<(runId: string) => void>();
  private readonly updateListeners = new Set<(u: RunUpdate) => void>();

  constructor(private readonly opts: RunStoreOptions = {}) {
    this.maxRuns = Math.max(1, opts.maxRuns ?? 20);
    const timers = opts.timers ?? realTimers;
    this.saver = new OneShot(timers, opts.saveDelayMs ?? 1000, () => this.saveNow());
    this.notifier = new OneShot(timers, opts.changeDelayMs ?? 50, () => this.notifyChanged());
    const restored = (opts.persisted ?? []).filter(looksLikeRun).slice(0, this.maxRuns).reverse();
    for (const run of restored) this.runs.push(restore(run));
    this.currentId = this.runs.at(-1)?.meta.runId;
  }

  /** The new run becomes current. */
  start(meta: RunMeta): void {
    this.runs = this.runs.filter((r) => r.meta.runId !== meta.runId);
    this.runs.push(newRunState(meta));
    this.currentId = meta.runId;
    this.evict();
    this.structural(meta.runId);
  }

  /** Folds a pipeline event into the run. Never throws into the pipeline that calls it. */
  apply(runId: string, e: PipelineEvent): void {
    const run = this.get(runId);
    if (!run) return;
    reduce(run, e);
    if (e.type === 'token') {
      this.emitUpdate({ runId, tokens: { callId: e.callId, text: e.delta } });
      this.touch(runId);
    } else {
      this.structural(runId);
    }
  }

  markProposal(runId: string, status: Exclude<ProposalStatus, 'none'>): void {
    const run = this.get(runId);
    if (!run || run.proposal === status) return;
    run.proposal = status;
    this.structural(runId);
  }

  /** The live state: treat as read-only; take `snapshot(run)` to keep or send a copy. */
  get(runId: string): RunState | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) if (this.runs[i].meta.runId === runId) return this.runs[i];
    return undefined;
  }

  current(): RunState | undefined {
    return this.currentId === undefined ? undefined : this.get(this.currentId);
  }

  /** Newest first. */
  list(): RunSummary[] {
    return this.runs.map(summarize).reverse();
  }

  /** The newest run whose program went into `file` and that kept its problem. */
  latestFor(file: string): RunState | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) if (this.runs[i].meta.answer === file && this.runs[i].problem) return this.runs[i];
    return undefined;
  }

  /** Fires once per changed run per burst (tokens included), after a short delay. */
  onDidChange(listener: (runId: string) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** Fires synchronously on every change; for the panel, which batches on its own clock. */
  onDidUpdate(listener: (u: RunUpdate) => void): Disposable {
    this.updateListeners.add(listener);
    return { dispose: () => this.updateListeners.delete(listener) };
  }

  /** Writes a pending save now (call before the extension deactivates). */
  flush(): void {
    this.saver.fire();
    this.notifier.fire();
  }

  dispose(): void {
    this.flush();
    this.changeListeners.clear();
    this.updateListeners.clear();
  }

  private evict(): void {
    while (this.runs.length > this.maxRuns) {
      const i = this.runs.findIndex((r) => r.status !== 'running' && r.meta.runId !== this.currentId);
      if (i < 0) return;
      const [gone] = this.runs.splice(i, 1);
      this.emitUpdate({ runId: gone.meta.runId });
    }
  }

  private structural(runId: string): void {
    this.emitUpdate({ runId });
    this.touch(runId);
    if (this.opts.save) this.saver.schedule();
  }

  private touch(runId: string): void {
    this.changed.add(runId);
    this.notifier.schedule();
  }

  private notifyChanged(): void {
    const ids = [...this.changed];
    this.changed.clear();
    for (const id of ids) for (const l of [...this.changeListeners]) guarded(() => l(id));
  }

  private emitUpdate(u: RunUpdate): void {
    for (const l of [...this.updateListeners]) guarded(() => l(u));
  }

  private saveNow(): void {
    const save = this.opts.save;
    if (save) guarded(() => save(this.runs.map(snapshot).reverse()));
  }
}

/** A run persisted while it was going cannot continue: it comes back cancelled and marked interrupted. */
function restore(run: RunState): RunState {
  if (run.status === 'running') {
    run.status = 'cancelled';
    run.interrupted = true;
    endRun(run, INTERRUPTED_MESSAGE);
  }
  // The inline proposal's decorations did not survive the reload.
  if (run.proposal === 'showing') run.proposal = 'stale';
  return run;
}

/** Persisted data may come from an older version or be damaged: keep only what the panel can render. */
function looksLikeRun(x: unknown): x is RunState {
  const r = x as RunState | null;
  return (
    typeof r === 'object' && r !== null &&
    typeof r.meta?.runId === 'string' && typeof r.meta.title === 'string' && typeof r.meta.startedAt === 'number' &&
    typeof r.status === 'string' && Array.isArray(r.calls) && Array.isArray(r.plans) && Array.isArray(r.candidates) &&
    typeof r.steps === 'object' && r.steps !== null && STEPS.every((s) => typeof r.steps[s]?.status === 'string') &&
    r.calls.every((c) => Array.isArray(c?.chunks) && typeof c.step?.kind === 'string')
  );
}

function guarded(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    // A broken listener must not break the pipeline that feeds the store.
    console.error('[mapcoder-lite] run store listener failed:', err);
  }
}
