import { strict as assert } from 'node:assert';
import type { RankedPlan, RetrievalResult } from '../../../src/core/events';
import { resumeFromPlan, resumeFromStep } from '../../../src/extension/run/resume';
import { newRunState, type RunState } from '../../../src/run-state';
import { META } from './state/recorded-run';

const RETRIEVAL: RetrievalResult = { exemplars: [], algorithm: 'Greedy.' };
const PLANS: RankedPlan[] = [
  { index: 1, plan: 'Sort, then take the largest.', confidence: 90, explanation: 'Fits.' },
  { index: 0, plan: 'Try every pair.', confidence: 60, explanation: 'Slow.' },
];

function state(reached: 'nothing' | 'retrieval' | 'plans'): RunState {
  const s = newRunState(META);
  if (reached !== 'nothing') s.retrieval = RETRIEVAL;
  if (reached === 'plans') s.plans = PLANS;
  return s;
}

describe('extension: what a re-run from the panel reuses', () => {
  it('from an edited plan: the retrieval of the run and that plan alone, keeping its confidence', () => {
    assert.deepEqual(resumeFromPlan(state('plans'), 0, 'Try every pair, faster.'), {
      retrieval: RETRIEVAL,
      plans: [{ index: 0, plan: 'Try every pair, faster.', confidence: 60, explanation: 'Edited in the Agents panel.' }],
    });
    assert.equal(resumeFromPlan(state('retrieval'), 2, 'A plan of my own.')?.plans?.[0].confidence, 100, 'a plan the run never ranked');
    assert.equal(resumeFromPlan(state('nothing'), 0, 'x'), undefined);
  });

  it('from a step: what came before it, or nothing when the run did not get there', () => {
    assert.deepEqual(resumeFromStep(state('nothing'), 'retrieval'), {});
    assert.deepEqual(resumeFromStep(state('retrieval'), 'planning'), { retrieval: RETRIEVAL });
    assert.deepEqual(resumeFromStep(state('plans'), 'coding'), { retrieval: RETRIEVAL, plans: PLANS });
    assert.equal(resumeFromStep(state('nothing'), 'planning'), undefined);
    assert.equal(resumeFromStep(state('retrieval'), 'coding'), undefined);
  });
});
