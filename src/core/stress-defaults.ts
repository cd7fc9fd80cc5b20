// Stress-test sizes, apart from stress.ts so that settings can read them without loading the pipeline.

/** Generated inputs a program is checked on, by default (CLI and editor; eval keeps the paper's samples-only setting). */
export const DEFAULT_STRESS_TESTS = 20;
/** Generated inputs per check at most: each costs a run of the brute force and of every checked program. */
export const MAX_STRESS_TESTS = 1000;
