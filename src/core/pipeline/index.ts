// MapCoder's pipeline: run.ts is the run (retrieval, plans, code and debugging rounds, stress checks),
// schedule.ts the speculative scheduler, words.ts the result in words.
export { solve, type SolveMode, type SolveOptions } from './run';
export { DEFAULT_K, DEFAULT_T } from '../defaults';
