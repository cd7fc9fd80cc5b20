// Steps in words, for displays (the editor's status bar and judge terminal). Light: no pipeline import.
import type { StepRef, StressStatus } from './events';

/** The program a step made, in words: "plan 2, debugging round 1". */
export function programName(step: StepRef): string {
  if (step.kind === 'direct' || (step.plan ?? 0) < 0) return 'the direct program';
  const plan = `plan ${(step.plan ?? 0) + 1}`;
  if (step.kind === 'stress') return `${plan}, ${step.round ? `debugging round ${step.round}` : 'first program'}, on the inputs stress tests found`;
  return step.kind === 'debug' ? `${plan}, debugging round ${step.round}` : `${plan}, first program`;
}

/** Why a stress check tested nothing (the program keeps its samples-only standing). */
export const STRESS_SKIPPED: Record<Exclude<StressStatus, 'passed' | 'difference'>, string> = {
  untrusted: 'no trusted brute force',
  'no-inputs': 'the generator gave no usable input',
  unsupported: 'stress tests need a standard-input problem, not an interactive one',
  'no-checker': 'any valid answer is accepted and no checker is trusted',
};
