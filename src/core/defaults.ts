// Defaults that the core, the CLI and the editor's settings share, each written once. Apart from the
// modules that use them, so that reading the settings (at activation) loads none of those.

/** A sample test's time limit when the statement gives none (the judge; the editor's `timeLimitMs`). */
export const DEFAULT_TIME_LIMIT_MS = 2000;
/** A sample test's memory limit when the statement gives none (the judge; the editor's `memoryLimitMb`). */
export const DEFAULT_MEMORY_LIMIT_MB = 256;

/** Generated inputs a program is checked on, by default (CLI and editor; eval keeps the paper's samples-only setting). */
export const DEFAULT_STRESS_TESTS = 20;
/** Generated inputs per check at most: each costs a run of the brute force and of every checked program. */
export const MAX_STRESS_TESTS = 1000;

/** Exemplars the retrieval agent recalls, each a plan (MapCoder's k; the editor's `k`). */
export const DEFAULT_K = 3;
/** Debugging rounds per plan (MapCoder's t; the editor's `t`). */
export const DEFAULT_T = 5;
