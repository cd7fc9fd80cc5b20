import { findSignature } from '../../core/problem/signature';
import type { Problem, Sample } from '../../core/types';
import { callAssert, paramCounts, splitArgs } from './python-values';
import type { EvalProblem } from './types';

interface AppsTest {
  input: string;
  output: unknown[];
}

export interface AppsItem {
  id: number | string;
  name?: string;
  description: string;
  starter_code: string;
  difficulty?: string;
  sample_io: AppsTest[];
  test_list: AppsTest[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const stdio = (tests: AppsTest[]): Sample[] => tests.map((t) => ({ input: t.input, outputs: t.output.map(text) }));

/**
 * APPS (MapCoder's selected150). Items with a function in `starter_code` are call-based (Codewars
 * style): their tests become `assert f(args) == expected` and need Python. The rest are stdin/stdout.
 */
export function appsProblem(item: AppsItem): EvalProblem {
  const id = String(item.id);
  const title = `APPS ${id}${item.difficulty ? ` (${item.difficulty})` : ''}`;
  const sig = item.starter_code.trim() ? findSignature(item.starter_code) : undefined;
  if (!sig) {
    const problem: Problem = { title, statement: item.description, samples: stdio(item.sample_io), asserts: [], style: { kind: 'stdio' } };
    return { id, dataset: 'apps', problem, hidden: { kind: 'stdio', tests: stdio(item.test_list) }, hiddenAvailable: true };
  }
  const counts = paramCounts(sig.signature);
  const asserts = (tests: AppsTest[]) => tests.map((t) => callAssert(sig.name, splitArgs(t.input, counts), t.output));
  const problem: Problem = {
    title,
    statement: item.description,
    samples: [],
    asserts: asserts(item.sample_io),
    style: { kind: 'function', name: sig.name, signature: sig.signature },
    starterCode: item.starter_code.trim(),
  };
  return { id, dataset: 'apps', problem, hidden: { kind: 'python', snippets: asserts(item.test_list) }, hiddenAvailable: true, langs: ['python3'] };
}
