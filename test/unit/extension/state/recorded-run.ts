import type { Candidate, PipelineEvent, RankedPlan, SolveResult, StepRef } from '../../../../src/core/events';
import type { FormatIssue, JudgeReport, Problem, TestResult } from '../../../../src/core/types';
import type { RunMeta } from '../../../../src/run-state';

// A recorded MapCoder run, as the pipeline emits it: retrieval with 3 exemplars, 3 plan chains streaming
// concurrently, ranking, a failing first program, two debugging rounds, and a pass.

export const META: RunMeta = { runId: 'r1', title: 'A + B', file: '/ws/sum.md', lang: 'python3', mode: 'mapcoder', startedAt: 1_000 };

export const PROBLEM: Problem = {
  title: 'A + B', statement: 'Print the sum of two integers.', samples: [{ input: '1 2\n', outputs: ['3'] }, { input: '5 7\n', outputs: ['12'] }],
  asserts: [], style: { kind: 'stdio' },
};

export const EXEMPLARS = [
  { description: 'Sum of a list', code: 'print(sum(map(int, input().split())))', planning: 'Read, add, print.' },
  { description: 'Difference of two numbers', code: 'a, b = map(int, input().split())\nprint(a - b)', planning: 'Read two, subtract.' },
  { description: 'Product <of> & two', code: 'print(eval(input().replace(" ", "*")))', planning: 'Parse, multiply.' },
];
export const ALGORITHM = 'Simple arithmetic: read the integers, combine them, print the result.';

export const PLANS = ['Plan A: read a list and sum it.', 'Plan B: read a and b, print a + b.', 'Plan C: parse with eval.'];
export const RANKED: RankedPlan[] = [
  { index: 1, plan: PLANS[1], confidence: 90, explanation: 'Direct and exact.' },
  { index: 2, plan: PLANS[2], confidence: 70, explanation: 'Works but uses eval.' },
  { index: 0, plan: PLANS[0], confidence: 60, explanation: 'Overkill for two numbers.' },
];

export const PROGRAMS = ['a, b = input().split()\nprint(a + b)', 'a, b = map(int, input().split())\nprint(a - b)', 'a, b = map(int, input().split())\nprint(a + b)'];

function test(index: number, verdict: TestResult['verdict'], actual: string): TestResult {
  const s = PROBLEM.samples[index];
  return { index, verdict, input: s.input, expected: s.outputs, actual, stderr: '', timeMs: 20 };
}

function report(tests: TestResult[]): JudgeReport {
  const passed = tests.filter((t) => t.verdict === 'AC').length;
  return { verdict: tests.find((t) => t.verdict !== 'AC')?.verdict ?? 'AC', passed, total: tests.length, tests };
}

export const REPORTS: JudgeReport[] = [
  report([test(0, 'WA', '12\n'), test(1, 'WA', '57\n')]),
  report([test(0, 'WA', '-1\n'), test(1, 'WA', '-2\n')]),
  report([test(0, 'AC', '3\n'), test(1, 'AC', '12\n')]),
];

export const RECOVERED: FormatIssue = { agent: 'retrieval', kind: 'text_before_root', detail: 'prose before <root>', recovered: true };
export const CONF_ISSUE: FormatIssue = { agent: 'planning', kind: 'confidence_percent', detail: '"85%"', recovered: true };

/** Splits a reply into streamed tokens (several per reply, so chunking is exercised). */
export function tokensOf(text: string, size = 7): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const MODEL: Record<string, string> = { retrieval: 'retrieval', planning: 'planning', coding: 'coding', debugging: 'debugging' };

interface Call {
  id: string;
  step: StepRef;
  reply: string;
  at: number;
  ms: number;
  parsed?: unknown;
  issues?: FormatIssue[];
  usage: { promptTokens: number; completionTokens: number };
}

const started = (c: Call): PipelineEvent => ({ type: 'agent-started', callId: c.id, step: c.step, model: '', attempt: 1, messages: [], at: c.at });
const finished = (c: Call): PipelineEvent => ({
  type: 'agent-finished', callId: c.id, step: c.step, model: MODEL[c.step.agent], attempt: 1, raw: c.reply, parsed: c.parsed ?? c.reply, ok: true,
  usage: c.usage, ms: c.ms, formatIssues: c.issues ?? [],
});
const streamed = (c: Call): PipelineEvent[] => tokensOf(c.reply).map((delta) => ({ type: 'token', callId: c.id, delta }));

export function candidate(id: number, round: number): Candidate {
  return { id, code: PROGRAMS[id - 1], plan: 1, round, report: REPORTS[id - 1] };
}

export const RESULT: SolveResult = {
  status: 'passed', code: PROGRAMS[2], lang: 'python3', passed: 2, total: 2,
  chosen: { id: 3, plan: 1, round: 2, report: REPORTS[2] }, candidates: 3,
  retrieval: { exemplars: EXEMPLARS, algorithm: ALGORITHM }, plans: RANKED,
  agents: {
    retrieval: { calls: 1, promptTokens: 300, completionTokens: 200, ms: 2000, formatRecovered: 1, formatUnrecovered: 0 },
    planning: { calls: 6, promptTokens: 1200, completionTokens: 300, ms: 6000, formatRecovered: 1, formatUnrecovered: 0 },
    coding: { calls: 1, promptTokens: 400, completionTokens: 40, ms: 1000, formatRecovered: 0, formatUnrecovered: 0 },
    debugging: { calls: 2, promptTokens: 1000, completionTokens: 100, ms: 2000, formatRecovered: 0, formatUnrecovered: 0 },
  },
  ms: 9_000, message: 'Passed all 2 sample tests (plan 2, debugging round 2).',
};

export const RETRIEVAL_REPLY = `<root>${EXEMPLARS.map((e) => `<problem><description>${e.description}</description><code>${e.code}</code><planning>${e.planning}</planning></problem>`).join('')}<algorithm>${ALGORITHM}</algorithm></root>`;
export const DEBUG_REPLIES = [`Use int().\n\`\`\`python\n${PROGRAMS[1]}\n\`\`\``, `Add, not subtract.\n\`\`\`python\n${PROGRAMS[2]}\n\`\`\``];

export function recordedRun(): PipelineEvent[] {
  const retrieval: Call = {
    id: 'c1', step: { kind: 'retrieval', agent: 'retrieval' }, reply: RETRIEVAL_REPLY, at: 1_100, ms: 2_000,
    parsed: { exemplars: EXEMPLARS, algorithm: ALGORITHM }, issues: [RECOVERED], usage: { promptTokens: 300, completionTokens: 200 },
  };
  // Three plan chains overlap in time: plan calls 3.1-4.1 s, 3.2-4.6 s, 3.3-4.3 s, then confidence calls.
  const plan = (i: number): Call => ({
    id: `c${2 + i}`, step: { kind: 'plan', agent: 'planning', plan: i }, reply: PLANS[i], at: 3_100 + 100 * i, ms: [1_000, 1_400, 1_000][i],
    usage: { promptTokens: 150, completionTokens: 30 },
  });
  const conf = (i: number): Call => ({
    id: `c${5 + i}`, step: { kind: 'confidence', agent: 'planning', plan: i }, reply: `<root><explanation>${RANKED.find((p) => p.index === i)?.explanation}</explanation><confidence>${RANKED.find((p) => p.index === i)?.confidence}</confidence></root>`,
    at: 4_700, ms: 500, issues: i === 2 ? [CONF_ISSUE] : [], usage: { promptTokens: 250, completionTokens: 20 },
  });
  const code: Call = {
    id: 'c8', step: { kind: 'code', agent: 'coding', plan: 1 }, reply: `\`\`\`python\n${PROGRAMS[0]}\n\`\`\``, at: 5_300, ms: 1_000,
    parsed: PROGRAMS[0], usage: { promptTokens: 400, completionTokens: 40 },
  };
  const debug = (round: number): Call => ({
    id: `c${8 + round}`, step: { kind: 'debug', agent: 'debugging', plan: 1, round }, reply: DEBUG_REPLIES[round - 1], at: 6_500 + 1_200 * (round - 1), ms: 1_000,
    parsed: { plan: DEBUG_REPLIES[round - 1].split('\n')[0], code: PROGRAMS[round] }, usage: { promptTokens: 500, completionTokens: 50 },
  });

  const plans = [0, 1, 2].map(plan);
  const confs = [0, 1, 2].map(conf);
  const interleave = (calls: Call[]) => {
    const streams = calls.map(streamed);
    const out: PipelineEvent[] = [];
    for (let i = 0; streams.some((s) => i < s.length); i++) for (const s of streams) if (i < s.length) out.push(s[i]);
    return out;
  };
  const events: PipelineEvent[] = [
    { type: 'run-started', runId: 'core-id', problem: PROBLEM, lang: 'python3', mode: 'mapcoder', k: 3, t: 5, promptsHash: 'h', at: 1_000 },
    started(retrieval), ...streamed(retrieval), finished(retrieval),
    { type: 'retrieval-done', result: { exemplars: EXEMPLARS, algorithm: ALGORITHM } },
    ...plans.map(started), ...interleave(plans), ...plans.map(finished),
    ...confs.map(started), ...interleave(confs), ...confs.map(finished),
    { type: 'plans-ranked', plans: RANKED },
    started(code), ...streamed(code), finished(code),
    { type: 'candidate', candidate: candidate(1, 0), step: code.step },
  ];
  for (const round of [1, 2]) {
    const d = debug(round);
    events.push(started(d), ...streamed(d), finished(d), { type: 'candidate', candidate: candidate(round + 1, round), step: d.step });
  }
  events.push({ type: 'done', result: RESULT });
  return events;
}
