import { strict as assert } from 'node:assert';
import type { PipelineEvent, SolveResult, StepRef } from '../../../src/core/events';
import type { JudgeReport, Problem } from '../../../src/core/types';
import { doneLabel, ProgressTracker } from '../../../src/extension/run/progress-tracker';

const problem: Problem = { title: 'A', statement: 's', samples: [], asserts: [], style: { kind: 'stdio' } };
const started = (step: StepRef): PipelineEvent => ({ type: 'agent-started', callId: 'c', step, model: 'm', attempt: 1, messages: [], at: 0 });
const finished = (step: StepRef): PipelineEvent => ({
  type: 'agent-finished', callId: 'c', step, model: 'm', attempt: 1, raw: '', parsed: null, ok: true,
  usage: { promptTokens: 1, completionTokens: 1 }, ms: 1, formatIssues: [],
});
const report = (passed: number, total: number): JudgeReport => ({ verdict: passed === total ? 'AC' : 'WA', passed, total, tests: [] });
const tally = { calls: 0, promptTokens: 0, completionTokens: 0, ms: 0, formatRecovered: 0, formatUnrecovered: 0 };
const result = (status: SolveResult['status'], passed = 0, code = 'x'): SolveResult => ({
  status, code, lang: 'cpp', passed, total: 3, candidates: 1, plans: [], ms: 1, message: '',
  agents: { retrieval: tally, planning: tally, coding: tally, debugging: tally },
});

describe('status text per event', () => {
  it('names the current agent, plan and round through a run', () => {
    const p = new ProgressTracker();
    const labels: (string | undefined)[] = [];
    const feed = (e: PipelineEvent) => labels.push(p.update(e));
    feed({ type: 'run-started', runId: 'r', problem, lang: 'cpp', mode: 'mapcoder', k: 3, t: 5, promptsHash: 'h', at: 0 });
    feed(started({ kind: 'retrieval', agent: 'retrieval' }));
    feed({ type: 'token', callId: 'c', delta: 'x' });
    feed({ type: 'retrieval-done', result: { exemplars: [], algorithm: '' } });
    feed(started({ kind: 'plan', agent: 'planning', plan: 0 }));
    feed(finished({ kind: 'confidence', agent: 'planning', plan: 0 }));
    feed(started({ kind: 'code', agent: 'coding', plan: 1 }));
    labels.push(p.judging('plan 2, first program', 'compiling'));
    labels.push(p.judging('plan 2, first program', 'testing'));
    feed({ type: 'candidate', step: { kind: 'code', agent: 'coding', plan: 1 }, candidate: { id: 1, code: '', plan: 1, round: 0, report: report(1, 3) } });
    feed(started({ kind: 'debug', agent: 'debugging', plan: 1, round: 2 }));
    feed({ type: 'done', result: result('passed', 3) });
    assert.deepEqual(labels, [
      undefined, 'retrieval', undefined, undefined, 'planning 0/1', 'planning 1/1', 'coding plan 2', 'compiling plan 2, first program', 'testing plan 2, first program',
      'coding plan 2: 1/3 samples pass', 'debugging plan 2 round 2/5', 'passed 3/3 samples',
    ]);
  });

  it('counts finished plans out of the exemplars retrieved', () => {
    const p = new ProgressTracker();
    p.update({ type: 'run-started', runId: 'r', problem, lang: 'cpp', mode: 'mapcoder', k: 3, t: 5, promptsHash: 'h', at: 0 });
    p.update(started({ kind: 'plan', agent: 'planning', plan: 2 }));
    assert.equal(p.text, 'planning 0/3');
    p.update(finished({ kind: 'confidence', agent: 'planning', plan: 2 }));
    p.update(finished({ kind: 'plan', agent: 'planning', plan: 1 }));
    assert.equal(p.text, 'planning 1/3');
  });

  it('labels direct mode and the end of a run by its status', () => {
    const p = new ProgressTracker();
    p.update(started({ kind: 'direct', agent: 'coding', plan: -1 }));
    assert.equal(p.text, 'coding (direct)');
    assert.equal(doneLabel(result('partial', 1)), 'best passes 1/3 samples');
    assert.equal(doneLabel(result('failed', 0, '')), 'no program');
    assert.equal(doneLabel(result('cancelled')), 'cancelled');
    assert.equal(doneLabel(result('error')), 'stopped by an error');
    assert.equal(doneLabel(result('untested')), 'done (no samples to test)');
  });
});
