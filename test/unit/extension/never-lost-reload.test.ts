// VS Code reloaded while runs go and a proposal shows. A reload cannot run inside the integration suites
// (the extension host and mocha die with the window), so this is the state side: what the RunStore saved
// comes back. The run that was going is covered in state/run-store.test.ts ("restores a run that was
// going when VS Code closed as interrupted"); here, two runs at once: one finished with its proposal
// showing, one still going, and what a restored store lets the panel do with them.
import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../src/core/events';
import type { RunState } from '../../../src/run-state';
import { RunStore } from '../../../src/extension/state/run-store';
import { FakeTimers } from './state/fake-timers';
import { META, RESULT, recordedRun } from './state/recorded-run';

describe('never lost: VS Code reloaded mid-run', () => {
  function savedMidRun(): RunState[] {
    const timers = new FakeTimers();
    const saves: RunState[][] = [];
    const store = new RunStore({ timers, save: (runs) => saves.push(runs) });
    store.start({ ...META, runId: 'shown', file: '/ws/a.py' });
    for (const e of recordedRun()) store.apply('shown', e);
    store.markProposal('shown', 'showing');
    store.start({ ...META, runId: 'going', file: '/ws/b.py' });
    const events: PipelineEvent[] = recordedRun();
    for (const e of events.slice(0, events.findIndex((x) => x.type === 'candidate'))) store.apply('going', e);
    timers.advance(5_000);
    return JSON.parse(JSON.stringify(saves.at(-1))) as RunState[]; // as workspaceState stores it
  }

  it('restores the finished run as it ended, with its proposal stale (the decorations did not survive)', () => {
    const restored = new RunStore({ persisted: savedMidRun(), timers: new FakeTimers() }).get('shown')!;
    assert.equal(restored.status, RESULT.status);
    assert.equal(restored.interrupted, undefined, 'a finished run is not marked interrupted');
    assert.equal(restored.proposal, 'stale');
    assert.equal(restored.result?.code, RESULT.code, 'its program is still there to solve again from');
  });

  it('restores the run that was going as interrupted, next to the other one, nothing showing', () => {
    const store = new RunStore({ persisted: savedMidRun(), timers: new FakeTimers() });
    const going = store.get('going')!;
    assert.equal(going.status, 'cancelled');
    assert.equal(going.interrupted, true);
    assert.deepEqual(store.list().map((r) => [r.runId, r.file, r.proposal]), [['going', '/ws/b.py', 'none'], ['shown', '/ws/a.py', 'stale']]);
    assert.ok(store.list().every((r) => r.status !== 'running' && r.proposal !== 'showing'), 'nothing claims to run or show after a reload');
  });
});
