import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../../src/core/events';
import { PatchBatcher } from '../../../../src/extension/panel/patch-batcher';
import { callText, snapshot, type RunState } from '../../../../src/run-state';
import { RunStore } from '../../../../src/extension/state/run-store';
import type { ToWebview } from '../../../../src/panel-protocol';
import { FakeTimers } from '../state/fake-timers';
import { META, recordedRun } from '../state/recorded-run';

function setup(store?: RunStore) {
  const timers = new FakeTimers();
  const posts: ToWebview[] = [];
  const batcher = new PatchBatcher((m) => posts.push(m), {
    snapshot: (id) => {
      const run = store?.get(id);
      return run && snapshot(run);
    },
    history: () => store?.list() ?? [],
  }, { intervalMs: 100, timers });
  return { timers, posts, batcher };
}

/** What the webview does with the messages: keep the shown run, append patches to its calls. */
function replica(posts: ToWebview[]): RunState | undefined {
  let run: RunState | undefined;
  for (const m of posts) {
    if (m.type === 'run') run = structuredClone(m.run);
    if (m.type === 'state') run = m.current && structuredClone(m.current);
    if (m.type === 'patch' && run?.meta.runId === m.runId) {
      for (const a of m.appends) run.calls.find((c) => c.callId === a.callId)?.chunks.push(a.text);
    }
  }
  return run;
}

describe('extension/panel: PatchBatcher', () => {
  it('turns 20,000 tokens on two interleaved calls into few posts, dropping nothing and keeping order', () => {
    const { timers, posts, batcher } = setup();
    const sent: { callId: string; text: string }[] = [];
    for (let i = 0; i < 20_000; i++) {
      const callId = Math.floor(i / 7) % 3 === 0 ? 'c2' : 'c1'; // runs of 7 tokens alternate between calls
      const text = `<${i}>`;
      sent.push({ callId, text });
      batcher.tokens('r', callId, text);
      timers.advance(1); // one token per millisecond: 20 s of streaming
    }
    timers.advance(100);
    assert.ok(posts.length <= 20_000 / 100 + 1, `${posts.length} posts`);
    assert.ok(posts.length >= 190, 'posts keep flowing during the stream');
    const appends = posts.flatMap((m) => (m.type === 'patch' ? m.appends : []));
    assert.equal(appends.map((a) => a.text).join(''), sent.map((s) => s.text).join(''), 'every token, in order');
    for (const id of ['c1', 'c2']) {
      assert.equal(appends.filter((a) => a.callId === id).map((a) => a.text).join(''), sent.filter((s) => s.callId === id).map((s) => s.text).join(''));
    }
    for (const m of posts) {
      if (m.type === 'patch') assert.ok(m.appends.every((a, i) => i === 0 || a.callId !== m.appends[i - 1].callId), 'consecutive tokens of one call are merged');
    }
  });

  it('posts nothing while idle, and at most one message per run per interval', () => {
    const { timers, posts, batcher } = setup();
    batcher.tokens('r', 'c1', '');
    timers.advance(1_000);
    assert.deepEqual(posts, []);
    assert.equal(timers.pending, 0);
    batcher.tokens('r', 'c1', 'a');
    batcher.tokens('r', 'c1', 'b');
    batcher.tokens('r', 'c2', 'c');
    batcher.tokens('r', 'c1', 'd');
    timers.advance(99);
    assert.deepEqual(posts, []);
    timers.advance(1);
    assert.deepEqual(posts, [{ type: 'patch', runId: 'r', appends: [{ callId: 'c1', text: 'ab' }, { callId: 'c2', text: 'c' }, { callId: 'c1', text: 'd' }] }]);
  });

  it('sends one snapshot instead of patches when the run changed structurally, taken at flush time', () => {
    const store = new RunStore({ timers: new FakeTimers() });
    const { timers, posts, batcher } = setup(store);
    store.start(META);
    store.apply(META.runId, { type: 'agent-started', callId: 'c1', step: { kind: 'retrieval', agent: 'retrieval' }, model: '', attempt: 1, messages: [], at: 1 });
    store.apply(META.runId, { type: 'token', callId: 'c1', delta: 'ab' });
    batcher.tokens(META.runId, 'c1', 'ab');
    batcher.run(META.runId);
    store.apply(META.runId, { type: 'token', callId: 'c1', delta: 'cd' });
    batcher.tokens(META.runId, 'c1', 'cd');
    batcher.history();
    timers.advance(100);
    assert.deepEqual(posts.map((m) => m.type), ['history', 'run']);
    const run = (posts[1] as Extract<ToWebview, { type: 'run' }>).run;
    assert.equal(callText(run.calls[0]), 'abcd', 'the snapshot already holds the tokens queued before and after the change');
  });

  it('discard forgets what is pending', () => {
    const { timers, posts, batcher } = setup();
    batcher.tokens('r', 'c1', 'a');
    batcher.history();
    batcher.discard();
    timers.advance(1_000);
    assert.deepEqual(posts, []);
    batcher.tokens('r', 'c1', 'b');
    batcher.flush();
    assert.deepEqual(posts, [{ type: 'patch', runId: 'r', appends: [{ callId: 'c1', text: 'b' }] }]);
  });

  it('store -> batcher -> webview replica: a whole recorded run arrives intact in few messages', () => {
    const store = new RunStore({ timers: new FakeTimers() });
    const { timers, posts, batcher } = setup(store);
    store.onDidUpdate((u) => (u.tokens ? batcher.tokens(u.runId, u.tokens.callId, u.tokens.text) : batcher.run(u.runId)));
    store.start(META);
    const events: PipelineEvent[] = recordedRun();
    // Stream a long reply into the coding call as well, to mix many tokens with structural events.
    const codeStart = events.findIndex((e) => e.type === 'agent-started' && e.step.kind === 'code');
    const callId = (events[codeStart] as Extract<PipelineEvent, { type: 'agent-started' }>).callId;
    const filler: PipelineEvent[] = Array.from({ length: 5_000 }, (_, i) => ({ type: 'token', callId, delta: `#${i}` }));
    events.splice(codeStart + 1, 0, ...filler);
    for (const [i, e] of events.entries()) {
      store.apply(META.runId, e);
      if (i % 3 === 0) timers.advance(1);
      if (i === codeStart + 2_000) {
        timers.advance(100);
        const mid = replica(posts)!;
        const live = store.get(META.runId)!;
        assert.equal(callText(mid.calls.find((c) => c.callId === callId)!), callText(live.calls.find((c) => c.callId === callId)!), 'mid-stream text matches');
      }
    }
    timers.advance(100);
    assert.deepEqual(replica(posts), snapshot(store.get(META.runId)!));
    assert.ok(posts.length < events.length / 10, `${posts.length} posts for ${events.length} events`);
  });
});
