// The verdict of a program's output after a clean run: the problem's checker, or the comparison with the
// jury's answer (compare.ts); on an any-answer problem without a checker, a differing output is unverified.
import type { CheckerSpec, Verdict } from '../../types';
import { outputsMatch, type Tolerance } from '../compare';
import { builtinCheck } from './builtin';
import { programCheck, type ToolHost } from './program';

export { ToolError, includesTestlib, missingTestlibLine, toolSource, TESTLIB_URL } from './tool';
export { exitOutcome, type ToolHost } from './program';
export { builtinCheck, type CheckOutcome } from './builtin';

export interface OutputVerdict {
  verdict: Verdict;
  message?: string;
}

export const UNVERIFIED_MESSAGE = 'not the jury\'s answer; the problem accepts any valid answer and has no checker to tell';

export interface OutputCase {
  input: string;
  output: string;
  /** The accepted answers (a checker gets the first as its answer file). */
  answers: string[];
}

export async function checkOutput(
  spec: CheckerSpec | undefined, anyAnswer: boolean, c: OutputCase, tol: Tolerance, host: ToolHost,
): Promise<OutputVerdict> {
  if (!spec) {
    if (outputsMatch(c.output, c.answers, tol)) return { verdict: 'AC' };
    return anyAnswer ? { verdict: 'UV', message: UNVERIFIED_MESSAGE } : { verdict: 'WA' };
  }
  if (spec.kind === 'program') return programCheck(host, spec, c.input, c.output, c.answers[0] ?? '');
  const t = { absTol: spec.absTol ?? tol.absTol, relTol: spec.relTol ?? tol.relTol };
  const outcomes = (c.answers.length ? c.answers : ['']).map((a) => builtinCheck(spec.name, c.output, a, t));
  return outcomes.find((o) => o.verdict === 'AC') ?? outcomes[0];
}
