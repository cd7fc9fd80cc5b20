import { AGENTS, type AgentName } from '../core/types';
import type { HiddenJudgeName } from './judge/types';
import { endpointFailed, sumAgents, type EvalMode, type EvalRecord } from './record';

/** The figures of one (dataset, mode) results file, as the report shows them. */
export interface GroupStats {
  dataset: string;
  mode: EvalMode;
  /** Problems measured: solved or not. Those whose endpoint failed are not counted here. */
  problems: number;
  /** Problems whose run stopped because the endpoint failed: neither solved nor failed. */
  notMeasured: number;
  /** Why, from the first such problem. */
  notMeasuredReason?: string;
  solved: number;
  /** Solved / problems, in percent. */
  pass1: number;
  /** false when any record was judged on samples only (no hidden tests in the source). */
  hiddenAvailable: boolean;
  /** Hidden tests (or snippets) per problem, on average: what the final programs were judged on. */
  avgHiddenTests: number;
  /** The judges that ran the hidden tests (records from before this was kept: local). */
  judges: HiddenJudgeName[];
  /** Problems whose final program passed every sample. */
  samplesPassed: number;
  errors: number;
  format: Record<AgentName, { recovered: number; unrecovered: number }>;
  /** Problems with at least one unrecovered format failure. */
  problemsWithUnrecovered: number;
  /** How the replies were decoded: all held to a grammar, none, or some. */
  decoding: 'constrained' | 'free' | 'partly constrained';
  avgCalls: number;
  callsByAgent: Record<AgentName, number>;
  avgPromptTokens: number;
  avgCompletionTokens: number;
  avgSeconds: number;
  totalSeconds: number;
  /** Solved problems by where the final program came from: 'direct', 'first program', 'debug round n'. */
  solvedAt: Record<string, number>;
  /** Runs with stress tests: pass@1 of the samples-only answers of the same runs, beside `pass1`. */
  stress?: { tests: number; samplesOnlySolved: number; pass1SamplesOnly: number; counterexamples: number };
  /** Where some problems had checkers: pass@1 with their verdicts through them (exact elsewhere), beside the exact `pass1`. */
  checked?: { problems: number; solved: number; pass1: number };
}

const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

export function whereSolved(r: EvalRecord): string {
  if (r.mode === 'direct' || r.plan === -1) return 'direct';
  return !r.round ? 'first program' : `debug round ${r.round}`;
}

function decoding(records: EvalRecord[]): GroupStats['decoding'] {
  const calls = records.reduce((n, r) => n + sumAgents(r.agents, 'calls'), 0);
  const held = records.reduce((n, r) => n + sumAgents(r.agents, 'constrained'), 0);
  return held === 0 ? 'free' : held >= calls ? 'constrained' : 'partly constrained';
}

export function groupStats(dataset: string, mode: EvalMode, all: EvalRecord[]): GroupStats {
  const unmeasured = all.filter(endpointFailed);
  const records = all.filter((r) => !endpointFailed(r));
  const solved = records.filter((r) => r.solved);
  const format = Object.fromEntries(
    AGENTS.map((a) => [a, { recovered: records.reduce((n, r) => n + r.agents[a].formatRecovered, 0), unrecovered: records.reduce((n, r) => n + r.agents[a].formatUnrecovered, 0) }]),
  ) as GroupStats['format'];
  const count = (keys: string[]) => keys.reduce<Record<string, number>>((m, k) => ((m[k] = (m[k] ?? 0) + 1), m), {});
  return {
    dataset, mode,
    problems: records.length,
    notMeasured: unmeasured.length,
    notMeasuredReason: unmeasured[0]?.error,
    solved: solved.length,
    pass1: records.length ? round1((100 * solved.length) / records.length) : 0,
    hiddenAvailable: records.every((r) => r.hidden.available),
    avgHiddenTests: round1(avg(records.map((r) => r.hidden.total))),
    judges: [...new Set(records.map((r) => r.hidden.judge ?? 'local'))],
    samplesPassed: records.filter((r) => r.samples.total > 0 && r.samples.passed === r.samples.total).length,
    errors: records.filter((r) => r.hidden.error !== undefined).length,
    format,
    problemsWithUnrecovered: records.filter((r) => AGENTS.some((a) => r.agents[a].formatUnrecovered > 0)).length,
    decoding: decoding(records),
    avgCalls: round1(avg(records.map((r) => r.calls))),
    callsByAgent: Object.fromEntries(AGENTS.map((a) => [a, round1(avg(records.map((r) => r.agents[a].calls)))])) as Record<AgentName, number>,
    avgPromptTokens: Math.round(avg(records.map((r) => r.promptTokens))),
    avgCompletionTokens: Math.round(avg(records.map((r) => r.completionTokens))),
    avgSeconds: round1(avg(records.map((r) => r.seconds))),
    totalSeconds: round1(records.reduce((n, r) => n + r.seconds, 0)),
    solvedAt: count(solved.map(whereSolved)),
    ...stressStats(records),
    ...checkedStats(records),
  };
}

function checkedStats(records: EvalRecord[]): Pick<GroupStats, 'checked'> {
  const problems = records.filter((r) => r.checked).length;
  if (!problems) return {};
  const solved = records.filter((r) => r.checked?.solved ?? r.solved).length;
  return { checked: { problems, solved, pass1: round1((100 * solved) / records.length) } };
}

function stressStats(records: EvalRecord[]): Pick<GroupStats, 'stress'> {
  const stressed = records.filter((r) => r.stress);
  if (!stressed.length) return {};
  const samplesOnlySolved = stressed.filter((r) => r.stress!.samplesOnlySolved).length;
  return {
    stress: {
      tests: stressed[0].stress!.tests,
      samplesOnlySolved,
      pass1SamplesOnly: round1((100 * samplesOnlySolved) / records.length),
      counterexamples: stressed.reduce((n, r) => n + r.stress!.counterexamples, 0),
    },
  };
}
