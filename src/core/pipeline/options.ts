// What a caller gives a run: the problem, the agents' client and prompts, the judge, and how to run.
import type { CallPolicy } from '../agents/call';
import type { PromptSet } from '../agents/prompts';
import type { PipelineListener, RankedPlan, RetrievalResult } from '../events';
import type { Judge } from '../judge';
import type { LlmClient } from '../llm';
import type { StressOptions } from '../stress';
import type { JudgeReport, Lang, Problem } from '../types';

export type SolveMode = 'mapcoder' | 'direct';

export interface SolveOptions {
  problem: Problem;
  lang: Lang;
  /** `mapcoder`: the four agents. `direct`: one coding call (the paper's Direct baseline). */
  mode?: SolveMode;
  /** Exemplars to retrieve (MapCoder's k); default 3. */
  k?: number;
  /** Debugging rounds per plan (MapCoder's t); default 5. */
  t?: number;
  llm: Pick<LlmClient, 'complete'>;
  judge: Pick<Judge, 'judge'>;
  prompts: PromptSet;
  signal?: AbortSignal;
  onEvent?: PipelineListener;
  policy?: Partial<CallPolicy>;
  /**
   * Speculative plans: each plan's coding and debugging starts as soon as the plan exists, all plans at
   * once, instead of one plan after the other once all are ranked. The outcome is the one the ordered
   * schedule gives (plans are still committed best confidence first, a lower-ranked branch's work is
   * dropped when a better-ranked plan passes); only wall time and token use differ. The plan in turn
   * has the judge first (speculative judge runs stop for it), so on a server that batches requests
   * (vLLM) it is no slower than the ordered schedule; on one with few parallel slots speculative
   * requests queue ahead of the plan in turn. Off by default: it spends tokens on plans the ordered
   * schedule may never try.
   */
  speculate?: boolean;
  /**
   * Resume from earlier results: the given steps are not re-run. `retrieval` skips retrieval, `plans`
   * (e.g. one the user edited) skips planning, and `program` (e.g. the user's own code) stands in for
   * the coding agent's program under the first plan, so the run goes straight to testing and debugging.
   */
  from?: { retrieval?: RetrievalResult; plans?: RankedPlan[]; program?: { code: string; report?: JudgeReport } };
  /**
   * Stress tests (MapCoder mode): a program that passes every sample is also run against a brute force
   * on generated inputs (stress.ts); an input where they disagree joins the tests, and debugging goes on
   * from that program. Off when absent or `tests` is 0 (the paper's samples-only setting).
   */
  stress?: StressOptions;
}
