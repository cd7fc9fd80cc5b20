import type { RankedPlan, RetrievalResult } from '../../core/events';
import type { RunState } from '../../run-state';

// What a re-run from the Agents panel reuses of an earlier run, instead of calling those agents again.
// undefined: the run did not get far enough to re-run from there.

export type Resume = { retrieval?: RetrievalResult; plans?: RankedPlan[] };

/** Coding and debugging from one (possibly edited) plan, after the run's retrieval. */
export function resumeFromPlan(state: RunState, planIndex: number, editedPlan: string): Resume | undefined {
  if (!state.retrieval) return undefined;
  const original = state.plans.find((p) => p.index === planIndex);
  const plan: RankedPlan = { index: planIndex, plan: editedPlan, confidence: original?.confidence ?? 100, explanation: 'Edited in the Agents panel.' };
  return { retrieval: state.retrieval, plans: [plan] };
}

/** That step and what follows, reusing the steps before it. */
export function resumeFromStep(state: RunState, step: 'retrieval' | 'planning' | 'coding'): Resume | undefined {
  if (step === 'retrieval') return {};
  if (!state.retrieval) return undefined;
  return step === 'planning' ? { retrieval: state.retrieval } : state.plans.length ? { retrieval: state.retrieval, plans: state.plans } : undefined;
}
