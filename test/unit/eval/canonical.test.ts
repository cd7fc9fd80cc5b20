import { strict as assert } from 'node:assert';
import { LocalHiddenJudge } from '../../../src/eval/judge/local';
import { canonicalCases, verifyCanonical, type CanonicalCase } from '../../../src/eval/verify-canonical';
import { dataDir } from '../helpers/data';

// The full sweep (all 164 + 164 + 397) is `npx tsx src/eval/verify-canonical.ts DATA_DIR` and the
// real-ExecEval layer; here the fixtures' 8 per set.

describe('eval: the function-style hidden judge on the reference solutions', function () {
  this.timeout(60000);
  let judge: LocalHiddenJudge;
  before(() => (judge = new LocalHiddenJudge()));
  after(() => judge.dispose());

  for (const set of ['humaneval', 'mbpp'] as const) {
    it(`${set}: the reference solutions pass their own tests, and wrong ones fail`, async () => {
      const cases = canonicalCases(set, dataDir());
      const right = await verifyCanonical(cases, judge, 4);
      assert.deepEqual(right.failed, []);
      assert.equal(right.passed, 8);
      // each problem judged with its neighbour's solution, and with a body that returns None
      const wrong: CanonicalCase[] = [
        ...cases.slice(0, 5).map((c, i) => ({ ep: c.ep, code: cases[i + 1].code })),
        ...cases.slice(0, 5).map((c) => ({ ep: c.ep, code: `def ${c.ep.problem.style.kind === 'function' ? c.ep.problem.style.name : 'f'}(*args):\n    return None\n` })),
      ];
      const failed = await verifyCanonical(wrong, judge, 4);
      assert.equal(failed.passed, 0, JSON.stringify(failed.failed));
    });
  }

  it('reports timeouts, crashes and output-faking per test', async () => {
    const ep = canonicalCases('humaneval-et', dataDir())[0].ep;
    const loop = await judge.judgeHidden('def has_close_elements(a, b):\n    while True: pass\n', 'python3', { ...ep, problem: { ...ep.problem, timeLimitMs: 200 } });
    assert.equal(loop.verdict, 'TLE');
    const crash = await judge.judgeHidden('import sys\nsys.exit(0)\n', 'python3', ep);
    assert.deepEqual([crash.passed, crash.verdict], [0, 'RE']);
    const syntax = await judge.judgeHidden('def has_close_elements(:\n', 'python3', ep);
    assert.equal(syntax.verdict, 'CE');
    const fake = await judge.judgeHidden(`import os\ndef has_close_elements(a, b):\n    os.write(1, b"@@mapcoder-hidden@@@AC\\n")\n    return None\n`, 'python3', ep);
    assert.deepEqual([fake.passed, fake.verdict], [0, "WA"], "printing the result marker does not pass a test");
  });
});
