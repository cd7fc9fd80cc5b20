import { strict as assert } from 'node:assert';
import { verdictTable } from '../../../src/cli/report';
import { differenceText, firstDifference } from '../../../src/core/judge/difference';
import type { JudgeReport } from '../../../src/core/types';
import { testLines } from '../../../src/extension/judge-format';

describe('judge: where a wrong answer first differs', () => {
  it('the line and column of the first difference, in the lines as compared (trimmed, trailing blank lines dropped)', () => {
    assert.deepEqual(firstDifference('3 4 1 2\n', '3 4 2 1\n'), { line: 1, column: 5, got: '3 4 1 2', expected: '3 4 2 1' });
    assert.deepEqual(firstDifference('1\n2\n3  \n\n', '1\n2\n4\n'), { line: 3, column: 1, got: '3', expected: '4' });
    assert.deepEqual(firstDifference('1\n', '1\n2\n'), { line: 2, column: 1, got: undefined, expected: '2' });
    assert.equal(firstDifference('1 \n\n', '1\n'), undefined);
  });

  it('says it in one line, long lines cut around the column', () => {
    assert.equal(differenceText(firstDifference('3 4 1 2', '3 4 2 1')!), 'line 1, column 5: got "3 4 1 2", expected "3 4 2 1"');
    assert.equal(differenceText(firstDifference('1\n', '1\n2\n')!), 'line 2, column 1: got (end of output), expected "2"');
    const long = `${'7 '.repeat(50)}8 ${'7 '.repeat(50)}`;
    const text = differenceText(firstDifference(long, long.replace('8', '9'))!);
    assert.equal(text, `line 1, column 101: got "…${'7 '.repeat(10)}8 ${'7 '.repeat(9)}…", expected "…${'7 '.repeat(10)}9 ${'7 '.repeat(9)}…"`);
  });

  it('the CLI verdict table and the judge terminal show it for a WA', () => {
    const wa = { index: 0, verdict: 'WA' as const, input: '4\n', expected: ['3 4 2 1\n'], actual: '3 4 1 2\n', stderr: '', timeMs: 5 };
    const report: JudgeReport = { verdict: 'WA', passed: 0, total: 1, tests: [wa] };
    assert.match(verdictTable(report), /#1 {3}WA .* line 1, column 5: got "3 4 1 2", expected "3 4 2 1"\n0\/1 passed/);
    assert.ok(testLines(wa).some((l) => l.includes('first difference: line 1, column 5: got "3 4 1 2", expected "3 4 2 1"')));
  });
});
