import type { PipelineEvent, SolveResult } from '../../core/events';
import type { EndpointConfig } from '../../core/llm/config';
import type { JudgeOptions, JudgeRequest } from '../../core/judge';
import type { CompileInfo, JudgeReport, Lang, Problem, TestResult } from '../../core/types';
import type { Work } from './active-run';

// The messages between the extension host and the worker thread the runs' core lives in (core-run.ts,
// core-worker.ts): plain data, copied by structured clone, each tagged with its job's number. A job is a
// run (agents and judge) or one judging of the user's own program.

/** What the worker needs to do a run: everything the editor decided, nothing it must ask back. */
export interface CoreSpec {
  work: Work;
  problem: Problem;
  lang: Lang;
  endpoint: EndpointConfig;
  judge: JudgeOptions;
  /** The user's prompt folder ('' or undefined: the built-in set; the host has checked it loads). */
  promptsDir?: string;
  k: number;
  t: number;
  speculate: boolean;
  /** Generated tests per stress check (0: off), and the folder whose brute force and generator files it uses. */
  stress: { tests: number; dir: string };
}

/** One judging of a program on a problem's samples (the user's own code: Run Sample Tests, the Tests view). */
export interface JudgeSpec {
  judge: JudgeOptions;
  code: string;
  lang: Lang;
  problem: JudgeRequest['problem'];
}

/** How a judging ended: its report, and what to say when its program ran outside the sandbox. */
export interface Judged {
  report: JudgeReport;
  isolation?: string;
}

/** Host to worker. */
export type ToWorker =
  | { type: 'start'; id: number; spec: CoreSpec }
  | { type: 'judge'; id: number; spec: JudgeSpec }
  | { type: 'abort'; id: number };

/** What a job tells the host: a run's events and judging phases, a judging's compile and tests, and how it ended. */
export type JobMessage =
  | { type: 'event'; event: PipelineEvent }
  | { type: 'judging'; purpose: string; phase: 'compiling' | 'testing' }
  | { type: 'compiled'; info: CompileInfo }
  | { type: 'tested'; result: TestResult }
  | { type: 'done'; result: SolveResult }
  | { type: 'judged'; judged: Judged }
  | { type: 'failed'; message: string; name?: string; stack?: string };

/** Worker to host. */
export type FromWorker = JobMessage & { id: number };
