import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/parse';

describe('parse/plan', () => {
  it('is the reply trimmed, with no issue', () => {
    assert.deepEqual(parsePlan('\n 1. Sort.\n2. Sweep.\n\n'), { value: '1. Sort.\n2. Sweep.', ok: true, issues: [] });
  });

  it('strips a wrapping <plan> or <planning> tag or code fence, with an issue', () => {
    for (const reply of ['<plan>\n1. Sort.\n</plan>', '<planning>1. Sort.</planning>', '<root><plan>1. Sort.</plan></root>', '```\n1. Sort.\n```', '```text\n1. Sort.\n```']) {
      const r = parsePlan(reply);
      assert.equal(r.value, '1. Sort.', reply);
      assert.deepEqual(r.issues.map((i) => i.kind).filter((k) => k !== 'tag_synonym'), ['wrapped_plan'], reply);
    }
  });

  it('keeps a code fence that is part of the plan', () => {
    const plan = '1. Use a helper:\n```python\ndef f(x): return x < 2\n```\n2. Print f(n).';
    assert.deepEqual(parsePlan(plan), { value: plan, ok: true, issues: [] });
  });

  it('is a failure only when empty', () => {
    for (const reply of ['', '   \n', '<plan></plan>', '```\n```']) {
      const r = parsePlan(reply);
      assert.equal(r.ok, false, JSON.stringify(reply));
      assert.equal(r.value, '');
      assert.ok(r.issues.some((i) => i.kind === 'empty_plan' && !i.recovered));
    }
  });
});
