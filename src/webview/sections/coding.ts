import { stepOf, type RunState } from '../../run-state';
import { h } from '../dom';
import { callList, candidateView } from '../widgets';

// Coding: per plan (or the direct call), the coding call and the program it gave with its sample verdicts.

export function codingBody(r: RunState): Node[] {
  const plansInOrder = [...r.plans.map((p) => p.index), ...r.calls.filter((c) => stepOf(c.step) === 'coding').map((c) => c.step.plan ?? -1)];
  return [...new Set(plansInOrder)]
    .filter((plan) => r.calls.some((c) => stepOf(c.step) === 'coding' && c.step.plan === plan) || r.candidates.some((c) => c.plan === plan && c.round === 0))
    .map((plan) => {
      const cand = r.candidates.find((c) => c.plan === plan && c.round === 0);
      return h('div', { class: 'program', 'data-testid': 'program', 'data-plan-index': String(plan) },
        h('h4', {}, plan < 0 ? 'Direct' : `Plan ${plan + 1}`),
        callList(r, (c) => stepOf(c.step) === 'coding' && c.step.plan === plan),
        cand ? candidateView(cand, r.meta.lang, 'program-code') : undefined);
    });
}
