import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../src/core/events';
import { callText, debugRounds, finalSummary, newRunState, reduce, snapshot, type RunState } from '../../../src/run-state';
import {
  ALGORITHM, candidate, CONF_ISSUE, DEBUG_REPLIES, EXEMPLARS, META, PLANS, RANKED, recordedRun, RECOVERED, REPORTS, RESULT, RETRIEVAL_REPLY,
} from '../extension/state/recorded-run';

function fold(events: PipelineEvent[], state = newRunState(META)): RunState {
  for (const e of events) reduce(state, e);
  return state;
}

describe('protocol: run-state reducer', () => {
  it('folds a recorded full run into what the panel shows', () => {
    const s = fold(recordedRun());
    assert.equal(s.status, 'passed');
    assert.deepEqual([s.k, s.t], [3, 5]);
    assert.deepEqual(Object.fromEntries(Object.entries(s.steps).map(([k, v]) => [k, v.status])),
      { retrieval: 'done', planning: 'done', coding: 'done', debugging: 'done', stress: 'skipped' });

    // Retrieval: 3 exemplars with their code (markup characters kept), the algorithm, the streamed reply.
    assert.deepEqual(s.retrieval, { exemplars: EXEMPLARS, algorithm: ALGORITHM });
    assert.equal(callText(s.calls[0]), RETRIEVAL_REPLY);
    assert.deepEqual(s.steps.retrieval, {
      status: 'done', models: ['retrieval'], calls: 1, promptTokens: 300, completionTokens: 200, ms: 2_000, formatRecovered: 1, formatUnrecovered: 0,
      reused: undefined,
    });
    assert.deepEqual(s.calls[0].formatIssues, [RECOVERED]);

    // Planning: order tried, and interleaved streams landed in their own calls (callId -> call).
    assert.deepEqual(s.plans.map((p) => [p.index, p.confidence]), [[1, 90], [2, 70], [0, 60]]);
    for (const i of [0, 1, 2]) assert.equal(callText(s.calls.find((c) => c.step.kind === 'plan' && c.step.plan === i)!), PLANS[i]);
    const planning = s.steps.planning;
    assert.deepEqual([planning.calls, planning.promptTokens, planning.completionTokens], [6, 3 * 150 + 3 * 250, 3 * 30 + 3 * 20]);
    assert.equal(planning.ms, 1_500 + 500, 'overlapping chains count once: 3.1-4.6 s plus 4.7-5.2 s');
    assert.deepEqual([planning.formatRecovered, planning.formatUnrecovered], [1, 0]);
    assert.deepEqual(s.calls.find((c) => c.step.kind === 'confidence' && c.step.plan === 2)?.formatIssues, [CONF_ISSUE]);

    // Coding and debugging: every program with its report, the rounds paired with what they fixed.
    assert.deepEqual(s.candidates, [candidate(1, 0), candidate(2, 1), candidate(3, 2)]);
    assert.deepEqual([s.steps.coding.completionTokens, s.steps.debugging.calls, s.steps.debugging.ms], [40, 2, 2_000]);
    const rounds = debugRounds(s);
    assert.deepEqual(rounds.map((r) => [r.plan, r.round, r.before?.id, r.after?.id, r.failing.map((t) => `${t.input}|${t.expected[0]}|${t.actual}`)]), [
      [1, 1, 1, 2, ['1 2\n|3|12\n', '5 7\n|12|57\n']],
      [1, 2, 2, 3, ['1 2\n|3|-1\n', '5 7\n|12|-2\n']],
    ]);
    assert.deepEqual(rounds.map((r) => r.call && [callText(r.call), r.call.plan]), [[DEBUG_REPLIES[0], 'Use int().'], [DEBUG_REPLIES[1], 'Add, not subtract.']]);
    assert.equal(rounds[1].after?.report.verdict, 'AC');

    assert.ok(s.calls.every((c) => c.status === 'done'));
    assert.deepEqual(s.result, RESULT);
    assert.equal(s.proposal, 'none');
    assert.equal(finalSummary(s), 'Passed 2/2 (plan 2, debugging round 2)');
  });

  it('shows a step as running while its program is judged, and done once the candidate arrives', () => {
    const events = recordedRun();
    const firstCandidate = events.findIndex((e) => e.type === 'candidate');
    const s = fold(events.slice(0, firstCandidate));
    assert.equal(s.steps.coding.status, 'running');
    assert.equal(s.calls.at(-1)?.status, 'judging');
    reduce(s, events[firstCandidate]);
    assert.equal(s.steps.coding.status, 'done');
    assert.equal(s.steps.debugging.status, 'waiting');
  });

  it('a call keeps what the user should know of it in one line: its prompt clipped to fit, its replies gone free', () => {
    const s = newRunState(META);
    const step = { kind: 'debug', agent: 'debugging', plan: 0, round: 1 } as const;
    reduce(s, { type: 'agent-started', callId: 'c1', step, model: '', attempt: 1, messages: [], at: 1, note: 'clipped the quoted program to fit the 4096-token context' });
    assert.equal(s.calls[0].note, 'clipped the quoted program to fit the 4096-token context');
    reduce(s, {
      type: 'agent-finished', callId: 'c1', step, model: 'debugging', attempt: 1, raw: 'x', parsed: { plan: '', code: '' }, ok: false,
      usage: { promptTokens: 1, completionTokens: 1 }, ms: 1, formatIssues: [], notice: 'The server refused constrained replies.',
    });
    assert.equal(s.calls[0].note, 'clipped the quoted program to fit the 4096-token context; The server refused constrained replies.');
  });

  it('streams 20,000 tokens in linear work: one chunk per token, joined only when read', () => {
    const s = newRunState(META);
    reduce(s, { type: 'agent-started', callId: 'c1', step: { kind: 'retrieval', agent: 'retrieval' }, model: '', attempt: 1, messages: [], at: 1 });
    const tokens = Array.from({ length: 20_000 }, (_, i) => `t${i} `);
    for (const delta of tokens) reduce(s, { type: 'token', callId: 'c1', delta });
    assert.equal(s.calls[0].chunks.length, 20_000, 'each token is one push, never a copy of the text so far');
    assert.equal(callText(s.calls[0]), tokens.join(''));

    const copy = snapshot(s);
    assert.deepEqual(copy.calls[0].chunks, [tokens.join('')]);
    assert.equal(s.calls[0].chunks.length, 1, 'the live state is compacted too');
    copy.calls[0].chunks.push('x');
    assert.equal(callText(s.calls[0]), tokens.join(''), 'a snapshot is a copy');
    reduce(s, { type: 'token', callId: 'c1', delta: 'end' });
    assert.equal(callText(s.calls[0]), `${tokens.join('')}end`);
  });

  it('ends a cancelled run: open calls and their step fail, unreached steps are skipped', () => {
    const events = recordedRun();
    const s = fold(events.slice(0, events.findIndex((e) => e.type === 'plans-ranked') - 3)); // confidence calls still streaming
    assert.equal(s.steps.planning.status, 'running');
    reduce(s, { type: 'done', result: { ...RESULT, status: 'cancelled', chosen: undefined, passed: 0, message: 'Cancelled before any program was produced.' } });
    assert.equal(s.status, 'cancelled');
    assert.deepEqual(Object.values(s.steps).map((st) => st.status), ['done', 'failed', 'skipped', 'skipped', 'skipped']);
    assert.equal(s.steps.planning.error, 'Cancelled.');
    const open = s.calls.filter((c) => c.step.kind === 'confidence');
    assert.equal(open.filter((c) => c.status === 'failed' && c.error === 'Cancelled.').length, 3, 'no confidence call had finished');
    assert.equal(finalSummary(s), 'Cancelled');
  });

  it('a run cancelled while a program is being tested: that step fails, it is not checked off', () => {
    const events = recordedRun();
    const firstCandidate = events.findIndex((e) => e.type === 'candidate');
    const s = fold(events.slice(0, firstCandidate)); // the coding reply is in, its program under test
    assert.equal(s.calls.at(-1)?.status, 'judging');
    reduce(s, { type: 'done', result: { ...RESULT, status: 'cancelled', chosen: undefined, passed: 0, message: 'Cancelled before any program was produced.' } });
    assert.equal(s.steps.coding.status, 'failed');
    assert.match(s.steps.coding.error ?? '', /Cancelled\. Its program was being tested\./);
  });

  it('marks a step failed when its last call failed, and recovers when a retry succeeds', () => {
    const step = { kind: 'retrieval', agent: 'retrieval' } as const;
    const s = fold([
      { type: 'agent-started', callId: 'c1', step, model: '', attempt: 1, messages: [], at: 10 },
      { type: 'token', callId: 'c1', delta: '<root>' },
      { type: 'agent-failed', callId: 'c1', step, error: 'stream cut', code: 'stream-cut' },
    ]);
    assert.equal(s.steps.retrieval.status, 'failed');
    assert.equal(s.steps.retrieval.error, 'stream cut');
    fold([
      { type: 'agent-started', callId: 'c2', step, model: '', attempt: 2, messages: [], at: 20 },
      { type: 'agent-finished', callId: 'c2', step, model: 'retrieval', attempt: 2, raw: 'x', parsed: {}, ok: false, usage: { promptTokens: 1, completionTokens: 1 }, ms: 5, formatIssues: [{ ...RECOVERED, recovered: false }] },
    ], s);
    assert.equal(s.steps.retrieval.status, 'done');
    assert.deepEqual([s.steps.retrieval.calls, s.steps.retrieval.formatUnrecovered], [1, 1]);
    assert.equal(callText(s.calls[0]), '<root>', 'the failed attempt keeps what it streamed');
  });

  it('marks steps taken from an earlier run as reused (re-run from an edited plan)', () => {
    const edited = { ...RANKED[0], plan: 'Edited: read a and b, print a + b.' };
    const s = fold([
      { type: 'retrieval-done', result: { exemplars: EXEMPLARS, algorithm: ALGORITHM } },
      { type: 'plans-ranked', plans: [edited] },
      { type: 'agent-started', callId: 'c1', step: { kind: 'code', agent: 'coding', plan: 1 }, model: '', attempt: 1, messages: [], at: 5 },
    ]);
    assert.deepEqual([s.steps.retrieval.status, s.steps.retrieval.reused, s.steps.planning.reused], ['done', true, true]);
    assert.equal(s.steps.coding.status, 'running');
    assert.equal(s.steps.coding.reused, undefined);
  });

  it("keeps what the run's first event says of programs outside the sandbox, and nothing when it says nothing", () => {
    const [started, ...rest] = recordedRun();
    assert.equal(fold([started, ...rest]).isolation, undefined);
    const note = 'Programs run under resource limits only (no namespace sandbox here): they can reach the network and read and write your files.';
    assert.equal(fold([{ ...started, isolation: note } as PipelineEvent, ...rest]).isolation, note);
  });

  it('ignores tokens and results for calls it never saw start', () => {
    const s = newRunState(META);
    reduce(s, { type: 'token', callId: 'nope', delta: 'x' });
    reduce(s, { type: 'agent-failed', callId: 'nope', step: { kind: 'retrieval', agent: 'retrieval' }, error: 'e' });
    assert.deepEqual(s, newRunState(META));
  });

  it('words the final line for every outcome', () => {
    const s = fold(recordedRun());
    const with_ = (over: Partial<typeof RESULT>) => finalSummary({ ...s, status: over.status ?? s.status, result: { ...RESULT, ...over } });
    assert.equal(with_({ status: 'partial', passed: 1, chosen: { id: 1, plan: 0, round: 0, report: REPORTS[0] } }), 'Partial 1/2 (plan 1, first program)');
    assert.equal(with_({ status: 'failed', passed: 0 }), 'Failed 0/2 (plan 2, debugging round 2)');
    assert.equal(with_({ status: 'untested', chosen: { id: 1, plan: -1, round: 0, report: REPORTS[0] } }), 'Untested (direct)');
    assert.equal(with_({ status: 'error', chosen: undefined }), 'Error');
    assert.equal(finalSummary({ ...s, interrupted: true }), 'Interrupted');
  });
});
