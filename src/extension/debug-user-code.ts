// "Debug with MapCoder-Lite": debugging rounds on a program the user wrote, after Run Sample Tests
// failed. vscode-free and built from the core's own pieces (AgentRunner + debugCall + the judge), with
// the same events and result shape as a pipeline run, so the panel, the trace and the inline
// proposal treat it like any other run.
import { randomBytes } from 'node:crypto';
import { AgentRunner, DEFAULT_CALL_POLICY, type CallPolicy } from '../core/agents/call';
import { debugCall } from '../core/agents/debugging';
import type { PromptSet } from '../core/agents/prompts';
import type { Candidate, PipelineListener, RankedPlan, SolveResult, StepRef } from '../core/events';
import type { Judge } from '../core/judge';
import type { LlmClient } from '../core/llm';
import { DEFAULT_T } from '../core/pipeline';
import type { JudgeReport, Lang, Problem } from '../core/types';

export interface DebugUserCodeOptions {
  problem: Problem;
  lang: Lang;
  /** The user's program and its (failing) report on the samples. */
  code: string;
  report: JudgeReport;
  /** Debugging rounds; default 5. */
  t?: number;
  llm: Pick<LlmClient, 'complete'>;
  judge: Pick<Judge, 'judge'>;
  prompts: PromptSet;
  signal?: AbortSignal;
  onEvent?: PipelineListener;
  policy?: Partial<CallPolicy>;
}

/** The debugging prompt wants a plan; the user wrote none, so the agent is told to read it from the code. */
export const USER_PLAN = "The user's own program; no written plan. Infer the intended approach from the code, keep it where it is sound, and fix what makes the samples fail.";

/** Resolves (never rejects) like `solve`: the best program found, the user's own when no round beat it. */
export async function debugUserCode(o: DebugUserCodeOptions): Promise<SolveResult> {
  const started = Date.now();
  const t = o.t ?? DEFAULT_T;
  if (!(t >= 1) || !Number.isInteger(t)) throw new RangeError(`t must be a positive integer (got ${o.t})`);
  const emit: PipelineListener = (e) => o.onEvent?.(e);
  const runner = new AgentRunner(o.llm, o.prompts, emit, { ...DEFAULT_CALL_POLICY, ...o.policy });
  const signal = o.signal ?? new AbortController().signal;
  const plan: RankedPlan = { index: 0, plan: USER_PLAN, confidence: 100, explanation: 'Debugging the program in the editor.' };
  emit({ type: 'run-started', runId: randomBytes(6).toString('hex'), problem: o.problem, lang: o.lang, mode: 'mapcoder', k: 1, t, promptsHash: o.prompts.hash, at: started });
  emit({ type: 'plans-ranked', plans: [plan] });

  const candidates: Candidate[] = [];
  const add = (code: string, report: JudgeReport, round: number, step: StepRef): Candidate => {
    const c: Candidate = { id: candidates.length + 1, code, plan: 0, round, report };
    candidates.push(c);
    emit({ type: 'candidate', candidate: c, step });
    return c;
  };
  let current = add(o.code, o.report, 0, { kind: 'code', agent: 'coding', plan: 0 });
  let planText = plan.plan;
  let status: SolveResult['status'] | undefined;
  let error: string | undefined;
  try {
    for (let round = 1; current.report.verdict !== 'AC' && round <= t; round++) {
      const fix = await runner.run(debugCall(o.problem, o.lang, '', planText, current.code, current.report, 0, round), signal);
      if (!fix.ok) break;
      if (fix.value.plan) planText = fix.value.plan;
      const report = await o.judge.judge({ code: fix.value.code, lang: o.lang, problem: o.problem, signal });
      current = add(fix.value.code, report, round, { kind: 'debug', agent: 'debugging', plan: 0, round });
    }
  } catch (err) {
    status = signal.aborted ? 'cancelled' : 'error';
    if (status === 'error') error = err instanceof Error ? err.message : String(err);
  }

  // The first program passing the most samples: a later round only wins by passing more.
  const best = candidates.reduce((b, c) => (c.report.passed > b.report.passed ? c : b));
  status ??= best.report.verdict === 'AC' ? 'passed' : best.report.passed > 0 ? 'partial' : 'failed';
  const improved = best.round > 0;
  const result: SolveResult = {
    status,
    code: improved ? best.code : o.code,
    lang: o.lang,
    passed: best.report.passed,
    total: best.report.total,
    chosen: { id: best.id, plan: 0, round: best.round, report: best.report },
    candidates: candidates.length,
    plans: [plan],
    agents: runner.tallies,
    ms: Date.now() - started,
    message: userDebugMessage(status, best, o.report, error),
    error,
  };
  emit({ type: 'done', result });
  return result;
}

function userDebugMessage(status: SolveResult['status'], best: Candidate, before: JudgeReport, error?: string): string {
  const score = `${best.report.passed} of ${best.report.total}`;
  const from = `your program passed ${before.passed} of ${before.total}`;
  const where = best.round > 0 ? ` (debugging round ${best.round})` : '';
  switch (status) {
    case 'passed':
      return `Fixed: the program now passes all ${best.report.total} sample tests${where}; ${from}.`;
    case 'cancelled':
      return best.round > 0 ? `Cancelled; the best program so far passes ${score}${where}; ${from}.` : 'Cancelled before any round improved your program.';
    case 'error':
      return `Stopped: ${error} ${best.round > 0 ? `The best program so far passes ${score}${where}.` : 'Your program is unchanged.'}`;
    default:
      return best.round > 0 ? `Not fully fixed: the best program passes ${score}${where}; ${from}.` : `No debugging round improved on your program (${from}).`;
  }
}
