import type { AgentName, ChatMessage, FormatIssue, JudgeReport, Lang, Problem, Usage } from './types';
import type { Exemplar } from './parse';

// Everything the pipeline tells its listeners (side panel, CLI progress, trace file). Plain data only.

/** Which call of the MapCoder flow an event belongs to. `plan` is the exemplar's index in retrieval order. */
export type StepKind = 'retrieval' | 'plan' | 'confidence' | 'code' | 'debug' | 'direct';
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

export type SolveStatus = 'passed' | 'partial' | 'failed' | 'untested' | 'error' | 'cancelled';

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
  error?: string;
}

export type PipelineEvent =
  | { type: 'run-started'; runId: string; problem: Problem; lang: Lang; mode: 'mapcoder' | 'direct'; k: number; t: number; promptsHash: string; at: number }
  | { type: 'agent-started'; callId: string; step: StepRef; model: string; attempt: number; messages: ChatMessage[]; at: number }
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
  | { type: 'done'; result: SolveResult };

export type PipelineListener = (e: PipelineEvent) => void;
