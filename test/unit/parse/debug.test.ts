import { strict as assert } from 'node:assert';
import { parseDebugReply } from '../../../src/core/parse';

const kinds = (r: { issues: { kind: string }[] }) => r.issues.map((i) => i.kind).sort();
const CODE = '```cpp\nint main() { return 0; }\n```';

describe('parse/debug', () => {
  it('splits a plan and the code block', () => {
    const r = parseDebugReply('Use long long for the sums.\n\n' + CODE + '\n', 'cpp');
    assert.deepEqual(r, { value: { plan: 'Use long long for the sums.', code: 'int main() { return 0; }' }, ok: true, issues: [] });
  });

  it('strips plan and code headings', () => {
    const variants = [
      'Corrected plan: Use long long.\n',
      '## Plan\nUse long long.\n\n## Corrected Code\n',
      '**Revised Plan:**\nUse long long.\n\n**Fixed code:**\n',
      '### Corrected Plan\n\nUse long long.\n\nCorrected code in C++:\n',
      'Use long long.\nHere is the code.\n',
      'Use long long.\n\nHere\'s the corrected program in C++:\n',
      'Use long long.\nBelow is the updated solution:\n',
    ];
    for (const v of variants) assert.equal(parseDebugReply(v + CODE, 'cpp').value.plan, 'Use long long.', v);
  });

  it('keeps a plan that merely mentions code or plans', () => {
    const plan = 'The code read n twice; the plan stays the same.';
    assert.equal(parseDebugReply(plan + '\n' + CODE, 'cpp').value.plan, plan);
    const two = '1. Read n once.\n2. Here is where the old code went wrong: it summed in int.';
    assert.equal(parseDebugReply(two + '\n' + CODE, 'cpp').value.plan, two, 'a plan step that names the code is no lead-in');
  });

  it('takes the plan from before the chosen block, code by the fence rules', () => {
    const r = parseDebugReply('Fix the loop bound.\n```c\nint x;\n```\n```cpp\nint main() {}\n```', 'cpp');
    assert.equal(r.value.code, 'int main() {}');
    assert.match(r.value.plan, /^Fix the loop bound\.\n```c\nint x;\n```$/);
  });

  it('a reply with only code has an empty plan (recovered issue)', () => {
    const r = parseDebugReply(CODE, 'cpp');
    assert.deepEqual(r.value, { plan: '', code: 'int main() { return 0; }' });
    assert.equal(r.ok, true);
    assert.deepEqual(r.issues.map((i) => [i.kind, i.recovered]), [['missing_plan', true]]);
  });

  it('accepts the XML shape <root><plan/><code/></root> with an issue', () => {
    const r = parseDebugReply('<root>\n<plan>Guard n == 0.</plan>\n<code>\nif (n == 0 && m < 2) return 0;\n</code>\n</root>', 'cpp');
    assert.deepEqual(r.value, { plan: 'Guard n == 0.', code: 'if (n == 0 && m < 2) return 0;' });
    assert.deepEqual(kinds(r), ['xml_debug_shape']);
  });

  it('accepts a tagged plan followed by a fenced block', () => {
    const r = parseDebugReply('<plan>Guard n == 0.</plan>\n' + CODE, 'cpp');
    assert.deepEqual(r.value, { plan: 'Guard n == 0.', code: 'int main() { return 0; }' });
    assert.deepEqual(kinds(r), ['missing_root', 'xml_debug_shape']);
  });

  it('fails (ok=false) when there is no code', () => {
    const r = parseDebugReply('I think the plan is right and the judge is wrong.', 'cpp');
    assert.equal(r.ok, false);
    assert.equal(r.value.code, '');
    assert.ok(r.issues.some((i) => i.kind === 'no_code' && !i.recovered));
  });
});
