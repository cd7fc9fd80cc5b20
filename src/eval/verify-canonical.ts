// Checks the function-style hidden judge on the data itself: every reference solution must pass its
// own tests. HumanEval and HumanEval-ET: prompt + canonical_solution. MBPP: mbpp-py.jsonl has no
// reference code, so the solution is MBPP.jsonl's `code` for the same task number. Run: npx tsx src/eval/verify-canonical.ts [DATA_DIR]
import * as path from 'node:path';
import { DatasetError, defaultDataDir, loadDataset, readJsonl, type EvalProblem } from './datasets';
import { mbppTaskId } from './datasets/mbpp';
import type { HiddenJudge } from './judge/types';
import { runPool } from './pool';

export type CanonicalSet = 'humaneval' | 'humaneval-et' | 'mbpp' | 'mbpp-py-tests';

interface MbppReference {
  task_id: number;
  code: string;
  test_list: string[];
  test_setup_code?: string;
}

export interface CanonicalCase {
  ep: EvalProblem;
  code: string;
}

/**
 * Reference solutions with the tests they must pass. `mbpp`: MBPP.jsonl's code with its own test_list
 * (the 397 tasks of mbpp-py). `mbpp-py-tests`: the same code against mbpp-py's test blocks, which
 * MultiPL-E rewrote (some signatures and expected values changed), so not all of them can pass.
 */
export function canonicalCases(set: CanonicalSet, dataDir: string = defaultDataDir()): CanonicalCase[] {
  if (set === 'mbpp' || set === 'mbpp-py-tests') {
    const problems = loadDataset('mbpp', dataDir).problems;
    const reference = new Map(readJsonl<MbppReference>(path.join(dataDir, 'MBPP.jsonl')).map((r) => [r.task_id, r]));
    return problems.map((ep) => {
      const ref = reference.get(mbppTaskId(ep.id) ?? -1);
      if (!ref) throw new DatasetError(`${ep.id}: no MBPP.jsonl solution for this task`);
      const code = `${ref.code.replace(/\r\n/g, '\n')}\n${ref.test_setup_code ?? ''}\n`;
      return set === 'mbpp' ? { ep: { ...ep, hidden: { kind: 'python', snippets: ref.test_list } }, code } : { ep, code };
    });
  }
  const problems = loadDataset(set, dataDir).problems;
  const items = new Map(readJsonl<{ task_id: string; prompt: string; canonical_solution: string }>(path.join(dataDir, 'HumanEvalWST.jsonl')).map((i) => [i.task_id, i]));
  return problems.map((ep) => ({ ep, code: items.get(ep.id)!.prompt + items.get(ep.id)!.canonical_solution }));
}

export interface CanonicalSummary {
  total: number;
  passed: number;
  /** Ids whose reference solution failed its own tests, with the verdict and tests passed. */
  failed: { id: string; verdict: string; passed: number; total: number }[];
  seconds: number;
}

export async function verifyCanonical(cases: CanonicalCase[], judge: HiddenJudge, concurrency = 4): Promise<CanonicalSummary> {
  const started = Date.now();
  const failed: CanonicalSummary['failed'] = [];
  await runPool(cases, concurrency, async ({ ep, code }) => {
    const r = await judge.judgeHidden(code, 'python3', ep);
    if (r.verdict !== 'AC') failed.push({ id: ep.id, verdict: r.verdict, passed: r.passed, total: r.total });
  });
  return { total: cases.length, passed: cases.length - failed.length, failed, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

async function main(): Promise<void> {
  const { LocalHiddenJudge } = await import('./judge/local');
  const dataDir = process.argv[2] ?? defaultDataDir();
  const judge = new LocalHiddenJudge();
  try {
    for (const name of ['humaneval', 'humaneval-et', 'mbpp', 'mbpp-py-tests'] as const) {
      const s = await verifyCanonical(canonicalCases(name, dataDir), judge, 8);
      process.stdout.write(`${name}: ${s.passed}/${s.total} reference solutions pass their own tests (${s.seconds} s)\n`);
      for (const f of s.failed) process.stdout.write(`  ${f.id}: ${f.verdict}, ${f.passed}/${f.total}\n`);
    }
  } finally {
    await judge.dispose();
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
