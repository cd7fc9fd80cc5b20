// A Python program that loads a candidate solution and runs test snippets against it (HumanEval's
// `check(candidate)` blocks, MBPP's test blocks, assert lists). The candidate's own prints go to a
// sink, so its output cannot fake a result; the harness writes results on the real stdout.
//
// Why not the core's function harness (src/core/judge/function-harness.ts), which the agents' sample
// tests use: that one reads single asserts from stdin and explains each failure (expected vs returned,
// trace) for the debugging agent. Hidden tests are never shown to an agent, are whole multi-line blocks,
// and must also run on ExecEval, which takes one self-contained source file and a stdin per unit test:
// so this harness embeds the code and the snippets, takes a snippet index on stdin, and says only the
// verdict. The local hidden judge runs the same source, so both judges grade alike.
import { helperFile } from '../../core/judge/helper-files';
import type { Verdict } from '../../core/types';

/** Line prefix of the harness's result in run-all mode. */
export const RESULT_MARK = '@@mapcoder-hidden@@';
/** What the harness prints in one-snippet mode (stdin holds the index) when the snippet passed. */
export const PASSED_MARK = 'PASSED';

/** The harness's source with placeholders, read once (helper/hidden-harness.py, copied into dist/helper/ for the bundles). */
let template: string | undefined;

/**
 * The harness for `code` and `snippets`: with empty stdin it runs every snippet and prints
 * RESULT_MARK + nonce + "@" + the verdict on a line per snippet as it finishes (a random nonce keeps a
 * program that writes to the real stdout from passing for the harness); with an index on stdin it runs
 * that snippet and prints PASSED_MARK + nonce, or the verdict + nonce (ExecEval compares the first
 * with the expected output; the second tells a failing test's verdict apart in its WRONG_ANSWER).
 */
export function harnessSource(code: string, snippets: string[], perTestMs: number, nonce = ''): string {
  const lit = (v: unknown) => JSON.stringify(JSON.stringify(v));
  const values: Record<string, string> = {
    CODE: lit(code),
    SNIPPETS: lit(snippets),
    PER_TEST: String(Math.max(perTestMs, 1) / 1000),
    NONCE: nonce.replace(/\W/g, ''),
    PASSED_MARK,
    RESULT_MARK,
  };
  template ??= helperFile('hidden-harness.py', __dirname);
  // one pass, so placeholder-like text inside the code or the tests is never replaced
  return template.replace(/__(CODE|SNIPPETS|PER_TEST|NONCE|PASSED_MARK|RESULT_MARK)__/g, (_, k: string) => values[k]);
}

/**
 * Verdicts from the harness's stdout in run-all mode. Snippets it never reported (the process was
 * killed or died) get `missing`.
 */
export function parseHarnessOutput(stdout: string, count: number, missing: Verdict, nonce = ''): Verdict[] {
  const mark = `${RESULT_MARK}${nonce}@`;
  const seen = stdout
    .split('\n')
    .filter((l) => l.startsWith(mark))
    .map((l) => l.slice(mark.length) as Verdict);
  return Array.from({ length: count }, (_, i) => seen[i] ?? missing);
}

/**
 * A one-snippet run's verdict from the output ExecEval kept (its `result`, stripped): the harness's
 * last word, PASSED_MARK or a verdict, followed by the nonce. Anything else (the candidate wrote to the
 * real stdout and died, say) is RE.
 */
export function oneSnippetVerdict(result: string, nonce: string): Verdict {
  const m = new RegExp(`(${PASSED_MARK}|AC|WA|TLE|RE|CE|MLE)${nonce}$`).exec(result.trimEnd());
  if (!m) return 'RE';
  return m[1] === PASSED_MARK ? 'AC' : (m[1] as Verdict);
}
