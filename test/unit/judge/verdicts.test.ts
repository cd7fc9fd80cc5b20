import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Judge, type JudgeRequest } from '../../../src/core/judge';
import { withJudging } from '../../../src/core/judge/checker/find';
import { parseProblem } from '../../../src/core/problem';
import type { Lang, Problem } from '../../../src/core/types';
import { stdio } from './helpers';

const FIXTURES = resolve(__dirname, '..', '..', 'fixtures');
const VERDICTS = join(FIXTURES, 'verdicts');
const TESTLIB = join(FIXTURES, 'testlib');
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const statement = (name: string): Problem => parseProblem(read(VERDICTS, name), { fileName: name });
const langOf = (file: string): Lang => (file.endsWith('.cpp') ? 'cpp' : 'python3');

describe('judge/verdicts: checkers, any-answer problems, named files, interactive problems', function () {
  this.timeout(240_000); // testlib.h takes g++ 10-20 s per tool on a busy machine; each is built once
  let workRoot: string;
  let judge: Judge;
  const run = (problem: JudgeRequest['problem'], file: string, dir = VERDICTS) => judge.judge({ code: read(dir, file), lang: langOf(file), problem });
  before(() => {
    workRoot = mkdtempSync(join(tmpdir(), 'judge-verdicts-'));
    judge = new Judge({ workRoot, concurrency: 2 });
  });
  after(async () => {
    await judge.dispose();
    rmSync(workRoot, { recursive: true, force: true });
  });

  describe('an any-answer problem (pair.md)', () => {
    const pair = () => withJudging(statement('pair.md'), join(VERDICTS, 'pair.md'));

    it('reads as any-answer with pair.checker.py beside it', () => {
      const p = pair();
      assert.equal(p.anyAnswer, true);
      assert.deepEqual(p.checker, { kind: 'program', path: join(VERDICTS, 'pair.checker.py'), lang: 'python3' });
    });

    it('with its checker: two correct programs printing different answers AC, a wrong one WA, a malformed one PE, each with the checker\'s line', async () => {
      const first = await run(pair(), 'first.py');
      const half = await run(pair(), 'half.py');
      assert.deepEqual([first.verdict, half.verdict], ['AC', 'AC']);
      assert.equal(half.tests[0].actual.trim(), '2 3', 'not the jury\'s "1 4", and accepted');
      assert.equal(half.tests[0].message, 'ok 2 + 3 = 5');
      const wrong = await run(pair(), 'wrong.py');
      assert.equal(wrong.verdict, 'WA');
      assert.equal(wrong.tests[0].message, '0 + 5 is not 5 in positive integers');
      const malformed = await run(pair(), 'one-number.py');
      assert.equal(malformed.verdict, 'PE');
      assert.match(malformed.tests[0].message!, /expected 2 integers, found 1/);
    });

    it('hidden tests (no answer of the jury but one) judge through the same checker', async () => {
      const hidden = { ...pair(), samples: [10, 1_000_000_000, 3].map((n) => ({ input: `${n}\n`, outputs: [`1 ${n - 1}\n`] })) };
      assert.equal((await run(hidden, 'half.py')).verdict, 'AC');
      assert.equal((await run(hidden, 'wrong.py')).verdict, 'WA');
    });

    it('without a checker: the jury\'s answer AC, another clean one unverified (neither AC nor WA), a crash still RE', async () => {
      const bare: Problem = { ...statement('pair.md'), anyAnswer: true };
      const first = await run(bare, 'first.py');
      assert.equal(first.verdict, 'AC');
      const half = await run(bare, 'half.py');
      assert.equal(half.verdict, 'UV');
      assert.deepEqual(half.tests.map((t) => t.verdict), ['UV', 'AC']);
      assert.equal(half.passed, 1);
      assert.match(half.tests[0].message!, /accepts any valid answer/);
      const crash = await judge.judge({ code: 'raise SystemExit(3)', lang: 'python3', problem: bare });
      assert.equal(crash.verdict, 'RE');
      // The same program on a problem that does not say so: plain WA.
      assert.equal((await run(statement('pair.md'), 'half.py')).verdict, 'WA');
    });

    it('a checker that fails (exit 3) or does not compile is a judge error, said, never WA', async () => {
      const dir = mkdtempSync(join(workRoot, 'bad-'));
      writeFileSync(join(dir, 'fail.py'), 'import sys\nprint("answer file unreadable")\nsys.exit(3)\n');
      writeFileSync(join(dir, 'broken.py'), 'def f(:\n');
      const failing = await run({ ...pair(), checker: { kind: 'program', path: join(dir, 'fail.py'), lang: 'python3' } }, 'half.py');
      assert.equal(failing.verdict, 'JE');
      assert.equal(failing.tests[0].message, 'answer file unreadable');
      const broken = await run({ ...pair(), checker: { kind: 'program', path: join(dir, 'broken.py'), lang: 'python3' } }, 'half.py');
      assert.equal(broken.verdict, 'JE');
      assert.match(broken.tests[0].message!, /the checker .*broken\.py does not compile/);
    });
  });

  describe('real testlib checkers (test/fixtures/testlib, MIT)', () => {
    const floats = stdio([{ input: '3\n', outputs: ['0.333333333333\n'] }, { input: '7\n', outputs: ['0.142857142857\n'] }]);

    it('rcmp6 accepts an answer within 1e-6 that an exact comparison would not, and rejects one outside', async () => {
      const problem = { ...floats, checker: { kind: 'program' as const, path: join(TESTLIB, 'rcmp6.cpp'), lang: 'cpp' as const, testlib: join(TESTLIB, 'testlib.h') } };
      const close = await judge.judge({ code: 'n = int(input())\nprint(f"{1/n:.7f}")', lang: 'python3', problem });
      assert.equal(close.verdict, 'AC');
      assert.match(close.tests[0].message!, /^ok found '0\.3333333', expected '0\.3333333'/);
      const far = await judge.judge({ code: 'n = int(input())\nprint(f"{1/n:.3f}")', lang: 'python3', problem });
      assert.equal(far.verdict, 'WA');
      assert.match(far.tests[0].message!, /^wrong answer 1st numbers differ/);
      // The checker was built once, then cached.
      assert.equal((await judge.judge({ code: 'n = int(input())\nprint(1/n)', lang: 'python3', problem })).verdict, 'AC');
    });

    it('a checker that includes testlib.h with none given: a judge error naming what to do', async () => {
      const problem = { ...floats, checker: { kind: 'program' as const, path: join(TESTLIB, 'wcmp.cpp'), lang: 'cpp' as const } };
      const r = await judge.judge({ code: 'print(1)', lang: 'python3', problem });
      assert.equal(r.verdict, 'JE');
      assert.match(r.tests[0].message!, /wcmp\.cpp includes testlib\.h, which is neither beside it nor set/);
    });
  });

  describe('named input and output files', () => {
    const files = { ...stdio([{ input: '2 3\n', outputs: ['5\n'] }, { input: '10 -4\n', outputs: ['6\n'] }]), io: { input: 'input.txt', output: 'output.txt' } };
    const fromFiles = 'a, b = map(int, open("input.txt").read().split())\nopen("output.txt", "w").write(f"{a + b}\\n")';
    const fromStdio = 'a, b = map(int, input().split())\nprint(a + b)';

    it('a program reading input.txt and writing output.txt is accepted; its stdin/stdout version is not', async () => {
      assert.equal((await judge.judge({ code: fromFiles, lang: 'python3', problem: files })).verdict, 'AC');
      const stdin = await judge.judge({ code: fromStdio, lang: 'python3', problem: files });
      assert.notEqual(stdin.verdict, 'AC');
      // Without the files, as before: the stdin version passes and the file version cannot.
      const plain = stdio(files.samples);
      assert.equal((await judge.judge({ code: fromStdio, lang: 'python3', problem: plain })).verdict, 'AC');
      assert.equal((await judge.judge({ code: fromFiles, lang: 'python3', problem: plain })).verdict, 'RE');
    });

    it('an output file alone: stdin in, sort.out out; a program that writes none says so', async () => {
      const out = { ...files, io: { output: 'sort.out' } };
      assert.equal((await judge.judge({ code: 'a, b = map(int, input().split())\nopen("sort.out", "w").write(str(a + b))', lang: 'python3', problem: out })).verdict, 'AC');
      const none = await judge.judge({ code: fromStdio, lang: 'python3', problem: out });
      assert.equal(none.verdict, 'WA');
      assert.match(none.tests[0].stderr, /the program wrote no sort\.out/);
    });
  });

  describe('an interactive problem (guess.md)', () => {
    const guess = (choices = {}) => withJudging(statement('guess.md'), join(VERDICTS, 'guess.md'), choices);

    it('without an interactor: every test a judge error saying how to give one, never a verdict from the transcript', async () => {
      const bare: Problem = { ...statement('guess.md'), interactive: true };
      const r = await run(bare, 'transcript.py');
      assert.equal(r.verdict, 'JE');
      assert.match(r.tests[0].message!, /interactive problem.*interactor/);
    });

    it('two correct strategies accepted, the transcript and a slow strategy rejected, a program that never flushes stopped by the wall clock', async () => {
      const p = guess();
      assert.equal(p.interactive, true);
      assert.equal(p.interactor?.path, join(VERDICTS, 'guess.interactor.py'));
      const binary = await run(p, 'binary.py');
      assert.equal(binary.verdict, 'AC');
      assert.equal(binary.tests[0].message, 'found 42 in 7 queries');
      const upper = await run(p, 'upper.cpp');
      assert.equal(upper.verdict, 'AC');
      assert.equal(upper.tests[0].message, 'found 42 in 5 queries');
      const transcript = await run(p, 'transcript.py');
      assert.deepEqual(transcript.tests.map((t) => t.verdict), ['AC', 'WA'], 'right on the sample it copies only');
      const linear = await run(p, 'linear.py');
      assert.equal(linear.verdict, 'WA');
      assert.equal(linear.tests[0].message, '42 not found in 7 queries');
      const stuck = await run(p, 'noflush.py');
      assert.deepEqual(stuck.tests.map((t) => t.verdict), ['TLE', 'TLE']);
      assert.match(stuck.tests[0].message!, /flush/);
    });

    it('with a testlib interactor: the same verdicts', async () => {
      const p = guess({ interactor: join(TESTLIB, 'guess.interactor.cpp') });
      assert.equal(p.interactor?.testlib, join(TESTLIB, 'testlib.h'));
      const binary = await run(p, 'binary.py');
      assert.equal(binary.verdict, 'AC');
      assert.equal(binary.tests[1].message, 'ok found 7 in 6 queries');
      assert.equal((await run(p, 'upper.cpp')).verdict, 'AC');
      const linear = await run(p, 'linear.py');
      assert.equal(linear.verdict, 'WA');
      assert.match(linear.tests[0].message!, /^wrong answer 42 not found/);
    });
  });
});
