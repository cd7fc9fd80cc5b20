import type { AgentTally, Candidate, PipelineEvent, RankedPlan, RetrievalResult, SolveResult, SolveStatus, StepKind, StepRef, StressCheck } from '../core/events';
import type { AgentName, FormatIssue, Lang, Problem, TestResult, Usage } from '../core/types';

// Everything the side panel shows for one run, and the reducer that folds pipeline events into it.
// Plain JSON data: it is persisted (workspaceState) and posted to the webview unchanged. Imported by the
// webview bundle too, so no Node or vscode imports here.

export interface RunMeta {
  runId: string;
  title: string;
  file?: string;
  /** The file the program goes into, when it is a file on disk. */
  answer?: string;
  lang: Lang;
  mode: 'mapcoder' | 'direct';
  startedAt: number;
}

export type RunStatus = 'running' | SolveStatus;
/** `skipped`: the run ended without needing the step (e.g. no debugging after a passing first program). */
export type StepStatus = 'waiting' | 'running' | 'done' | 'failed' | 'skipped';
/** The four agents, then the stress tests (shown only in runs that had them on). */
export type StepName = AgentName | 'stress';
export const STEPS: readonly StepName[] = ['retrieval', 'planning', 'coding', 'debugging', 'stress'];
export type ProposalStatus = 'none' | 'showing' | 'accepted' | 'rejected' | 'stale';

/** One agent call (one attempt). `chunks` is the streamed reply: appended per token, joined only when read. */
export interface CallRecord {
  callId: string;
  step: StepRef;
  model: string;
  attempt: number;
  /** `judging`: the reply held a program that the judge is running now. */
  status: 'running' | 'judging' | 'done' | 'failed';
  chunks: string[];
  startedAt: number;
  ms?: number;
  usage?: Usage;
  /** false when the reply was unusable and the parser fell back. */
  ok?: boolean;
  formatIssues?: FormatIssue[];
  error?: string;
  /** The corrected plan a debugging reply gave (shown next to its program). */
  plan?: string;
  /** What the user should know of the call in one line (its prompt was clipped to fit, replies went free). */
  note?: string;
}

/** The agent tally of the step's calls (`ms`: the union of their intervals, since planning chains overlap). */
export interface StepState extends AgentTally {
  status: StepStatus;
  /** Distinct models (LoRA adapters) that answered, in first-use order. */
  models: string[];
  /** Taken from an earlier run (`from` of a re-run), not computed here. */
  reused?: boolean;
  error?: string;
}

export interface RunState {
  meta: RunMeta;
  status: RunStatus;
  /** VS Code closed while the run was going; restored as cancelled. */
  interrupted?: boolean;
  k?: number;
  t?: number;
  steps: Record<StepName, StepState>;
  /** Every agent call in start order. */
  calls: CallRecord[];
  retrieval?: RetrievalResult;
  /** In the order they are tried (after plans-ranked). */
  plans: RankedPlan[];
  /** Every tested program in test order: round 0 from coding, round n from debugging round n. */
  candidates: Candidate[];
  /** The problem as the run solved it (its samples, limits), for the file its program went into. */
  problem?: Problem;
  /** Generated inputs per stress check; absent or 0: stress tests were off (and runs saved before they existed). */
  stressTests?: number;
  /** Stress checks in the order they ran; the last is `running` while it runs. */
  stress?: StressRecord[];
  result?: SolveResult;
  proposal: ProposalStatus;
  endedAt?: number;
}

export type StressRecord = Omit<StressCheck, 'status'> & { status: StressCheck['status'] | 'running' };

export interface RunSummary {
  runId: string;
  title: string;
  file?: string;
  lang: Lang;
  status: RunStatus;
  interrupted?: boolean;
  startedAt: number;
  passed?: number;
  total?: number;
  proposal: ProposalStatus;
}

/** One debugging round as the panel shows it: what failed before, and what the round produced. */
export interface DebugRound {
  plan: number;
  round: number;
  failing: TestResult[];
  /** Verdict of the program being debugged (CE shows the compiler message instead of samples). */
  before?: Candidate;
  after?: Candidate;
  call?: CallRecord;
}

const STEP_OF_KIND: Record<StepKind, StepName> = {
  retrieval: 'retrieval', plan: 'planning', confidence: 'planning', code: 'coding', direct: 'coding', debug: 'debugging',
  brute: 'stress', generator: 'stress', stress: 'stress',
};

export function stepOf(ref: StepRef): StepName {
  return STEP_OF_KIND[ref.kind];
}

export function emptyStep(): StepState {
  return { status: 'waiting', models: [], calls: 0, promptTokens: 0, completionTokens: 0, ms: 0, formatRecovered: 0, formatUnrecovered: 0 };
}

export function newRunState(meta: RunMeta): RunState {
  return {
    meta: { ...meta },
    status: 'running',
    steps: { retrieval: emptyStep(), planning: emptyStep(), coding: emptyStep(), debugging: emptyStep(), stress: emptyStep() },
    calls: [],
    plans: [],
    candidates: [],
    proposal: 'none',
  };
}

export function callText(c: CallRecord): string {
  return c.chunks.length === 1 ? c.chunks[0] : c.chunks.join('');
}

export function summarize(s: RunState): RunSummary {
  return {
    runId: s.meta.runId, title: s.meta.title, file: s.meta.file, lang: s.meta.lang, status: s.status, interrupted: s.interrupted,
    startedAt: s.meta.startedAt, passed: s.result?.passed, total: s.result?.total, proposal: s.proposal,
  };
}

/**
 * Folds one pipeline event into `state` and returns it. The state is updated in place: a token is one
 * array push, so a 20,000-token stream costs O(n), where copying per token would be O(n^2). Callers that
 * hand the state out (persistence, the webview) take a `snapshot` instead.
 */
export function reduce(state: RunState, e: PipelineEvent): RunState {
  switch (e.type) {
    case 'token': {
      const call = findCall(state, e.callId);
      if (call) call.chunks.push(e.delta);
      return state;
    }
    case 'run-started':
      state.k = e.k;
      state.t = e.t;
      state.meta.mode = e.mode;
      state.problem = e.problem;
      if (e.stressTests) state.stressTests = e.stressTests;
      return state;
    case 'agent-started':
      state.calls.push({
        callId: e.callId, step: e.step, model: e.model, attempt: e.attempt, status: 'running', chunks: [], startedAt: e.at,
        ...(e.note ? { note: e.note } : {}),
      });
      refreshStep(state, stepOf(e.step));
      return state;
    case 'agent-finished': {
      const call = findCall(state, e.callId);
      if (!call) return state;
      const judged = e.ok && (e.step.kind === 'code' || e.step.kind === 'debug' || e.step.kind === 'direct');
      call.status = judged ? 'judging' : 'done';
      call.chunks = [e.raw];
      call.model = e.model || call.model;
      call.ms = e.ms;
      call.usage = e.usage;
      call.ok = e.ok;
      call.formatIssues = e.formatIssues;
      if (e.notice) call.note = call.note ? `${call.note}; ${e.notice}` : e.notice;
      if (e.step.kind === 'debug') call.plan = debugPlan(e.parsed);
      refreshStep(state, stepOf(e.step));
      return state;
    }
    case 'agent-failed': {
      const call = findCall(state, e.callId);
      if (!call) return state;
      call.status = 'failed';
      call.error = e.error;
      refreshStep(state, stepOf(e.step));
      return state;
    }
    case 'retrieval-done':
      state.retrieval = e.result;
      refreshStep(state, 'retrieval');
      return state;
    case 'plans-ranked':
      state.plans = e.plans;
      refreshStep(state, 'planning');
      return state;
    case 'candidate': {
      state.candidates.push(e.candidate);
      const call = lastCall(state, (c) => c.status === 'judging' && sameStep(c.step, e.step));
      if (call) call.status = 'done';
      refreshStep(state, stepOf(e.step));
      return state;
    }
    case 'stress-started':
      (state.stress ??= []).push({ status: 'running', candidateId: e.candidateId, plan: e.plan, round: e.round, tests: e.tests });
      refreshStep(state, 'stress');
      return state;
    case 'stress-done': {
      const list = (state.stress ??= []);
      const at = list.findIndex((s) => s.status === 'running' && s.candidateId === e.check.candidateId);
      if (at >= 0) list[at] = e.check;
      else list.push(e.check);
      refreshStep(state, 'stress');
      return state;
    }
    case 'done':
      state.result = e.result;
      state.status = e.result.status;
      state.endedAt = state.meta.startedAt + e.result.ms;
      endRun(state, e.result.status === 'cancelled' ? 'Cancelled.' : e.result.error ?? 'The run ended before this call finished.');
      return state;
  }
}

/**
 * Marks a run that can no longer progress as ended: open calls fail (a program still being judged was
 * interrupted too, so its step does not end with a check mark), unreached steps are skipped.
 */
export function endRun(state: RunState, openCallError: string): void {
  for (const c of state.calls) {
    if (c.status === 'running' || c.status === 'judging') {
      c.error = c.status === 'judging' ? `${openCallError} Its program was being tested.` : openCallError;
      c.status = 'failed';
    }
  }
  if (state.stress) state.stress = state.stress.filter((s) => s.status !== 'running'); // a check cut short says nothing
  for (const name of STEPS) refreshStep(state, name);
  for (const name of STEPS) if (state.steps[name].status === 'waiting') state.steps[name].status = 'skipped';
}

/**
 * A deep copy with every call's chunks joined into one: what is persisted and posted. The live state's
 * chunks are compacted too (same text), so later snapshots do not join the same tokens again.
 */
export function snapshot(state: RunState): RunState {
  for (const c of state.calls) if (c.chunks.length > 1) c.chunks = [c.chunks.join('')];
  return JSON.parse(JSON.stringify(state)) as RunState;
}

/** A run whose program fails some of its tests: it is offered ("Keep anyway"), not recommended ("Accept"). */
export function keepAnyway(status: RunStatus): boolean {
  return status !== 'passed' && status !== 'untested';
}

export const RUN_LABEL: Record<RunStatus, string> = {
  running: 'Running', passed: 'Passed', untested: 'Untested', partial: 'Partial', failed: 'Failed', error: 'Error', cancelled: 'Cancelled',
};

/** The panel's final line, e.g. "Passed 3/3 (plan 2, debugging round 1)". Plans are numbered as in the core's messages. */
export function finalSummary(r: RunState): string {
  if (r.interrupted) return 'Interrupted';
  const res = r.result;
  if (!res) return RUN_LABEL[r.status];
  const c = res.chosen;
  if (!c) return res.status === 'untested' ? 'Untested' : RUN_LABEL[res.status];
  const where = c.plan < 0 ? ' (direct)' : c.round === 0 ? ` (plan ${c.plan + 1}, first program)` : ` (plan ${c.plan + 1}, debugging round ${c.round})`;
  if (res.status === 'untested') return `Untested${where}`;
  return `${RUN_LABEL[res.status]} ${res.passed}/${res.total}${where}`;
}

/** The debugging rounds in the order they ran, each paired with the program it started from. */
export function debugRounds(state: RunState): DebugRound[] {
  const rounds: DebugRound[] = [];
  const debugCalls = state.calls.filter((c) => c.step.kind === 'debug');
  const keys = new Set<string>();
  for (const c of debugCalls) keys.add(`${c.step.plan ?? 0}:${c.step.round ?? 0}`);
  for (const key of keys) {
    const [plan, round] = key.split(':').map(Number);
    // The program the round started from, as last judged (stress tests may have judged it again on more tests).
    const before = lastOf(state.candidates, (c) => c.plan === plan && c.round === round - 1);
    const after = state.candidates.find((c) => c.plan === plan && c.round === round);
    const call = lastOf(debugCalls, (c) => c.step.plan === plan && c.step.round === round);
    rounds.push({ plan, round, before, after, call, failing: before ? before.report.tests.filter((t) => t.verdict !== 'AC') : [] });
  }
  return rounds;
}

function refreshStep(state: RunState, name: StepName): void {
  const step: StepState = emptyStep();
  const intervals: [number, number][] = [];
  let last: CallRecord | undefined;
  for (const c of state.calls) {
    if (stepOf(c.step) !== name) continue;
    last = c;
    if (c.model && !step.models.includes(c.model)) step.models.push(c.model);
    if (c.usage) {
      step.calls++;
      step.promptTokens += c.usage.promptTokens;
      step.completionTokens += c.usage.completionTokens;
    }
    if (c.ms !== undefined) intervals.push([c.startedAt, c.startedAt + c.ms]);
    for (const i of c.formatIssues ?? []) i.recovered ? step.formatRecovered++ : step.formatUnrecovered++;
    if (c.status === 'running' || c.status === 'judging') step.status = 'running';
  }
  step.ms = unionLength(intervals);
  if (name === 'stress' && state.stress?.some((s) => s.status === 'running')) step.status = 'running';
  if (step.status !== 'running') {
    if (last?.status === 'failed') {
      step.status = 'failed';
      step.error = last.error;
    } else if (last || milestoneReached(state, name)) {
      step.status = 'done';
    }
  }
  step.reused = !last && name !== 'stress' && milestoneReached(state, name) ? true : undefined;
  state.steps[name] = step;
}

function milestoneReached(state: RunState, name: StepName): boolean {
  if (name === 'retrieval') return state.retrieval !== undefined;
  if (name === 'planning') return state.plans.length > 0;
  if (name === 'stress') return (state.stress ?? []).some((s) => s.status !== 'running');
  return false;
}

function unionLength(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of intervals) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

function debugPlan(parsed: unknown): string | undefined {
  const plan = (parsed as { plan?: unknown } | null)?.plan;
  return typeof plan === 'string' && plan.trim() ? plan : undefined;
}

function sameStep(a: StepRef, b: StepRef): boolean {
  return a.kind === b.kind && a.plan === b.plan && a.round === b.round;
}

function findCall(state: RunState, callId: string): CallRecord | undefined {
  // The live call is almost always the newest, so search from the end.
  return lastCall(state, (c) => c.callId === callId);
}

function lastCall(state: RunState, pred: (c: CallRecord) => boolean): CallRecord | undefined {
  return lastOf(state.calls, pred);
}

function lastOf<T>(items: T[], pred: (x: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i])) return items[i];
  return undefined;
}
