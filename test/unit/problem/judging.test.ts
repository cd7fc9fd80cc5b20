import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgingHints, outputSection } from '../../../src/core/problem/judging';
import { toolProblem, withJudging } from '../../../src/core/judge/checker/find';
import { parseProblem } from '../../../src/core/problem';

describe('problem/judging hints from the statement', () => {
  it('any valid answer: read in the Output section, not elsewhere', () => {
    assert.equal(judgingHints('Output\nPrint a and b. If there are several answers, print any of them.\n\nExamples\n1').anyAnswer, true);
    assert.equal(judgingHints('-----Output-----\nIf there are multiple solutions, output any of those.\n\n-----Examples-----\n').anyAnswer, true);
    assert.equal(judgingHints('## Output\nYour solution is correct if |p| <= 1.5 * 10^6.').anyAnswer, true);
    // The legend may speak of "any" without the answer being free.
    assert.equal(judgingHints('Legend: print any of them, said the king.\n\nOutput\nPrint the sum.\n\nExamples\n').anyAnswer, false);
    assert.equal(judgingHints('Output\nYou can print each letter in any case (upper or lower).').anyAnswer, false);
    assert.equal(judgingHints('Output\nPrint the answer. Your answer is considered correct if its absolute or relative error does not exceed 10^{-6}.').anyAnswer, false);
    assert.equal(judgingHints('Output\nIf there are several solutions, print the lexicographically minimal one.').anyAnswer, false);
  });

  it('the Output section ends at the next heading', () => {
    assert.equal(outputSection('Input\nn\n\nOutput\nPrint n.\n\nNote\nprint any')?.trim(), 'Print n.');
    assert.equal(outputSection('no sections'), undefined);
  });

  it('float tolerance as statements write it', () => {
    for (const [text, tol] of [
      ['absolute or relative error does not exceed 10^{-6}', 1e-6], ['absolute or relative error does not exceed 10 - 4', 1e-4],
      ['absolute error at most 1e-9', 1e-9], ['relative error not greater than 0.001', 1e-3],
    ] as const) assert.equal(judgingHints(`Output\nPrint x. Your answer is accepted if its ${text}.`).tolerance, tol, text);
    assert.equal(judgingHints('Output\nPrint 10^-6 times n.').tolerance, undefined);
  });

  it('named files and interactive problems', () => {
    assert.deepEqual(judgingHints('input: input.txt\noutput: output.txt').io, { input: 'input.txt', output: 'output.txt' });
    assert.deepEqual(judgingHints('INPUT FORMAT (file sort.in):\n...\nOUTPUT FORMAT (file sort.out):').io, { input: 'sort.in', output: 'sort.out' });
    assert.deepEqual(judgingHints('The program reads from the file input.txt and writes the answer to standard output.').io, { input: 'input.txt' });
    assert.equal(judgingHints('input: standard input\noutput: standard output').io, undefined);
    assert.equal(judgingHints('This is an interactive problem. You ask...').interactive, true);
    assert.equal(judgingHints('## Interaction\nPrint "? y" and flush.').interactive, true);
    assert.equal(judgingHints('Output the interaction count.').interactive, false);
  });

  describe('withJudging: the checker and interactor beside the statement, the flags, the setting', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'mcl-judging-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const problem = (text: string) => parseProblem(text, { fileName: 'A.md' });

    it('finds <stem>.checker.<ext> and <stem>.interactor.<ext>; a flag overrides', () => {
      writeFileSync(join(dir, 'A.checker.py'), 'import sys\n');
      writeFileSync(join(dir, 'A.interactor.cpp'), '#include "testlib.h"\nint main(){}\n');
      const p = withJudging(problem('# A\n\nThis is an interactive problem.\n'), join(dir, 'A.md'));
      assert.deepEqual(p.checker, { kind: 'program', path: join(dir, 'A.checker.py'), lang: 'python3' });
      assert.deepEqual(p.interactor, { path: join(dir, 'A.interactor.cpp'), lang: 'cpp' });
      assert.equal(p.interactive, true);
      assert.deepEqual(withJudging(problem('# A\n'), join(dir, 'A.md'), { checker: 'unordered-tokens' }).checker, { kind: 'builtin', name: 'unordered-tokens' });
    });

    it('testlib.h: a tool that includes it without one is refused in one line; beside it or from the setting, found', () => {
      const p = withJudging(problem('# A\n'), join(dir, 'A.md'));
      assert.match(toolProblem(p)!, /A\.interactor\.cpp includes testlib\.h, which is neither beside it nor set .*github\.com\/MikeMirzayanov\/testlib/);
      writeFileSync(join(dir, 'lib.h'), '// testlib\n');
      assert.equal(withJudging(problem('# A\n'), join(dir, 'A.md'), { testlib: join(dir, 'lib.h') }).interactor?.testlib, join(dir, 'lib.h'));
      writeFileSync(join(dir, 'testlib.h'), '// testlib\n');
      const beside = withJudging(problem('# A\n'), join(dir, 'A.md'));
      assert.equal(beside.interactor?.testlib, join(dir, 'testlib.h'));
      assert.equal(toolProblem(beside), undefined);
    });

    it('a tolerance in the statement becomes the floats checker; a given checker wins', () => {
      const text = '# B\n\n## Output\n\nPrint x with absolute or relative error at most 10^{-4}.\n';
      assert.deepEqual(withJudging(problem(text), join(dir, 'B.md')).checker, { kind: 'builtin', name: 'floats', absTol: 1e-4, relTol: 1e-4 });
      assert.deepEqual(withJudging(problem(text), join(dir, 'B.md'), { checker: 'tokens' }).checker, { kind: 'builtin', name: 'tokens' });
    });

    it('bad choices: one line each', () => {
      assert.throws(() => withJudging(problem('# A\n'), join(dir, 'A.md'), { checker: 'nothing-like-this' }), /neither a built-in checker .* nor a file/);
      assert.throws(() => withJudging(problem('# A\n'), join(dir, 'A.md'), { testlib: join(dir, 'missing') }), /no testlib\.h there/);
    });
  });
});
