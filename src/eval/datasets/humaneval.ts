import { findSignature } from '../../core/problem/signature';
import type { Problem } from '../../core/types';
import type { EvalProblem } from './types';

export interface HumanEvalItem {
  task_id: string;
  prompt: string;
  entry_point: string;
  canonical_solution?: string;
  test: string;
  sample_io: string[];
  /** HumanEval-ET only: the extended asserts. */
  test_case_list?: string[];
}

/** The statement is the prompt (signature + docstring); the docstring examples, as asserts, are the samples. */
export function functionProblem(item: { prompt: string; entry_point: string; sample_io: string[] }, title: string): Problem {
  const sig = findSignature(item.prompt);
  return {
    title,
    statement: item.prompt,
    samples: [],
    asserts: item.sample_io,
    style: { kind: 'function', name: item.entry_point, signature: sig?.name === item.entry_point ? sig.signature : undefined },
    starterCode: item.prompt,
  };
}

/** HumanEval: judged by its `check(candidate)`, called on the entry point. */
export function humanEvalProblem(item: HumanEvalItem): EvalProblem {
  return {
    id: item.task_id,
    dataset: 'humaneval',
    problem: functionProblem(item, item.task_id),
    hidden: { kind: 'python', snippets: [`${item.test}\n\ncheck(${item.entry_point})\n`] },
    hiddenAvailable: true,
    langs: ['python3'],
  };
}

/** HumanEval-ET: the same problems judged by the extended assert list (each assert one test). */
export function humanEvalEtProblem(item: HumanEvalItem): EvalProblem {
  if (!item.test_case_list?.length) throw new Error(`${item.task_id}: no test_case_list (not a HumanEval-ET item)`);
  return { ...humanEvalProblem(item), dataset: 'humaneval-et', hidden: { kind: 'python', snippets: item.test_case_list } };
}
