import type { AgentTally, Candidate, RankedPlan, RetrievalResult, SolveResult, SolveStatus, StepKind, StepRef, StressCheck } from '../core/events';
import type { AgentName, FormatIssue, Lang, Problem, Usage } from '../core/types';

// Everything the side panel shows of one run, as plain JSON data: it is persisted (workspaceState) and
// posted to the webview unchanged. Imported by the webview bundle too, so no Node or vscode imports here.

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
  /** Said when the run's programs ran outside the sandbox (its 'run-started' isolation). */
  isolation?: string;
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

const STEP_OF_KIND: Record<StepKind, StepName> = {
  retrieval: 'retrieval', plan: 'planning', confidence: 'planning', code: 'coding', direct: 'coding', debug: 'debugging',
  brute: 'stress', generator: 'stress', stress: 'stress', checker: 'coding',
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
 * A deep copy with every call's chunks joined into one: what is persisted and posted. The live state's
 * chunks are compacted too (same text), so later snapshots do not join the same tokens again.
 */
export function snapshot(state: RunState): RunState {
  for (const c of state.calls) if (c.chunks.length > 1) c.chunks = [c.chunks.join('')];
  return JSON.parse(JSON.stringify(state)) as RunState;
}

/** The last of `items` that `pred` accepts. */
export function lastOf<T>(items: T[], pred: (x: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i])) return items[i];
  return undefined;
}
