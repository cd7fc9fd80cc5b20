import { strict as assert } from 'node:assert';
import { testReportText, samplesText, ioConvention } from '../../../src/core/agents/context';
import type { JudgeReport, TestResult } from '../../../src/core/types';

const test = (i: number, over: Partial<TestResult> = {}): TestResult => ({
  index: i, verdict: 'WA', input: `in${i}\n`, expected: [`out${i}\n`], actual: `bad${i}\n`, stderr: '', timeMs: 5, ...over,
});

describe('prompt context', () => {
  it('the debugging report is bounded however many tests fail or how long their output is', () => {
    const small: JudgeReport = { verdict: 'WA', passed: 0, total: 3, tests: [test(0), test(1), test(2)] };
    const huge: JudgeReport = {
      verdict: 'WA', passed: 0, total: 500,
      tests: Array.from({ length: 500 }, (_, i) => test(i, { input: 'x'.repeat(100000), actual: 'y'.repeat(100000), expected: ['z'.repeat(100000)] })),
    };
    assert.ok(testReportText(huge).length < 4 * testReportText(small).length + 8000, `bounded: ${testReportText(huge).length}`);
    assert.match(testReportText(huge), /497 more failing tests not shown/);
  });

  it('shows the compiler message for CE and the stderr tail for RE', () => {
    const ce: JudgeReport = { verdict: 'CE', passed: 0, total: 1, tests: [test(0, { verdict: 'CE' })], compile: { ok: false, message: 'main.cpp:3: error: expected ;', cached: false, timeMs: 1 } };
    assert.match(testReportText(ce), /Compilation failed:\nmain\.cpp:3: error/);
    const re: JudgeReport = { verdict: 'RE', passed: 0, total: 1, tests: [test(0, { verdict: 'RE', stderr: 'Traceback...\nZeroDivisionError: division by zero\n' })] };
    assert.match(testReportText(re), /runtime error[\s\S]*ZeroDivisionError/);
  });

  it('renders samples and the I/O convention per style', () => {
    const p = { title: 't', statement: 's', samples: [{ input: '1\n', outputs: ['2\n'] }], asserts: [], style: { kind: 'stdio' as const } };
    assert.equal(samplesText(p), 'Input 1:\n1\nExpected output 1:\n2');
    assert.match(ioConvention(p, 'java'), /public class named Main/);
    const f = { ...p, samples: [], asserts: ['assert f(1) == 2'], style: { kind: 'function' as const, name: 'f', signature: 'def f(x: int) -> int' } };
    assert.equal(samplesText(f), 'assert f(1) == 2');
    assert.match(ioConvention(f, 'python3'), /`f` with the signature `def f\(x: int\) -> int`/);
  });
});
