// Shapes shared across the core. Everything here is plain data: it crosses the CLI, the trace files,
// the extension host and the webview unchanged.

/** The four MapCoder agents; also the default LoRA adapter names on a vLLM server. */
export type AgentName = 'retrieval' | 'planning' | 'coding' | 'debugging';
export const AGENTS: readonly AgentName[] = ['retrieval', 'planning', 'coding', 'debugging'];

/** Canonical language ids; aliases are resolved by `judge/languages.ts`. */
export type Lang = 'python3' | 'cpp' | 'c' | 'java' | 'javascript' | 'rust';

/** One sample test of a stdin/stdout problem: any of `outputs` is accepted. */
export interface Sample {
  input: string;
  outputs: string[];
}

/**
 * How a solution talks to its tests. `stdio`: a whole program reading stdin. `function`: a named
 * function checked by Python-style asserts (HumanEval/MBPP); the asserts are the samples.
 */
export type IoStyle =
  | { kind: 'stdio' }
  | { kind: 'function'; name: string; signature?: string };

export interface Problem {
  title: string;
  /** The statement as the agents see it (samples included where the source had them inline). */
  statement: string;
  /** stdio samples. Empty for function-style problems. */
  samples: Sample[];
  /** function-style sample checks, each one assert statement, e.g. `assert f(1) == 2`. */
  asserts: string[];
  timeLimitMs?: number;
  memoryLimitMb?: number;
  style: IoStyle;
  url?: string;
  /** Code the solution must start from (function signature, class skeleton), when the source gave one. */
  starterCode?: string;
  /** The program talks to an interactor instead of reading a fixed input (Companion's `interactive`, or the statement says so). */
  interactive?: boolean;
  /** Files the program reads and writes instead of stdin/stdout (Companion's `input.fileName`/`output.fileName`, or the statement names them). */
  io?: { input?: string; output?: string };
  /** The Java class name the judge expects (Companion's `languages.java.taskClass`). */
  javaClass?: string;
  /** How outputs are judged instead of comparing with the one expected answer (judge/checker/). */
  checker?: CheckerSpec;
  /** The testlib-style interactor an interactive problem is judged with (`<stem>.interactor.<ext>`). */
  interactor?: ToolProgram;
  /** The statement says any valid answer is accepted: without a checker, a differing output is unverified, not wrong. */
  anyAnswer?: boolean;
}

/** A judge-side program the user gave (checker, interactor), by path: read and built when judging. */
export interface ToolProgram {
  /** Its file; for one no file holds (a checker the model wrote), a name to show. */
  path: string;
  lang: Lang;
  /** The source itself, when no file holds it. */
  code?: string;
  /** testlib.h, when the program includes it (found beside it or from a setting). */
  testlib?: string;
}

export const BUILTIN_CHECKERS = ['lines', 'tokens', 'floats', 'case-insensitive', 'unordered-tokens', 'unordered-lines'] as const;
export type BuiltinChecker = (typeof BUILTIN_CHECKERS)[number];

/** A checker: built in by name (floats with their tolerances), or a testlib-style program `checker input output answer`. */
export type CheckerSpec =
  | { kind: 'builtin'; name: BuiltinChecker; absTol?: number; relTol?: number }
  | ({ kind: 'program' } & ToolProgram);

/**
 * PE: presentation error (a checker's exit 2). JE: judge error, the checker or interactor failed (exit 3,
 * or it could not run): shown, never debugged. UV: unverified, a clean run whose output differs from the
 * jury's on a problem that accepts any valid answer and has no checker: neither AC nor WA.
 */
export type Verdict = 'AC' | 'WA' | 'PE' | 'TLE' | 'MLE' | 'RE' | 'CE' | 'JE' | 'UV';

export interface TestResult {
  index: number;
  verdict: Verdict;
  /** stdin for stdio tests, the assert statement for function tests. */
  input: string;
  expected: string[];
  /** stdout (capped). */
  actual: string;
  /** end of stderr (capped); for CE the compiler message lives in JudgeReport.compile. */
  stderr: string;
  /** Wall clock. */
  timeMs: number;
  /** CPU time (user + system) and peak resident memory, where the judge measures them (stdio tests on Linux). */
  cpuMs?: number;
  memoryKb?: number;
  /** true when stdout or stderr was cut at the output cap. */
  truncated?: boolean;
  /** The checker's or interactor's first line of output (or the judge's word on why it could not judge). */
  message?: string;
}

export interface CompileInfo {
  ok: boolean;
  /** compiler stderr, capped. */
  message: string;
  cached: boolean;
  timeMs: number;
}

export interface JudgeReport {
  /** AC when every test passed, otherwise the verdict of the first failing test (CE when compiling failed). */
  verdict: Verdict;
  passed: number;
  total: number;
  tests: TestResult[];
  compile?: CompileInfo;
  /** A test was TLE on the wall clock alone (its CPU time within the limit), twice: the machine may have
   * been busy. Believed for this report, never kept for another round. */
  wallClockOnly?: boolean;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens the server served from its prefix cache, where it says (llama.cpp, vLLM with usage details). */
  cachedTokens?: number;
}

/** A format problem noticed while parsing one agent reply (the paper's "format failure"). */
export interface FormatIssue {
  agent: AgentName;
  kind: string;
  detail: string;
  /** false when the parser had to fall back (the value is a default, not what the model said). */
  recovered: boolean;
}
