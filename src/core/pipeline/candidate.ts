// What a run reads from a candidate's report: accepted, unjudged, passing the problem's own tests, and
// the status and error it ends a run with.
import type { Candidate, SolveResult } from '../events';
import { sampleCount } from '../problem';
import type { Problem } from '../types';

/**
 * Whether a candidate passes every test of the problem itself (its samples, or its asserts for a function
 * problem), whatever it did on the inputs stress tests added after them. With none, compiling is passing.
 */
export function passesSamples(c: Candidate, problem: Problem): boolean {
  const n = sampleCount(problem);
  return c.report.compile?.ok !== false && c.report.tests.length >= n && c.report.tests.slice(0, n).every((t) => t.verdict === 'AC');
}

/** A candidate is final when it passes every sample (with no samples: when it compiles). */
export function accepted(c: Candidate): boolean {
  return c.report.verdict === 'AC';
}

/** A candidate whose verdict says nothing of the program (unverified, a judge error): never debugged. */
export function unjudged(c: Candidate): boolean {
  return c.report.verdict === 'UV' || c.report.verdict === 'JE';
}

/** What stops a run when the checker or interactor itself fails: shown, never debugged. */
export function judgeError(c: Candidate): Error {
  const t = c.report.tests.find((x) => x.verdict === 'JE');
  return new Error(`judge error: ${t?.message ?? 'the checker failed'}.`);
}

/** The status of a run that ends with `c`. */
export function statusOf(c: Candidate): SolveResult['status'] {
  if (c.report.verdict === 'UV') return 'unverified';
  return c.report.total === 0 ? 'untested' : 'passed';
}
