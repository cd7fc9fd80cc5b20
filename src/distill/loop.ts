import { setMaxListeners } from 'node:events';
import type { EvalProblem } from '../eval/datasets';
import { runPool } from '../eval/pool';
import { appendJsonl, readJsonlLog } from './files';
import { Progress } from './progress';
import type { DistillRecord } from './types';

export interface ProblemLoop {
  problems: EvalProblem[];
  /** The results log: one record per finished problem, keyed by id. */
  file: string;
  concurrency: number;
  signal?: AbortSignal;
  /** undefined: cancelled, nothing to record (the problem is done again next time). */
  work: (ep: EvalProblem, signal: AbortSignal | undefined) => Promise<DistillRecord | undefined>;
  /** Progress lines (with an ETA), one per finished problem. */
  onProgress?: (line: string, r: DistillRecord) => void;
  /** The settings a results log was made with must match this run's, or resuming would mix them. */
  sameSettings: (r: DistillRecord) => string | undefined;
}

export interface LoopSummary {
  problems: number;
  resumed: number;
  written: number;
  /** Problems done now whose run stopped because the endpoint failed (done again next time). */
  endpointFailed: number;
  cancelled: boolean;
  /** Every record in the log after the run (earlier ones included), the last per id. */
  records: DistillRecord[];
}

/** A record to redo on resume: the endpoint or the hidden judge failed, not the model. */
export function needsRetry(r: DistillRecord): boolean {
  return r.status === 'error' || r.hidden.error !== undefined;
}

export class ResumeMismatchError extends Error {
  override name = 'ResumeMismatchError';
}

/** Runs `work` on every problem not yet finished in `file`, a bounded number at a time. */
export async function runProblems(loop: ProblemLoop): Promise<LoopSummary> {
  const earlier = latestById(readJsonlLog<DistillRecord>(loop.file));
  for (const r of earlier.values()) {
    const why = loop.sameSettings(r);
    if (why) throw new ResumeMismatchError(`${loop.file} was made with other settings (${why}); use another --out`);
  }
  const done = new Set([...earlier.values()].filter((r) => !needsRetry(r)).map((r) => r.id));
  const todo = loop.problems.filter((p) => !done.has(p.id));
  const summary: LoopSummary = { problems: loop.problems.length, resumed: loop.problems.length - todo.length, written: 0, endpointFailed: 0, cancelled: false, records: [] };
  const progress = new Progress(loop.problems.length, summary.resumed);
  // Every solve listens on the run's signal while it runs: more than Node's default 10 at high concurrency.
  if (loop.signal) setMaxListeners(0, loop.signal);
  await runPool(
    todo,
    loop.concurrency,
    async (ep) => {
      const record = await loop.work(ep, loop.signal);
      if (!record || loop.signal?.aborted) return;
      appendJsonl(loop.file, record);
      earlier.set(record.id, record);
      summary.written++;
      if (record.status === 'error') summary.endpointFailed++;
      loop.onProgress?.(progress.line(`${ep.dataset} ${ep.id}: ${record.kept ? 'kept' : 'dropped'}, ${record.reason}`), record);
    },
    loop.signal,
  );
  summary.cancelled = loop.signal?.aborted === true;
  summary.records = [...earlier.values()];
  return summary;
}

export function latestById(records: DistillRecord[]): Map<string, DistillRecord> {
  return new Map(records.map((r) => [r.id, r]));
}
