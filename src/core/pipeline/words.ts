// A run's result in words: the sentence the CLI, the editor and the trace show, and the chosen
// program's place in the run. The panel's summary line (run-state) takes the place from here too.
import type { SolveResult } from '../events';
import { programPlace, STRESS_SKIPPED } from '../step-names';
import type { Problem } from '../types';

/** Where the chosen program came from, as a parenthesis: " (plan 2, debugging round 1)", " (direct)"; empty with none. */
export function chosenPlace(c: { plan: number; round: number } | undefined): string {
  if (!c) return '';
  return c.plan < 0 ? ' (direct)' : ` (${programPlace(c.plan, c.round)})`;
}

/** What the stress tests add to a result's sentence. */
function stressWords(r: SolveResult, samples: number): string | undefined {
  const s = r.stress;
  if (!s) return undefined;
  const where = chosenPlace(r.chosen);
  switch (s.status) {
    case 'passed':
      return `Passed all ${samples} sample tests and ${s.tests} stress tests${s.counterexamples ? ` (after fixing ${s.counterexamples} input${s.counterexamples > 1 ? 's' : ''} they found)` : ''}${where}.`;
    case 'difference':
      return `Passed the ${samples} sample tests; stress tests found a difference from the brute force that debugging did not fix${where}.`;
    default:
      return `Passed all ${samples} sample tests${where}; samples only (${STRESS_SKIPPED[s.status]}).`;
  }
}

/** The result's sentence (its `message`). */
export function describe(r: SolveResult, problem: Problem): string {
  const where = chosenPlace(r.chosen);
  switch (r.status) {
    case 'passed':
      return stressWords(r, problem.samples.length) ?? `Passed all ${r.total} sample tests${where}.`;
    case 'untested':
      return `The problem has no sample tests; returning the first program that compiles${where}, untested.`;
    case 'unverified':
      return `Runs cleanly on all ${r.total} sample tests, but ${r.total - r.passed} print${r.total - r.passed === 1 ? 's' : ''} another answer than the jury's; the problem accepts any valid answer and no checker could be trusted, so it is unverified${where}. Give a checker (<name>.checker.py beside the statement, or --checker) to judge it.`;
    case 'partial':
      return `No program passed every sample; returning the best one, which passes ${r.passed} of ${r.total}${where}.`;
    case 'failed':
      return r.chosen
        ? `No program passed any sample test; returning the last best attempt${where}, which passes 0 of ${r.total}.`
        : 'No program was produced: every reply lacked usable code.';
    case 'cancelled':
      return r.chosen ? `Cancelled; the best program so far passes ${r.passed} of ${r.total}${where}.` : 'Cancelled before any program was produced.';
    case 'error':
      return r.chosen ? `Stopped: ${r.error} The best program so far passes ${r.passed} of ${r.total}${where}.` : `Stopped: ${r.error}`;
  }
}
