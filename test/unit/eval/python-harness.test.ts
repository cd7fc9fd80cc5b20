import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { harnessSource, oneSnippetVerdict, parseHarnessOutput, PASSED_MARK, RESULT_MARK } from '../../../src/eval/judge/python-harness';

/** The harness's stdout when python3 runs it with `stdin`. */
function runHarness(source: string, stdin = ''): string {
  return execFileSync('python3', ['-B', '-c', source], { input: stdin, encoding: 'utf8', timeout: 30_000 });
}

// The hidden-test harness is a Python file (src/eval/judge/helper/hidden-harness.py) with placeholders.
describe('eval: the hidden-test harness source', () => {
  it('fills every placeholder once, with the marks the TypeScript reads back', () => {
    const code = 'x = "__NONCE__ __CODE__"\n';
    const src = harnessSource(code, ['assert x'], 1500, 'n0nce');
    const left = src.replace(JSON.stringify(JSON.stringify(code)), '').match(/__(CODE|SNIPPETS|PER_TEST|NONCE|PASSED_MARK|RESULT_MARK)__/g);
    assert.equal(left, null);
    assert.ok(src.includes(`PASSED = "${PASSED_MARK}"`) && src.includes(`RESULT = "${RESULT_MARK}"`) && src.includes('NONCE = "n0nce"'));
    assert.ok(src.includes('per_test = 1.5\n'));
    // Placeholder-like text in the candidate's code is the candidate's, never filled in.
    assert.ok(src.includes(JSON.stringify(JSON.stringify(code))));
  });

  it('says each snippet\'s verdict, and the load\'s for every snippet when the code does not load', () => {
    const snippets = ['assert f(1) == 2', 'assert f(1) == 3', 'undefined_name', 'while True: pass'];
    const code = 'def f(x):\n    print("fake")\n    return 2 * x\n';
    assert.deepEqual(parseHarnessOutput(runHarness(harnessSource(code, snippets, 300, 'n1')), 4, 'RE', 'n1'), ['AC', 'WA', 'RE', 'TLE']);
    assert.deepEqual(parseHarnessOutput(runHarness(harnessSource('def f(:\n', snippets, 300, 'n2')), 4, 'RE', 'n2'), ['CE', 'CE', 'CE', 'CE']);
    assert.equal(oneSnippetVerdict(runHarness(harnessSource(code, snippets, 300, 'n3'), '0'), 'n3'), 'AC');
    assert.equal(oneSnippetVerdict(runHarness(harnessSource(code, snippets, 300, 'n3'), '1'), 'n3'), 'WA');
  });
});
