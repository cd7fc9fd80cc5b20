import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineEvent } from '../../../src/core/events';
import type { ActiveRun } from '../../../src/extension/run/active-run';
import { ProgressTracker } from '../../../src/extension/run/progress-tracker';
import { logSink, progressSink, storeSink, terminalSink, traceSink, type RunSink } from '../../../src/extension/run/sinks';
import { readSettings } from '../../../src/extension/settings/read';
import { RunStore } from '../../../src/extension/state/run-store';
import { FakeTimers } from './state/fake-timers';
import { recordedRun } from './state/recorded-run';

// The run's listeners, fed a recorded run as the lifecycle feeds them: each does its one job.
describe('extension/run: the sinks a run fans its events out to', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mcl-sinks-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function setup() {
    const store = new RunStore({ timers: new FakeTimers() });
    const log: string[] = [];
    const terminal: string[] = [];
    const saved: Record<string, unknown> = {};
    const s = {
      store,
      log: { info: (m: string) => log.push(`info ${m}`), warn: (m: string) => log.push(`warn ${m}`) },
      terminal: { block: (title: string) => terminal.push(`block ${title}`), note: (title: string) => terminal.push(`note ${title}`) },
      context: { globalStorageUri: { fsPath: dir }, globalState: { update: async (k: string, v: unknown) => void (saved[k] = v) } },
    } as never;
    const target = { title: 'A + B', lang: 'python3', source: { scheme: 'file', fsPath: '/ws/sum.md' }, answer: { kind: 'new-file', uri: { scheme: 'file', fsPath: '/ws/sum.py' } } } as never;
    const settings = readSettings(() => undefined).settings;
    const run = { tracker: new ProgressTracker() } as ActiveRun;
    const labels: string[] = [];
    const traces: string[] = [];
    const sinks: RunSink[] = [
      traceSink(s, settings, (_, file) => traces.push(file)),
      storeSink(s, target, { kind: 'solve' }),
      logSink(s, target, { kind: 'solve' }),
      terminalSink(s, target, settings),
      progressSink(run, () => labels.push(run.tracker.text)),
    ];
    const feed = (events: PipelineEvent[]) => {
      for (const e of events) for (const sink of sinks) sink.event(e, 'core-id');
      for (const sink of sinks) sink.close?.();
    };
    return { store, log, terminal, saved, labels, traces, feed };
  }

  it('the store folds the run; the terminal gets each program; the log its start; the label follows the agents', () => {
    const { store, log, terminal, labels, feed } = setup();
    feed(recordedRun());
    const state = store.get('core-id');
    assert.equal(state?.status, 'passed');
    assert.equal(state?.meta.answer, '/ws/sum.py');
    assert.equal(state?.candidates.length, 3);
    assert.deepEqual(terminal, ['block A + B · plan 2, first program', 'block A + B · plan 2, debugging round 1', 'block A + B · plan 2, debugging round 2']);
    assert.deepEqual(log, ['info Run core-id: solve "A + B" in python3 (k=3, t=5, prompts h).']);
    assert.equal(labels[0], 'retrieval');
    assert.equal(labels.at(-1), 'passed 2/2 samples');
  });

  it('the trace holds every event but the tokens, one JSON line each, and is remembered as the last one once closed', () => {
    const { saved, traces, feed } = setup();
    const events = recordedRun();
    feed(events);
    assert.equal(traces.length, 1);
    assert.deepEqual(readdirSync(join(dir, 'traces')).map((f) => join(dir, 'traces', f)), traces);
    const types = readFileSync(traces[0], 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as PipelineEvent).type);
    assert.deepEqual(types, events.filter((e) => e.type !== 'token').map((e) => e.type));
    assert.deepEqual(Object.values(saved), traces);
  });
});
