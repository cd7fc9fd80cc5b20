// The solve benchmark's two lower bounds, computed from an ordered run's events, and the time scale of
// its latency model.
import { strict as assert } from 'node:assert';
import type { PipelineEvent, StepRef } from '../../../src/core/events';
import type { JudgeReport } from '../../../src/core/types';
import { criticalPathMs, dependencyBoundMs } from '../../../bench/solve';
import { timeScaled, VLLM_7B, VLLM_7B_SCALED, type LatencyModel } from '../../fixtures/llm-server/latency';

/** Service time = 10 ms to first token + 1 ms a generated token after the first: easy to aim at. */
const MODEL: LatencyModel = { ttftMs: 10, prefillMsPerToken: 0, tokenMs: 1, batchSize: 8, charsPerToken: 4, tokensPerChunk: 1 };

const call = (kind: StepRef['kind'], plan: number | undefined, ms: number): PipelineEvent => ({
  type: 'agent-finished', callId: `${kind}-${plan}`, step: { kind, agent: 'coding', plan }, model: 'm', attempt: 1, raw: '', parsed: undefined,
  ok: true, usage: { promptTokens: 0, completionTokens: ms - 9 }, ms, formatIssues: [],
});

const WA: JudgeReport = { verdict: 'WA', passed: 0, total: 1, tests: [], compile: { ok: true, message: '', cached: false, timeMs: 0 } };
const tested = (code: string, plan: number): PipelineEvent => ({
  type: 'candidate', candidate: { id: 0, code, plan, round: 0, report: WA }, step: { kind: 'code', agent: 'coding', plan },
});

// Retrieval 100; chains plan+confidence: plan 0 20+5, plan 1 30+40, plan 2 10+10 (ranking waits 70).
// The ordered run tried plan 1 (code 50, judge A 7, debug 60, judge B 8), then plan 0 (code 40, judge C 9,
// then program A again: its report is reused, no judge run).
const EVENTS: PipelineEvent[] = [
  call('retrieval', undefined, 100),
  call('plan', 0, 20), call('plan', 1, 30), call('plan', 2, 10),
  call('confidence', 0, 5), call('confidence', 1, 40), call('confidence', 2, 10),
  call('code', 1, 50), tested('A', 1), call('debug', 1, 60), tested('B', 1),
  call('code', 0, 40), tested('C', 0), tested('A', 0),
];
const JUDGE = new Map([['A', 7], ['B', 8], ['C', 9]]);

describe('bench/solve bounds', () => {
  it('critical path: retrieval, the slowest plan+confidence chain, then the plans tried one after the other', () => {
    assert.equal(criticalPathMs(EVENTS, JUDGE, MODEL), 100 + 70 + (50 + 7 + 60 + 8) + (40 + 9));
  });

  it('dependency bound: each plan tried coded as soon as it exists, all side by side, not before the ranking', () => {
    assert.equal(dependencyBoundMs(EVENTS, JUDGE, MODEL), 100 + 30 + (50 + 7 + 60 + 8));
    // With short branches the ranking (the slowest chain) is what the result waits on.
    const quick = EVENTS.filter((e) => e.type !== 'agent-finished' || (e.step.kind !== 'debug' && e.step.kind !== 'code'));
    assert.equal(dependencyBoundMs(quick, JUDGE, MODEL), 100 + 70);
  });

  it('the bench model is the real-time one divided by 20', () => {
    assert.deepEqual(VLLM_7B_SCALED, { ...VLLM_7B, ttftMs: 4, prefillMsPerToken: 0.005, tokenMs: 1 });
    assert.deepEqual(timeScaled(VLLM_7B, 1), VLLM_7B);
  });
});
