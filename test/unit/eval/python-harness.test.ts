import { strict as assert } from 'node:assert';
import { harnessSource, PASSED_MARK, RESULT_MARK } from '../../../src/eval/judge/python-harness';

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
});
