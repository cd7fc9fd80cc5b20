import { functionProblem } from './humaneval';
import type { EvalProblem } from './types';

export interface MbppItem {
  name: string;
  prompt: string;
  entry_point: string;
  test: string;
  sample_io: string[];
}

/** MBPP as MapCoder runs it (mbpp-py.jsonl): the test block defines `check` and calls it itself. */
export function mbppProblem(item: MbppItem): EvalProblem {
  return {
    id: item.name,
    dataset: 'mbpp',
    problem: functionProblem(item, item.name),
    hidden: { kind: 'python', snippets: [item.test] },
    hiddenAvailable: true,
    langs: ['python3'],
  };
}

/** MBPP.jsonl's task number inside an mbpp-py name (`mbpp_234_volume_cube` -> 234). */
export function mbppTaskId(name: string): number | undefined {
  const m = /^mbpp_(\d+)_/.exec(name);
  return m ? Number(m[1]) : undefined;
}
