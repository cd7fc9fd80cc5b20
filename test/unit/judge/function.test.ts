import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Judge } from '../../../src/core/judge';
import { functional } from './helpers';

const ADD = 'def add(a, b):\n    print("noise on stdout")\n    return a + b\n';

describe('judge/Judge on function-style problems', function () {
  this.timeout(30_000);
  let workRoot: string;
  let judge: Judge;
  before(() => {
    workRoot = mkdtempSync(join(tmpdir(), 'judge-fn-test-'));
    judge = new Judge({ workRoot });
  });
  after(async () => {
    await judge.dispose();
    rmSync(workRoot, { recursive: true, force: true });
  });

  it('passes when every assert holds, whatever the function prints', async () => {
    const r = await judge.judge({ code: ADD, lang: 'python3', problem: functional('add', ['assert add(1, 2) == 3', 'assert add("a", "b") == "ab"', 'assert add(0.1, 0.2) > 0.3']) });
    assert.equal(r.verdict, 'AC', JSON.stringify(r));
    assert.equal(r.passed, 3);
    assert.deepEqual(r.tests[0].expected, ['3']);
    assert.deepEqual(r.tests[2].expected, [], 'not an equality: no expected part');
  });

  it('reports each assert: pass, fail with the value returned, exception, time-out', async () => {
    const code = `${ADD}def slow(n):\n    while True:\n        n += 1\n`;
    const asserts = ['assert add(1, 2) == 3', 'assert add(2, 2) == 5', 'assert add(1, None) == 1', 'assert slow(1) == 2', 'assert add(4, 4) == 8', 'assert add(1, 1) != 2, "custom message"'];
    const seen: number[] = [];
    const r = await judge.judge({ code, lang: 'python3', problem: functional('add', asserts, 300), onTest: (t) => seen.push(t.index) });
    assert.deepEqual(r.tests.map((t) => t.verdict), ['AC', 'WA', 'RE', 'TLE', 'AC', 'WA']);
    assert.equal(r.verdict, 'WA', 'the first failing test decides');
    assert.equal(r.passed, 2);
    assert.equal(r.tests[1].actual, 'AssertionError: got 4');
    assert.deepEqual(r.tests[1].expected, ['5']);
    assert.match(r.tests[2].actual, /^TypeError: unsupported operand/);
    assert.match(r.tests[2].stderr, /line 3, in add/, 'the traceback points into the candidate');
    assert.doesNotMatch(r.tests[2].stderr, /harness/);
    assert.equal(r.tests[5].actual, 'AssertionError: custom message');
    assert.deepEqual(r.tests.map((t) => t.input), asserts);
    assert.deepEqual(seen.sort(), [0, 1, 2, 3, 4, 5]);
  });

  it('reads indented and multi-line asserts (bodies of HumanEval check functions, tabs included)', async () => {
    const asserts = ['    assert add(1, 2) == 3', '\tassert add(2, 2) == 5', '    x = add(1, 1)\n    assert x == 2', '  \n    assert add(\n        3, 4) == 7\n'];
    const r = await judge.judge({ code: ADD, lang: 'python3', problem: functional('add', asserts) });
    assert.deepEqual(r.tests.map((t) => t.verdict), ['AC', 'WA', 'AC', 'AC'], JSON.stringify(r.tests.map((t) => t.actual)));
    assert.equal(r.tests[1].actual, 'AssertionError: got 4');
  });

  it('carries any text back intact: quotes, backslashes, control characters, non-ASCII, a lone surrogate', async () => {
    const asserts = [
      'assert add(1, 1) != 2, "two\\nlines \\"quoted\\" back\\\\slash \\x01\\t é 😀"',
      'assert add(1, 1) != 2, "half \\ud800 pair"',
      'assert add("é😀", "\\"") == "x"',
    ];
    const r = await judge.judge({ code: ADD, lang: 'python3', problem: functional('add', asserts) });
    assert.deepEqual(r.tests.map((t) => t.verdict), ['WA', 'WA', 'WA'], JSON.stringify(r.tests));
    assert.equal(r.tests[0].actual, 'AssertionError: two\nlines "quoted" back\\slash \u0001\t é 😀');
    assert.equal(r.tests[1].actual, 'AssertionError: half \ud800 pair');
    assert.equal(r.tests[2].actual, 'AssertionError: got \'é😀"\'');
    assert.deepEqual(r.tests[2].expected, ['"x"']);
    assert.deepEqual(r.tests.map((t) => t.input), asserts);
  });

  it('when the process must be killed, the running assert is TLE and the rest are not run', async () => {
    // A loop that blocks SIGALRM cannot be stopped by the per-assert budget, only by the kill.
    const code = `${ADD}import signal\ndef stuck():\n    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])\n    while True:\n        pass\n`;
    const r = await judge.judge({ code, lang: 'python3', problem: functional('add', ['assert add(1, 1) == 2', 'assert stuck() == 1', 'assert add(2, 2) == 4'], 200) });
    assert.deepEqual(r.tests.map((t) => t.verdict), ['AC', 'TLE', 'TLE']);
    assert.equal(r.verdict, 'TLE');
    assert.match(r.tests[1].actual, /killed on the time limit/);
    assert.match(r.tests[2].actual, /^not run/);
  });

  it('a syntax error in the candidate is CE for every assert', async () => {
    const r = await judge.judge({ code: 'def add(a, b)\n    return a + b\n', lang: 'python3', problem: functional('add', ['assert add(1, 2) == 3', 'assert add(2, 2) == 4']) });
    assert.equal(r.verdict, 'CE');
    assert.deepEqual(r.tests.map((t) => t.verdict), ['CE', 'CE']);
    assert.match(r.compile!.message, /SyntaxError/);
  });

  it('an error while loading the candidate fails every assert with that error', async () => {
    const r = await judge.judge({ code: `${ADD}undefined_helper()\n`, lang: 'python3', problem: functional('add', ['assert add(1, 2) == 3', 'assert add(2, 2) == 4']) });
    assert.deepEqual(r.tests.map((t) => t.verdict), ['RE', 'RE']);
    assert.match(r.tests[0].actual, /while loading the solution: NameError: name 'undefined_helper' is not defined/);
  });

  it('a crash of the interpreter fails the running assert with the process outcome', async () => {
    const r = await judge.judge({ code: `${ADD}import os\ndef die():\n    os._exit(7)\n`, lang: 'python3', problem: functional('add', ['assert add(1, 2) == 3', 'assert die() == 1', 'assert add(2, 2) == 4']) });
    assert.deepEqual(r.tests.map((t) => t.verdict), ['AC', 'RE', 'RE']);
    assert.match(r.tests[1].actual, /exit code 7/);
    assert.match(r.tests[2].actual, /^not run/);
  });

  it('"if __name__ == \'__main__\'" blocks of the candidate do not run', async () => {
    const code = `${ADD}if __name__ == "__main__":\n    input()\n    raise SystemExit(1)\n`;
    const r = await judge.judge({ code, lang: 'python3', problem: functional('add', ['assert add(1, 2) == 3']) });
    assert.equal(r.verdict, 'AC', JSON.stringify(r));
  });

  it('other languages get a CE-like report that says why', async () => {
    const r = await judge.judge({ code: 'function add(a, b) { return a + b; }', lang: 'javascript', problem: functional('add', ['assert add(1, 2) == 3']) });
    assert.equal(r.verdict, 'CE');
    assert.equal(r.tests[0].verdict, 'CE');
    assert.match(r.compile!.message, /function-style problems run in Python 3/);
  });
});
