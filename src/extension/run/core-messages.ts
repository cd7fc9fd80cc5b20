import type { PipelineEvent, SolveResult } from '../../core/events';
import type { EndpointConfig } from '../../core/llm/config';
import type { JudgeOptions } from '../../core/judge';
import type { Lang, Problem } from '../../core/types';
import type { Work } from './active-run';

// The messages between the extension host and the worker thread the runs' core lives in (core-run.ts,
// core-worker.ts): plain data, copied by structured clone, each tagged with its run's number.

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

/** Host to worker. */
export type ToWorker = { type: 'start'; id: number; spec: CoreSpec } | { type: 'abort'; id: number };

/** What a run tells the host: its events, the judge's progress, and how it ended. */
export type RunMessage =
  | { type: 'event'; event: PipelineEvent }
  | { type: 'judging'; purpose: string; phase: 'compiling' | 'testing' }
  | { type: 'done'; result: SolveResult }
  | { type: 'failed'; message: string; stack?: string };

/** Worker to host. */
export type FromWorker = RunMessage & { id: number };
