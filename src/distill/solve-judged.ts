import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { PromptSet } from '../core/agents/prompts';
import type { PipelineEvent, SolveResult } from '../core/events';
import type { Judge } from '../core/judge';
import { solve, type SolveOptions } from '../core/pipeline';
import { TraceWriter } from '../core/trace';
import type { Lang } from '../core/types';
import type { EvalProblem } from '../eval/datasets';
import type { HiddenJudge } from '../eval/judge/types';
import type { Llm } from './endpoints';
import type { DistillRecord } from './types';

/** What every distillation run needs besides its endpoints. */
export interface SolveSetup {
  lang: Lang;
  k: number;
  t: number;
  prompts: PromptSet;
  /** Judges candidates on the samples while solving. */
  judge: Pick<Judge, 'judge'>;
  /** Judges final programs on the hidden tests. */
  hidden: Pick<HiddenJudge, 'judgeHidden'>;
  policy?: SolveOptions['policy'];
  /** Folder for one trace file per solve (the whole trajectory, for audits); none when absent. */
  traceDir?: string;
}

export interface JudgedSolve {
  result: SolveResult;
  events: PipelineEvent[];
  hidden: DistillRecord['hidden'];
  /** Every hidden test passed. */
  solved: boolean;
}

/**
 * One pipeline run on a problem, its final program then judged on the hidden tests.
 * undefined when cancelled (nothing to record).
 */
export async function solveJudged(
  s: SolveSetup, ep: EvalProblem, llm: Llm, signal: AbortSignal | undefined, traceName: string, from?: SolveOptions['from'],
): Promise<JudgedSolve | undefined> {
  const events: PipelineEvent[] = [];
  let trace: TraceWriter | undefined;
  if (s.traceDir) {
    mkdirSync(s.traceDir, { recursive: true });
    trace = new TraceWriter(path.join(s.traceDir, `${safeName(traceName)}.jsonl`));
  }
  let result: SolveResult;
  try {
    result = await solve({
      problem: ep.problem, lang: s.lang, k: s.k, t: s.t, llm, judge: s.judge, prompts: s.prompts, signal, policy: s.policy, from,
      onEvent: (e) => {
        if (e.type === 'token') return;
        events.push(e);
        trace?.write(e);
      },
    });
  } finally {
    trace?.close();
  }
  if (result.status === 'cancelled' || signal?.aborted) return undefined;
  const total = ep.hidden.kind === 'stdio' ? ep.hidden.tests.length : ep.hidden.snippets.length;
  const hidden: DistillRecord['hidden'] = { passed: 0, total, available: ep.hiddenAvailable };
  if (result.code) {
    try {
      const h = await s.hidden.judgeHidden(result.code, s.lang, ep, signal);
      Object.assign(hidden, { passed: h.passed, total: h.total });
    } catch (err) {
      if (signal?.aborted) return undefined;
      hidden.error = (err as Error).message;
    }
  }
  const solved = hidden.error === undefined && hidden.total > 0 && hidden.passed === hidden.total;
  return { result, events, hidden, solved };
}

/** A problem id as a file name: ids hold '/', '#', spaces; the hash keeps "a/b" and "a_b" apart. */
export function safeName(id: string): string {
  return `${id.replace(/[^\w.-]+/g, '_')}-${createHash('sha256').update(id).digest('hex').slice(0, 6)}`;
}

export function callCount(r: SolveResult): number {
  return Object.values(r.agents).reduce((n, a) => n + a.calls, 0);
}
