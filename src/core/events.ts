import type { AgentName, ChatMessage, FormatIssue, JudgeReport, Lang, Problem, Usage, Verdict } from './types';
import type { Exemplar } from './parse';

// Everything the pipeline tells its listeners (side panel, CLI progress, trace file). Plain data only.

/** Which call of the MapCoder flow an event belongs to. `plan` is the exemplar's index in retrieval order. */
/**
 * `brute`, `generator`: the stress step's calls; `stress`: a program judged again on the tests stress found;
 * `checker`: the checker an any-answer problem without one is given (checker-writer.ts).
 */
export type StepKind = 'retrieval' | 'plan' | 'confidence' | 'code' | 'debug' | 'direct' | 'brute' | 'generator' | 'stress' | 'checker';
export interface StepRef {
  kind: StepKind;
  agent: AgentName;
  plan?: number;
  /** Debugging round, 1-based. */
  round?: number;
}

export interface RankedPlan {
  /** Index of the exemplar the plan came from (retrieval order). */
  index: number;
  plan: string;
  confidence: number;
  explanation: string;
}

export interface RetrievalResult {
  exemplars: Exemplar[];
  algorithm: string;
}

export interface Candidate {
  id: number;
  code: string;
  /** Index of the plan (retrieval order) the code was written from; -1 in direct mode. */
  plan: number;
  /** 0 for the coding agent's program, n for the program of debugging round n. */
  round: number;
  report: JudgeReport;
}

/**
 * What checking a program beyond the samples found. `passed`: it agreed with the trusted brute force on
 * every generated input; `difference`: not on `counterexample`; `untrusted`: no brute force passed the
 * samples; `no-inputs`: the generator gave no usable input; `unsupported`: function-style problems;
 * `no-checker`: the problem accepts any valid answer and has no trusted checker to compare by.
 */
export type StressStatus = 'passed' | 'difference' | 'untrusted' | 'no-inputs' | 'unsupported' | 'no-checker';

export interface StressCheck {
  status: StressStatus;
  /** The program checked. */
  candidateId: number;
  plan: number;
  round: number;
  /** Generated inputs the program was run on. */
  tests: number;
  brute?: string;
  generator?: string;
  counterexample?: { input: string; expected: string; actual: string; verdict: Verdict };
}

/** The stress step over a whole run, in the result. */
export interface StressSummary {
  /** The last check's status. */
  status: StressStatus;
  /** Generated inputs the chosen program agreed on with the brute force. */
  tests: number;
  /** Inputs on which a program and the brute force disagreed, kept as tests for the rest of the run. */
  counterexamples: number;
  /** The program the samples alone would have returned (the first to pass them), when it is not the chosen one. */
  samplesOnly?: { id: number; code: string };
}

/** `unverified`: the chosen program runs cleanly on every sample, but its output differs where any valid answer is accepted, and no checker could tell. */
export type SolveStatus = 'passed' | 'partial' | 'failed' | 'untested' | 'unverified' | 'error' | 'cancelled';

export interface AgentTally {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  ms: number;
  /** Replies with format problems that parsing recovered from. */
  formatRecovered: number;
  /** Replies whose value is a fallback or had a problem parsing could not recover. */
  formatUnrecovered: number;
  /** Replies the server held to the protocol's shape (a grammar); absent: none. */
  constrained?: number;
}

export interface SolveResult {
  status: SolveStatus;
  /** The chosen program ('' when none was produced). */
  code: string;
  lang: Lang;
  passed: number;
  total: number;
  chosen?: Omit<Candidate, 'code'>;
  candidates: number;
  retrieval?: RetrievalResult;
  plans: RankedPlan[];
  agents: Record<AgentName, AgentTally>;
  ms: number;
  /** One sentence for people: what was returned and why. */
  message: string;
  /** Present when stress tests were on. */
  stress?: StressSummary;
  error?: string;
}

export type PipelineEvent =
  | {
      type: 'run-started'; runId: string; problem: Problem; lang: Lang; mode: 'mapcoder' | 'direct'; k: number; t: number; promptsHash: string; at: number;
      /** Generated inputs per stress check, when stress tests are on. */
      stressTests?: number;
      /** How the run's programs are contained, said when that is outside the sandbox (unsandboxedNote). */
      isolation?: string;
    }
  | {
      type: 'agent-started'; callId: string; step: StepRef; model: string; attempt: number; messages: ChatMessage[]; at: number;
      /** Said in one line: what the prompt quotes was cut to fit the server's context before it was sent. */
      note?: string;
    }
  | { type: 'token'; callId: string; delta: string }
  | {
      type: 'agent-finished';
      callId: string;
      step: StepRef;
      model: string;
      attempt: number;
      raw: string;
      parsed: unknown;
      ok: boolean;
      usage: Usage;
      ms: number;
      formatIssues: FormatIssue[];
      /** The server held the reply to its shape (a grammar). */
      constrained?: boolean;
      /** Something the user should hear once (the server refused grammars: replies are free from now on). */
      notice?: string;
    }
  | { type: 'agent-failed'; callId: string; step: StepRef; error: string; code?: string }
  | { type: 'retrieval-done'; result: RetrievalResult }
  | { type: 'plans-ranked'; plans: RankedPlan[] }
  | { type: 'candidate'; candidate: Candidate; step: StepRef }
  | { type: 'stress-started'; plan: number; round: number; candidateId: number; tests: number }
  | { type: 'stress-done'; check: StressCheck }
  | { type: 'done'; result: SolveResult };

export type PipelineListener = (e: PipelineEvent) => void;
