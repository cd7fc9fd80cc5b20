import type { SolveResult, SolveStatus, StressStatus } from '../core/events';
import { AGENTS, type AgentName, type Lang, type Verdict } from '../core/types';
import type { HiddenJudgeName } from './judge/types';

/** The three setups the paper compares. */
export type EvalMode = 'direct' | 'mapcoder' | 'lite';
export const EVAL_MODES: readonly EvalMode[] = ['direct', 'mapcoder', 'lite'];

export interface AgentCounts {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  formatRecovered: number;
  formatUnrecovered: number;
  /** Replies the server held to the protocol's shape (absent in records from before constrained replies). */
  constrained?: number;
}

/** One JSONL line of <out>/<dataset>.<mode>.jsonl: one problem, solved and judged. */
export interface EvalRecord {
  id: string;
  dataset: string;
  mode: EvalMode;
  lang: Lang;
  /** The plain model (direct, mapcoder) or the four adapters, agent=name (lite). */
  model: string;
  k: number;
  t: number;
  /** The solve's status on the samples (passed, partial, failed, untested, error). */
  status: SolveStatus;
  /** true when the final program passed every hidden test: what pass@1 counts. */
  solved: boolean;
  code: string;
  samples: { passed: number; total: number };
  /** `available: false`: the source has no hidden tests and these are the samples again. */
  /** `judge`: which judge ran the hidden tests (absent in results from before it was recorded: local). */
  hidden: { passed: number; total: number; verdict?: Verdict; available: boolean; error?: string; judge?: HiddenJudgeName };
  agents: Record<AgentName, AgentCounts>;
  promptTokens: number;
  completionTokens: number;
  calls: number;
  seconds: number;
  /** Plan (retrieval order, -1 for direct) and debugging round (0: first program) of the final program. */
  plan?: number;
  round?: number;
  error?: string;
  /**
   * With stress tests on (--stress N, MapCoder modes): N, what they found, and whether the program the
   * samples alone would have returned (the first to pass them) passed the hidden tests: pass@1 without
   * stress tests from the same run.
   */
  stress?: { tests: number; status?: StressStatus; counterexamples: number; samplesOnlySolved: boolean };
  /**
   * Problems with a checker (`--checkers DIR`, or a float tolerance the statement names), judged by the
   * local judge: the hidden tests through it. `hidden` and `solved` stay the exact comparison, as the
   * published figures are.
   */
  checked?: { passed: number; total: number; verdict?: Verdict; solved: boolean };
}

/** The endpoint failed: the run says nothing of the model, so the problem is not measured. */
export function endpointFailed(r: EvalRecord): boolean {
  return r.status === 'error';
}

/** A record to do again on resume: the endpoint or the judge failed rather than the model. */
export function needsRetry(r: EvalRecord): boolean {
  return endpointFailed(r) || r.status === 'cancelled' || r.hidden.error !== undefined;
}

export function agentCounts(result: SolveResult): Record<AgentName, AgentCounts> {
  return Object.fromEntries(
    AGENTS.map((a) => {
      const t = result.agents[a];
      return [a, {
        calls: t.calls, promptTokens: t.promptTokens, completionTokens: t.completionTokens, formatRecovered: t.formatRecovered, formatUnrecovered: t.formatUnrecovered,
        ...(t.constrained ? { constrained: t.constrained } : {}),
      }];
    }),
  ) as Record<AgentName, AgentCounts>;
}

export function sumAgents(agents: Record<AgentName, AgentCounts>, key: keyof AgentCounts): number {
  return AGENTS.reduce((n, a) => n + (agents[a][key] ?? 0), 0);
}
