import { Worker } from 'node:worker_threads';
import type { PipelineEvent, SolveResult } from '../../core/events';
import type { CoreSpec, FromWorker, RunMessage, ToWorker } from './core-messages';

// The host's side of the runs' core (core-worker.ts): one worker thread, started with the first run and
// kept for the next ones (the judge's probes of the machine then run once), each run's events relayed
// and its abort passed on. Starting the worker costs the editor's thread a few milliseconds; the worker
// loads and runs the core on its own. A worker that dies fails the runs it had; the next run starts a
// new one. vscode-free.

export interface CoreListener {
  onEvent(e: PipelineEvent): void;
  onJudging(purpose: string, phase: 'compiling' | 'testing'): void;
}

interface Pending {
  listener: CoreListener;
  resolve(r: SolveResult): void;
  reject(e: Error): void;
}

/** How long dispose waits for aborted runs to end their programs before stopping the worker. */
const DISPOSE_GRACE_MS = 5000;

export class CoreWorker {
  private worker: Worker | undefined;
  private readonly runs = new Map<number, Pending>();
  /** Every run's promise until it settles: what dispose waits for. */
  private readonly inFlight = new Set<Promise<SolveResult>>();
  private next = 1;

  /** `workerFile`: the bundled core-worker.js. */
  constructor(private readonly workerFile: string) {}

  /**
   * Runs `spec`. Resolves with the run's result; rejects with the run's own failure (a judge that cannot
   * work, a prompt error) or when the worker dies first.
   */
  run(spec: CoreSpec, listener: CoreListener, signal: AbortSignal): Promise<SolveResult> {
    const worker = this.started();
    const id = this.next++;
    const send = (m: ToWorker) => worker.postMessage(m);
    const onAbort = () => send({ type: 'abort', id });
    // A worker with runs keeps the process alive; idle, it does not (the extension host, a CLI, a test).
    worker.ref();
    const run = new Promise<SolveResult>((resolve, reject) => {
      this.runs.set(id, { listener, resolve, reject });
      send({ type: 'start', id, spec });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }).finally(() => {
      signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(run);
      if (!this.runs.size) this.worker?.unref();
    });
    this.inFlight.add(run);
    return run;
  }

  /** Aborts the runs (their programs end in the worker), then stops the worker. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    for (const id of this.runs.keys()) worker.postMessage({ type: 'abort', id } satisfies ToWorker);
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, DISPOSE_GRACE_MS).unref())]);
    await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile);
    worker.on('message', (m: FromWorker) => this.deliver(m));
    const lost = (why: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.runs) {
        this.runs.delete(id);
        p.reject(why);
      }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the runs' worker thread stopped before the run ended (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private deliver(m: FromWorker): void {
    const p = this.runs.get(m.id);
    if (!p) return;
    const msg: RunMessage = m;
    if (msg.type === 'event') p.listener.onEvent(msg.event);
    else if (msg.type === 'judging') p.listener.onJudging(msg.purpose, msg.phase);
    else {
      this.runs.delete(m.id);
      if (msg.type === 'done') p.resolve(msg.result);
      else p.reject(Object.assign(new Error(msg.message), msg.stack ? { stack: msg.stack } : {}));
    }
  }
}
