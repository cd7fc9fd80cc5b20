import { Worker } from 'node:worker_threads';
import type { PipelineEvent, SolveResult } from '../../core/events';
import type { CoreSpec, FromWorker, ToWorker } from './core-messages';

// The host's side of a run's core (core-worker.ts): one worker thread per run, its events relayed, its
// abort passed on. Starting a worker costs the editor's thread a few milliseconds; the worker loads and
// runs the core on its own. vscode-free.

export interface CoreListener {
  onEvent(e: PipelineEvent): void;
  onJudging(purpose: string, phase: 'compiling' | 'testing'): void;
}

/**
 * Runs `spec` in a worker started from `workerFile` (the bundled core-worker.js). Resolves with the
 * run's result; rejects with the run's own failure (a judge that cannot work, a prompt error) or when
 * the worker dies without one.
 */
export function runCore(workerFile: string, spec: CoreSpec, listener: CoreListener, signal: AbortSignal): Promise<SolveResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile);
    const send = (m: ToWorker) => worker.postMessage(m);
    let ended = false;
    const end = (fn: () => void) => {
      if (ended) return;
      ended = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => send({ type: 'abort' });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'event') listener.onEvent(m.event);
      else if (m.type === 'judging') listener.onJudging(m.purpose, m.phase);
      else if (m.type === 'done') end(() => resolve(m.result));
      else end(() => reject(Object.assign(new Error(m.message), m.stack ? { stack: m.stack } : {})));
    });
    worker.on('error', (err) => end(() => reject(err)));
    worker.on('exit', (code) => end(() => reject(new Error(`the run's worker stopped before the run ended (exit code ${code})`))));
    signal.addEventListener('abort', onAbort, { once: true });
    send({ type: 'start', spec });
    if (signal.aborted) onAbort();
  });
}
