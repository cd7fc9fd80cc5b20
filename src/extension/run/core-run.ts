import { Worker } from 'node:worker_threads';
import type { PipelineEvent, SolveResult } from '../../core/events';
import type { CompileInfo, TestResult } from '../../core/types';
import type { CoreSpec, FromWorker, JobMessage, Judged, JudgeSpec, ToWorker } from './core-messages';

// The host's side of the runs' core (core-worker.ts): one worker thread per window, started with the
// first job and kept for the next ones (the judge's probes of the machine then run once), each job's
// messages relayed and its abort passed on. A job is a run or one judging of the user's program.
// Starting the worker costs the editor's thread a few milliseconds; the worker loads and runs the core
// on its own. A worker that dies fails the jobs it had; the next job starts a new one. vscode-free.

export interface CoreListener {
  onEvent(e: PipelineEvent): void;
  onJudging(purpose: string, phase: 'compiling' | 'testing'): void;
}

/** What a judging of the user's program tells as it goes (the judge terminal's view). */
export interface JudgeListener {
  onCompile(c: CompileInfo): void;
  onTest(r: TestResult): void;
}

interface Pending {
  hear(m: JobMessage): void;
  fail(e: Error): void;
}

/** How long dispose waits for aborted jobs to end their programs before stopping the worker. */
const DISPOSE_GRACE_MS = 5000;

export class CoreWorker {
  private worker: Worker | undefined;
  private readonly jobs = new Map<number, Pending>();
  /** Every job's promise until it settles: what dispose waits for. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private next = 1;

  /** `workerFile`: the bundled core-worker.js. */
  constructor(private readonly workerFile: string) {}

  /**
   * Runs `spec`. Resolves with the run's result; rejects with the run's own failure (a judge that cannot
   * work, a prompt error) or when the worker dies first.
   */
  run(spec: CoreSpec, listener: CoreListener, signal: AbortSignal): Promise<SolveResult> {
    return this.job<SolveResult>((id) => ({ type: 'start', id, spec }), signal, (m, settle) => {
      if (m.type === 'event') listener.onEvent(m.event);
      else if (m.type === 'judging') listener.onJudging(m.purpose, m.phase);
      else if (m.type === 'done') settle(m.result);
    });
  }

  /** Judges a program on its samples; rejects like `run`, and with an AbortError once aborted. */
  judgeProgram(spec: JudgeSpec, listener: JudgeListener, signal: AbortSignal): Promise<Judged> {
    return this.job<Judged>((id) => ({ type: 'judge', id, spec }), signal, (m, settle) => {
      if (m.type === 'compiled') listener.onCompile(m.info);
      else if (m.type === 'tested') listener.onTest(m.result);
      else if (m.type === 'judged') settle(m.judged);
    });
  }

  /** Aborts the jobs (their programs end in the worker), then stops the worker. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    for (const id of this.jobs.keys()) worker.postMessage({ type: 'abort', id } satisfies ToWorker);
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, DISPOSE_GRACE_MS).unref())]);
    await worker.terminate();
  }

  /** Starts a job; `hear` gets its messages until it calls `settle` (a 'failed' message rejects). */
  private job<T>(start: (id: number) => ToWorker, signal: AbortSignal, hear: (m: JobMessage, settle: (v: T) => void) => void): Promise<T> {
    const worker = this.started();
    const id = this.next++;
    const onAbort = () => worker.postMessage({ type: 'abort', id } satisfies ToWorker);
    // A worker with jobs keeps the process alive; idle, it does not (the extension host, a CLI, a test).
    worker.ref();
    const job = new Promise<T>((resolve, reject) => {
      const settle = (v: T) => {
        this.jobs.delete(id);
        resolve(v);
      };
      this.jobs.set(id, {
        hear: (m) => {
          if (m.type !== 'failed') return hear(m, settle);
          this.jobs.delete(id);
          // Its name kept: an aborted judging rejects with an AbortError, as the judge does.
          reject(Object.assign(new Error(m.message), m.name ? { name: m.name } : {}, m.stack ? { stack: m.stack } : {}));
        },
        fail: reject,
      });
      worker.postMessage(start(id));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }).finally(() => {
      signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(job);
      if (!this.jobs.size) this.worker?.unref();
    });
    this.inFlight.add(job);
    return job;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile);
    worker.on('message', (m: FromWorker) => this.jobs.get(m.id)?.hear(m));
    const lost = (why: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.jobs) {
        this.jobs.delete(id);
        p.fail(why);
      }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the runs' worker thread stopped before the run ended (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
