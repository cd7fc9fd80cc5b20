import * as path from 'node:path';
import type { DatasetInfo, EvalProblem } from '../eval/datasets';
import { debuggingBy, type Llm } from './endpoints';
import { runProblems, type LoopSummary } from './loop';
import { callCount, solveJudged, type SolveSetup } from './solve-judged';
import { examplesFrom, successfulPath, trajectoryOf } from './trajectory';
import type { DistillRecord, ExampleSource } from './types';

export interface CollectOptions extends SolveSetup {
  dataset: DatasetInfo;
  /** Only the first N problems. */
  limit?: number;
  concurrency: number;
  outDir: string;
  teacher: Llm;
  /**
   * --debug-from-student: the student retrieves, plans and codes; the teacher debugs. Only debugging
   * examples are kept, from runs whose final program came from a debugging round and passes.
   */
  student?: Llm;
  signal?: AbortSignal;
  onProgress?: (line: string, r: DistillRecord) => void;
}

export const collectFile = (outDir: string, debug: boolean) => path.join(outDir, debug ? 'collect-debug.jsonl' : 'collect.jsonl');

/**
 * Pass-based trajectory distillation: a full pipeline run per problem, the final program judged on the
 * hidden tests, and the calls of a passing trajectory written as training examples (in the record).
 */
export async function runCollect(opts: CollectOptions): Promise<LoopSummary> {
  const source: ExampleSource = opts.student ? 'collect-debug' : 'collect';
  const llm = opts.student ? debuggingBy(opts.teacher, opts.student) : opts.teacher;
  const supported = opts.dataset.problems.filter((p) => !p.langs || p.langs.includes(opts.lang));
  return runProblems({
    problems: opts.limit === undefined ? supported : supported.slice(0, opts.limit),
    file: collectFile(opts.outDir, source === 'collect-debug'),
    concurrency: opts.concurrency,
    signal: opts.signal,
    onProgress: opts.onProgress,
    sameSettings: (r) => (r.lang !== opts.lang || r.k !== opts.k || r.t !== opts.t ? `--lang ${r.lang} --k ${r.k} --t ${r.t}` : undefined),
    work: (ep, signal) => collectOne({ ...opts, traceDir: opts.traceDir && path.join(opts.traceDir, source) }, ep, llm, source, signal),
  });
}

async function collectOne(opts: CollectOptions, ep: EvalProblem, llm: Llm, source: ExampleSource, signal?: AbortSignal): Promise<DistillRecord | undefined> {
  const started = Date.now();
  const run = await solveJudged(opts, ep, llm, signal, ep.id);
  if (!run) return undefined;
  const { result, hidden, solved } = run;
  const record: DistillRecord = {
    id: ep.id, dataset: ep.dataset, source, lang: opts.lang, k: opts.k, t: opts.t, status: result.status, kept: false, reason: '',
    samples: { passed: result.passed, total: result.total }, hidden, examples: [], promptsHash: opts.prompts.hash,
    calls: callCount(result), seconds: Math.round((Date.now() - started) / 100) / 10, error: result.error,
  };
  const tests = hidden.available ? 'hidden tests' : 'tests (samples only: the set has no hidden tests)';
  if (result.status === 'error') record.reason = `the run stopped: ${result.error}`;
  else if (hidden.error) record.reason = `the hidden judge failed: ${hidden.error}`;
  else if (!result.code) record.reason = 'no program was produced';
  else if (!solved) record.reason = `the final program passes ${hidden.passed} of ${hidden.total} ${tests}`;
  else if (source === 'collect-debug' && !(result.chosen && result.chosen.round > 0)) record.reason = 'the student solved it without debugging';
  else {
    const trajectory = trajectoryOf(run.events);
    const got = examplesFrom(successfulPath(trajectory), trajectory, {
      source, problem: `${ep.dataset}/${ep.id}`, agents: source === 'collect-debug' ? ['debugging'] : undefined,
    });
    record.examples = got.examples;
    record.kept = got.examples.length > 0;
    const skipped = got.skipped.length ? `; ${got.skipped.length} calls skipped (${[...new Set(got.skipped.map((s) => s.why))].join('; ')})` : '';
    record.reason = `passes all ${hidden.total} ${tests}: ${got.examples.length} examples${skipped}`;
  }
  return record;
}
