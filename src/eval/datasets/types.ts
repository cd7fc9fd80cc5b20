import type { Lang, Problem, Sample } from '../../core/types';

/**
 * The tests a final program is judged on, once, after solving. `stdio`: whole-program runs compared
 * like sample tests. `python`: snippets (an assert, or a `check(candidate)` block and its call) run
 * after the program in one namespace; a snippet passes when it raises nothing.
 */
export type HiddenTests =
  | { kind: 'stdio'; tests: Sample[] }
  | { kind: 'python'; snippets: string[] };

export interface EvalProblem {
  id: string;
  dataset: string;
  /** What the agents see: the statement and the sample tests only. */
  problem: Problem;
  hidden: HiddenTests;
  /** false when the source has no hidden tests and `hidden` holds the samples (xCodeEval here). */
  hiddenAvailable: boolean;
  /** Languages the hidden tests can judge; absent means any. Python snippets need python3. */
  langs?: Lang[];
}

/** A benchmark as the eval command knows it. */
export interface DatasetInfo {
  /** Short name used in file names and the report (`apps`, `humaneval`, ...). */
  name: string;
  /** The paper's row this dataset reproduces, for published figures; absent for own files. */
  paperKey?: PaperDataset;
  /** MapCoder's k for this dataset. */
  defaultK: number;
  problems: EvalProblem[];
}

export type PaperDataset = 'HumanEval' | 'HumanEval-ET' | 'MBPP' | 'APPS' | 'xCodeEval' | 'CodeContests';
