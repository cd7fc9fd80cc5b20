// "Debug with MapCoder-Lite": debugging rounds on a program the user wrote, after Run Sample Tests
// failed. vscode-free: it is the core pipeline started at the debugging step (`from.program`), so
// the panel, the trace and the inline proposal treat it like any other run. Only the wording of the
// result is specific: it compares with the user's program.
import type { PipelineListener, RankedPlan, SolveResult } from '../core/events';
import { DEFAULT_T } from '../core/defaults';
import { solve, type SolveOptions } from '../core/pipeline';
import type { JudgeReport } from '../core/types';

/** A solve's options without what this run fixes itself (no retrieval, one plan: the user's program). */
export interface DebugUserCodeOptions extends Pick<SolveOptions, 'problem' | 'lang' | 't' | 'llm' | 'judge' | 'prompts' | 'signal' | 'onEvent' | 'policy'> {
  /** The user's program and its (failing) report on the samples. */
  code: string;
  report: JudgeReport;
}

/** The debugging prompt wants a plan; the user wrote none, so the agent is told to read it from the code. */
export const USER_PLAN = "The user's own program; no written plan. Infer the intended approach from the code, keep it where it is sound, and fix what makes the samples fail.";

/** Resolves (never rejects) like `solve`: the best program found, the user's own when no round beat it. */
export async function debugUserCode(o: DebugUserCodeOptions): Promise<SolveResult> {
  const t = o.t ?? DEFAULT_T;
  if (!(t >= 1) || !Number.isInteger(t)) throw new RangeError(`t must be a positive integer (got ${o.t})`);
  const plan: RankedPlan = { index: 0, plan: USER_PLAN, confidence: 100, explanation: 'Debugging the program in the editor.' };
  let result: SolveResult | undefined;
  // The pipeline's final `done` event is rewritten with the user-facing message before listeners see it.
  const onEvent: PipelineListener = (e) => {
    if (e.type === 'done') {
      result = { ...e.result, message: userDebugMessage(e.result, o.report) };
      o.onEvent?.({ type: 'done', result });
    } else o.onEvent?.(e);
  };
  await solve({
    problem: o.problem, lang: o.lang, t, llm: o.llm, judge: o.judge, prompts: o.prompts, signal: o.signal, policy: o.policy, onEvent,
    from: { retrieval: { exemplars: [], algorithm: '' }, plans: [plan], program: { code: o.code, report: o.report } },
  });
  return result!;
}

function userDebugMessage(r: SolveResult, before: JudgeReport): string {
  const round = r.chosen?.round ?? 0;
  const score = `${r.passed} of ${r.total}`;
  const from = `your program passed ${before.passed} of ${before.total}`;
  const where = round > 0 ? ` (debugging round ${round})` : '';
  switch (r.status) {
    case 'passed':
      return `Fixed: the program now passes all ${r.total} sample tests${where}; ${from}.`;
    case 'cancelled':
      return round > 0 ? `Cancelled; the best program so far passes ${score}${where}; ${from}.` : 'Cancelled before any round improved your program.';
    case 'error':
      return `Stopped: ${r.error} ${round > 0 ? `The best program so far passes ${score}${where}.` : 'Your program is unchanged.'}`;
    default:
      return round > 0 ? `Not fully fixed: the best program passes ${score}${where}; ${from}.` : `No debugging round improved on your program (${from}).`;
  }
}
