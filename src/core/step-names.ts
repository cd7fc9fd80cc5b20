// Steps in words, for displays (the editor's status bar and judge terminal). Light: no pipeline import.
import type { StepRef, StressStatus } from './events';

/** A plan's program in words, plans counted from 1: "plan 2, first program" (round 0), "plan 2, debugging round 1". */
export function programPlace(plan: number, round: number | undefined): string {
  return `plan ${plan + 1}, ${round ? `debugging round ${round}` : 'first program'}`;
}

/** The program a step made, in words: "plan 2, debugging round 1". */
export function programName(step: StepRef): string {
  if (step.kind === 'direct' || (step.plan ?? 0) < 0) return 'the direct program';
  const place = programPlace(step.plan ?? 0, step.kind === 'code' ? 0 : step.round);
  return step.kind === 'stress' ? `${place}, on the inputs stress tests found` : place;
}

/** Why a stress check tested nothing (the program keeps its samples-only standing). */
export const STRESS_SKIPPED: Record<Exclude<StressStatus, 'passed' | 'difference'>, string> = {
  untrusted: 'no trusted brute force',
  'no-inputs': 'the generator gave no usable input',
  unsupported: 'stress tests need a standard-input problem, not an interactive one',
  'no-checker': 'any valid answer is accepted and no checker is trusted',
};
