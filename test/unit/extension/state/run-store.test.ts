import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../../src/core/events';
import { callText, snapshot, type RunState } from '../../../../src/run-state';
import { INTERRUPTED_MESSAGE, RunStore, type RunStoreOptions, type RunUpdate } from '../../../../src/extension/state/run-store';
import { FakeTimers } from './fake-timers';
import { META, recordedRun, RESULT } from './recorded-run';

const meta = (runId: string, startedAt = 1_000) => ({ ...META, runId, title: `Problem ${runId}`, startedAt });
const started = (callId: string, at = 1_100): PipelineEvent => ({
  type: 'agent-started', callId, step: { kind: 'retrieval', agent: 'retrieval' }, model: '', attempt: 1, messages: [], at,
});
const done: PipelineEvent = { type: 'done', result: RESULT };

function storeWith(opts: RunStoreOptions = {}) {
  const timers = new FakeTimers();
  const saves: RunState[][] = [];
  const store = new RunStore({ timers, save: (runs) => saves.push(runs), ...opts });
  return { store, timers, saves };
}

function play(store: RunStore, runId: string, events: PipelineEvent[]): void {
  for (const e of events) store.apply(runId, e);
}

describe('extension/state: RunStore', () => {
  it('keeps the newest runs up to maxRuns, newest first, the new run current', () => {
    const { store } = storeWith({ maxRuns: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      store.start(meta(id));
      play(store, id, [done]);
    }
    assert.deepEqual(store.list().map((s) => s.runId), ['e', 'd', 'c']);
    assert.equal(store.current()?.meta.runId, 'e');
    assert.equal(store.get('a'), undefined);
    assert.deepEqual(store.list()[0], {
      runId: 'e', title: 'Problem e', file: META.file, lang: 'python3', status: 'passed', interrupted: undefined, startedAt: 1_000,
      passed: 2, total: 2, proposal: 'none',
    });
  });

  it('never evicts a run that is still going', () => {
    const { store } = storeWith({ maxRuns: 2 });
    store.start(meta('long'));
    store.start(meta('b'));
    play(store, 'b', [done]);
    store.start(meta('c'));
    assert.deepEqual(store.list().map((s) => s.runId), ['c', 'long']);
    assert.equal(store.get('long')?.status, 'running');
  });

  it('saves on structural changes, debounced, and never because of tokens', () => {
    const { store, timers, saves } = storeWith({ saveDelayMs: 1_000 });
    store.start(meta('r'));
    store.apply('r', started('c1'));
    timers.advance(1_000);
    assert.equal(saves.length, 1, 'start + agent-started: one save');
    for (let i = 0; i < 1_000; i++) store.apply('r', { type: 'token', callId: 'c1', delta: 'x' });
    timers.advance(10_000);
    assert.equal(saves.length, 1, 'tokens alone are not persisted');
    for (let i = 0; i < 50; i++) store.markProposal('r', i % 2 ? 'showing' : 'stale');
    timers.advance(999);
    assert.equal(saves.length, 1);
    timers.advance(1);
    assert.equal(saves.length, 2, '50 changes within the delay: one save');
    assert.equal(callText(saves[1][0].calls[0]), 'x'.repeat(1_000), 'the save carries the streamed text so far');
    assert.equal(saves[1][0].calls[0].chunks.length, 1);
  });

  it('round-trips through save and persisted', () => {
    const { store, timers, saves } = storeWith();
    store.start(meta('old', 500));
    play(store, 'old', [done]);
    store.start(meta('r'));
    play(store, 'r', recordedRun());
    store.markProposal('r', 'accepted');
    timers.advance(5_000);
    const saved = JSON.parse(JSON.stringify(saves.at(-1))) as RunState[]; // as workspaceState stores it
    assert.deepEqual(saved.map((r) => r.meta.runId), ['r', 'old']);

    const restored = new RunStore({ persisted: saved, timers: new FakeTimers() });
    assert.deepEqual(restored.list(), store.list());
    assert.equal(restored.current()?.meta.runId, 'r');
    assert.deepEqual(restored.get('r'), snapshot(store.get('r')!));
  });

  it('restores a run that was going when VS Code closed as interrupted', () => {
    const { store, timers, saves } = storeWith();
    store.start(meta('r'));
    const events = recordedRun();
    play(store, 'r', events.slice(0, events.findIndex((e) => e.type === 'retrieval-done') + 4)); // plan chains streaming
    store.markProposal('r', 'showing');
    timers.advance(5_000);

    const restored = new RunStore({ persisted: saves.at(-1), timers: new FakeTimers() }).get('r')!;
    assert.equal(restored.status, 'cancelled');
    assert.equal(restored.interrupted, true);
    assert.equal(restored.proposal, 'stale', 'the inline proposal did not survive the reload');
    assert.deepEqual(Object.values(restored.steps).map((s) => s.status), ['done', 'failed', 'skipped', 'skipped', 'skipped']);
    const planCalls = restored.calls.filter((c) => c.step.kind === 'plan');
    assert.ok(planCalls.length === 3 && planCalls.every((c) => c.status === 'failed' && c.error === INTERRUPTED_MESSAGE));
    assert.equal(restored.calls[0].status, 'done');
  });

  it('drops persisted entries it cannot render and keeps at most maxRuns', () => {
    const good = (id: string) => {
      const s = new RunStore({ timers: new FakeTimers() });
      s.start(meta(id));
      s.apply(id, done);
      return snapshot(s.get(id)!);
    };
    const persisted = [good('a'), null, 42, { meta: { runId: 'x' } }, { ...good('b'), calls: [{ step: {} }] }, good('c'), good('d')] as unknown as RunState[];
    const store = new RunStore({ persisted, maxRuns: 2, timers: new FakeTimers() });
    assert.deepEqual(store.list().map((s) => s.runId), ['a', 'c']);
  });

  it('coalesces onDidChange bursts per run, while onDidUpdate reports every change at once', () => {
    const { store, timers } = storeWith({ changeDelayMs: 50 });
    const changed: string[] = [];
    const updates: RunUpdate[] = [];
    store.onDidChange((id) => changed.push(id));
    const sub = store.onDidUpdate((u) => updates.push(u));
    store.start(meta('a'));
    store.apply('a', started('c1'));
    for (let i = 0; i < 100; i++) store.apply('a', { type: 'token', callId: 'c1', delta: `${i}` });
    store.start(meta('b'));
    assert.deepEqual(changed, []);
    timers.advance(50);
    assert.deepEqual(changed, ['a', 'b']);
    assert.equal(updates.length, 103);
    assert.deepEqual(updates[2], { runId: 'a', tokens: { callId: 'c1', text: '0' } });
    assert.deepEqual(updates.at(-1), { runId: 'b' });
    sub.dispose();
    store.apply('b', started('c9'));
    timers.advance(50);
    assert.equal(updates.length, 103);
    assert.deepEqual(changed, ['a', 'b', 'b']);
  });

  it('ignores events for unknown runs, and a throwing listener does not reach the pipeline', () => {
    const { store, timers, saves } = storeWith();
    store.apply('ghost', done);
    timers.advance(5_000);
    assert.equal(saves.length, 0);
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      store.onDidUpdate(() => {
        throw new Error('listener bug');
      });
      store.start(meta('r'));
      assert.doesNotThrow(() => store.apply('r', started('c1')));
    } finally {
      console.error = original;
    }
    assert.equal(errors.length, 2);
    assert.equal(store.get('r')?.calls.length, 1);
  });

  it('writes a pending save on dispose', () => {
    const { store, timers, saves } = storeWith();
    store.start(meta('r'));
    store.markProposal('r', 'showing');
    store.dispose();
    assert.equal(saves.length, 1);
    assert.equal(saves[0][0].proposal, 'showing');
    timers.advance(5_000);
    assert.equal(saves.length, 1);
  });
});
