import type { Lang, Verdict } from '../../core/types';
import type { EvalProblem } from '../datasets';

/** How the final program did on the hidden tests. `verdict` is AC, or the first failing test's verdict. */
export interface HiddenResult {
  passed: number;
  total: number;
  verdict: Verdict;
}

/** Judges a final program on an EvalProblem's hidden tests (built-in processes, or an ExecEval pool). */
export type HiddenJudgeName = 'local' | 'execeval';

export interface HiddenJudge {
  readonly name: HiddenJudgeName;
  judgeHidden(code: string, lang: Lang, ep: EvalProblem, signal?: AbortSignal): Promise<HiddenResult>;
  /** Whether the problem's checker (`ep.problem.checker`) judges the outputs; else they are compared with the answers. */
  readonly usesCheckers: boolean;
  dispose(): Promise<void>;
}

/** AC when every test passed, else the first failure's verdict (CE/RE ahead of nothing). */
export function summarize(verdicts: Verdict[]): HiddenResult {
  const passed = verdicts.filter((v) => v === 'AC').length;
  return { passed, total: verdicts.length, verdict: verdicts.find((v) => v !== 'AC') ?? 'AC' };
}
