// Reports of a judging that ran no test: the program did not compile, or the judge itself failed.
import type { CompileInfo, JudgeReport, Sample, TestResult } from '../types';
import type { JudgeRequest } from './request';

/** The tests of a problem: its samples, or one per assert of a function-style problem. */
export function casesOf(problem: JudgeRequest['problem']): Sample[] {
  return problem.style.kind === 'function' ? problem.asserts.map((a) => ({ input: a, outputs: [] })) : problem.samples;
}

export function internalErrorReport(cases: Sample[], e: unknown): JudgeReport {
  const stderr = `[judge] internal error: ${e instanceof Error ? e.message : String(e)}`;
  const tests = cases.map((c, index): TestResult => ({ index, verdict: 'RE', input: c.input, expected: c.outputs, actual: '', stderr, timeMs: 0 }));
  return { verdict: 'RE', passed: 0, total: tests.length, tests };
}

export function compileErrorReport(cases: Sample[], compile: CompileInfo): JudgeReport {
  const tests = cases.map((c, index): TestResult => ({ index, verdict: 'CE', input: c.input, expected: c.outputs, actual: '', stderr: '', timeMs: 0 }));
  return { verdict: 'CE', passed: 0, total: tests.length, tests, compile };
}
