// What the judge is asked (options for its life, a request per program) and what one judging carries
// from compile to the last test.
import type { CompileInfo, Lang, Problem, TestResult } from '../types';
import type { Build, LangCommands } from './compile';
import type { JudgeMachine } from './sandbox';

export interface JudgeOptions {
  /** Parent of per-run temp dirs; default os.tmpdir()/mapcoder-lite-judge-<uid>. Never the workspace. */
  workRoot?: string;
  /** Processes (compiles and tests) running at once; default os.availableParallelism(). */
  concurrency?: number;
  defaultTimeLimitMs?: number;
  defaultMemoryLimitMb?: number;
  /** Per stream, default 1 MiB; output beyond it is cut and the test marked truncated. */
  outputCapBytes?: number;
  absTol?: number;
  relTol?: number;
  /** User overrides, same placeholders as languages.ts. */
  commands?: Partial<Record<Lang, LangCommands>>;
  /** Base environment for children, used as given; default a scrubbed one per process (see env.ts). */
  env?: NodeJS.ProcessEnv;
  /**
   * `auto` (default): compiles and runs go through the namespace sandbox when it works here
   * (sandbox.ts), else rlimits and process-group kill only. `off`: never the sandbox.
   */
  isolation?: 'auto' | 'off';
}

export interface JudgeRequest {
  code: string;
  lang: Lang;
  problem: Pick<Problem, 'samples' | 'asserts' | 'style' | 'timeLimitMs' | 'memoryLimitMb'> & Partial<Pick<Problem, 'checker' | 'anyAnswer' | 'io' | 'interactive' | 'interactor'>>;
  signal?: AbortSignal;
  /** Arguments after the program's run command (stdio problems): a test generator's seed. */
  args?: string[];
  /** Outputs are not compared: a run that ends normally within the limits is AC, its stdout kept in `actual`. */
  collect?: boolean;
  /** What is judged, for a display of the judge's work (the editor's judge terminal): its header. */
  purpose?: string;
  /** Work a display should not show run by run (generating stress inputs); its outcome is reported elsewhere. */
  quiet?: boolean;
  /** Called as each test finishes. */
  onTest?: (r: TestResult) => void;
  onCompile?: (c: CompileInfo) => void;
  /**
   * Among judge work waiting for a free slot, the smallest value goes first; read each time a slot
   * frees, so it may change while the request waits (a speculative branch that becomes the one in
   * turn). Ties in arrival order. Default 0.
   */
  priority?: () => number;
}

/** One judging's surroundings, from its build to its last test. */
export interface RunContext {
  req: JudgeRequest;
  build: Build;
  root: string;
  signal: AbortSignal;
  machine: JudgeMachine;
  run: string[];
  timeLimitMs: number;
  memoryLimitMb: number;
}
