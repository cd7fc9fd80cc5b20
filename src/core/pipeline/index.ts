// MapCoder's pipeline: run.ts is the run (retrieval, plans, code and debugging rounds, stress checks),
// options.ts what a caller gives it, checker-step.ts the run's checker, candidate.ts what a run reads from
// a candidate, schedule.ts the speculative scheduler, words.ts the result in words.
export { solve } from './run';
export type { SolveMode, SolveOptions } from './options';
export { DEFAULT_K, DEFAULT_T } from '../defaults';
