import { strict as assert } from 'node:assert';
import type { PanelActions, PanelProvider as PanelProviderClass } from '../../../../src/extension/panel/provider';
import { RunStore } from '../../../../src/extension/state/run-store';
import type { ToWebview } from '../../../../src/panel-protocol';
import { FakeTimers } from '../state/fake-timers';
import { META, recordedRun } from '../state/recorded-run';
import { configChanged, fakeVscode, FakeLog, FakeWebviewView, loadWithFakeVscode, settings, trustGranted } from './fake-vscode';

const { PanelProvider } = loadWithFakeVscode(() => require('../../../../src/extension/panel/provider') as typeof import('../../../../src/extension/panel/provider'));

function recordingActions() {
  const calls: unknown[][] = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  const actions: PanelActions = {
    solveActiveEditor: record('solve'), cancel: record('cancel'), rerunFromPlan: record('rerunFromPlan'), rerunStep: record('rerunStep'),
    accept: record('accept'), reject: record('reject'), openFile: record('openFile'), keepTest: record('keepTest'), showJudge: record('showJudge'),
  };
  return { calls, actions };
}

const providers: PanelProviderClass[] = [];

function setup(customize: (a: PanelActions) => void = () => {}) {
  const store = new RunStore({ timers: new FakeTimers() });
  const { calls, actions } = recordingActions();
  customize(actions);
  const log = new FakeLog();
  const timers = new FakeTimers();
  const provider: PanelProviderClass = new PanelProvider(new fakeVscode.Uri('/ext') as never, store, actions, log as never, { timers });
  providers.push(provider);
  const view = new FakeWebviewView();
  provider.resolveWebviewView(view as never);
  const send = (m: unknown) => view.webview.received.fire(m);
  const posted = () => view.webview.posted as ToWebview[];
  return { store, calls, log, provider, view, send, posted, timers };
}

describe('extension/panel: PanelProvider (against a fake vscode)', () => {
  afterEach(() => {
    for (const p of providers.splice(0)) p.dispose();
  });

  it('serves a page with a strict CSP, a fresh nonce per render, and assets only from its roots', () => {
    const { view, provider } = setup();
    const html = view.webview.html;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const nonce = /'nonce-([^']+)'/.exec(csp ?? '')?.[1];
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://csp.example; font-src https://csp.example; img-src https://csp.example data:`);
    assert.ok(nonce && nonce.length >= 16);
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), [`<script nonce="${nonce}" src="file:///webview/ext/dist/webview.js">`]);
    assert.deepEqual([...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]),
      ['file:///webview/ext/dist/codicons/codicon.css', 'file:///webview/ext/media/webview.css']);
    assert.deepEqual(view.webview.options, {
      enableScripts: true,
      localResourceRoots: ['/ext/dist', '/ext/media'].map((p) => new fakeVscode.Uri(p)),
    });
    const again = new FakeWebviewView();
    provider.resolveWebviewView(again as never);
    assert.notEqual(/'nonce-([^']+)'/.exec(again.webview.html)?.[1], nonce);
  });

  it('posts nothing before ready, then replays config and the full state', () => {
    const { store, send, posted } = setup();
    store.start(META);
    store.apply(META.runId, recordedRun()[1]);
    assert.deepEqual(posted(), []);
    send({ type: 'ready' });
    assert.deepEqual(posted().map((m) => m.type), ['config', 'state']);
    assert.deepEqual(posted()[0], { type: 'config', config: { trusted: true, endpoint: 'http://127.0.0.1:8000/v1' } });
    const state = posted()[1] as Extract<ToWebview, { type: 'state' }>;
    assert.equal(state.current?.meta.runId, META.runId);
    assert.equal(state.current?.calls.length, 1);
    assert.deepEqual(state.runs.map((r) => r.runId), [META.runId]);
  });

  it('routes valid messages to the actions and logs malformed ones without acting', () => {
    const { calls, log, send } = setup();
    send({ type: 'ready' });
    send({ type: 'solve' });
    send({ type: 'cancel', runId: 'r1' });
    send({ type: 'rerunFromPlan', runId: 'r1', planIndex: 2, plan: 'edited' });
    send({ type: 'rerunStep', runId: 'r1', step: 'planning' });
    send({ type: 'accept', runId: 'r1' });
    send({ type: 'reject', runId: 'r1' });
    send({ type: 'openFile', file: '/ws/a.md' });
    send({ type: 'accept' });
    send({ type: 'rerunStep', runId: 'r1', step: 'debugging' });
    send('solve');
    assert.deepEqual(calls, [
      ['solve'], ['cancel', 'r1'], ['rerunFromPlan', 'r1', 2, 'edited'], ['rerunStep', 'r1', 'planning'], ['accept', 'r1'], ['reject', 'r1'], ['openFile', '/ws/a.md'],
    ]);
    assert.equal(log.lines.filter((l) => l.startsWith('warn Panel: ignored a malformed message')).length, 3);
  });

  it('logs an action that throws or rejects instead of leaking it', async () => {
    const { log, send } = setup((a) => {
      a.accept = () => {
        throw new Error('boom');
      };
      a.reject = () => Promise.reject(new Error('later'));
      // VS Code's API answers with thenables, not always Promises.
      a.openFile = () => ({ then: (_: unknown, onRejected: (e: unknown) => void) => onRejected(new Error('no such file')) }) as unknown as PromiseLike<void>;
    });
    send({ type: 'accept', runId: 'r' });
    send({ type: 'reject', runId: 'r' });
    send({ type: 'openFile', file: '/ws/gone.md' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log.lines.filter((l) => l.startsWith('error')).map((l) => l.split('\n')[0]), [
      'error Panel: accept failed: Error: boom', 'error Panel: reject failed: Error: later', 'error Panel: openFile failed: Error: no such file',
    ]);
  });

  it('follows a new run, reopens history runs, and batches streamed tokens', () => {
    const { store, send, posted, view, timers } = setup();
    store.start({ ...META, runId: 'old' });
    send({ type: 'ready' });
    store.start(META);
    const afterStart = posted().at(-1) as Extract<ToWebview, { type: 'state' }>;
    assert.equal(afterStart.type, 'state');
    assert.equal(afterStart.current?.meta.runId, META.runId, 'the panel follows the new run');

    const events = recordedRun();
    store.apply(META.runId, events[1]);
    for (const e of events.slice(2, 40)) if (e.type === 'token') store.apply(META.runId, e);
    const before = posted().length;
    timers.advance(99);
    assert.equal(posted().length, before);
    timers.advance(1);
    const batch = posted().slice(before);
    assert.deepEqual(batch.map((m) => m.type), ['history', 'run'], 'agent-started made it structural: one snapshot holds the tokens too');
    store.apply(META.runId, { type: 'token', callId: 'c1', delta: 'more' });
    store.apply(META.runId, { type: 'token', callId: 'c1', delta: ' text' });
    timers.advance(100);
    assert.deepEqual(posted().at(-1), { type: 'patch', runId: META.runId, appends: [{ callId: 'c1', text: 'more text' }] });

    send({ type: 'openRun', runId: 'old' });
    const reopened = posted().at(-1) as Extract<ToWebview, { type: 'state' }>;
    assert.equal(reopened.current?.meta.runId, 'old');
    const n = posted().length;
    store.apply(META.runId, { type: 'token', callId: 'c1', delta: 'x' });
    timers.advance(100);
    assert.equal(posted().length, n, 'tokens of a run not shown are not posted');

    view.visible = false;
    view.visibility.fire();
    send({ type: 'openRun', runId: META.runId });
    assert.equal(posted().length, n, 'nothing is posted while hidden');
    view.visible = true;
    view.visibility.fire();
    assert.equal((posted().at(-1) as Extract<ToWebview, { type: 'state' }>).current?.meta.runId, META.runId);
  });

  it('follows workspace trust and the endpoint setting, and disposes its listeners', () => {
    fakeVscode.workspace.isTrusted = false;
    const { send, posted, provider } = setup();
    fakeVscode.workspace.isTrusted = true;
    send({ type: 'ready' });
    assert.deepEqual(posted()[0], { type: 'config', config: { trusted: false, endpoint: 'http://127.0.0.1:8000/v1' } });
    settings.endpoint = 'http://127.0.0.1:9999/v1';
    configChanged.fire({ affectsConfiguration: (s) => s === 'mapcoderLite.endpoint' });
    settings.endpoint = 'http://127.0.0.1:8000/v1';
    trustGranted.fire();
    assert.deepEqual(posted().slice(-2), [
      { type: 'config', config: { trusted: false, endpoint: 'http://127.0.0.1:9999/v1' } },
      { type: 'config', config: { trusted: true, endpoint: 'http://127.0.0.1:9999/v1' } },
    ]);
    provider.dispose();
    assert.deepEqual([configChanged.size, trustGranted.size], [0, 0]);
  });

  it('shows the endpoint runs use: trimmed, and the default when blank', () => {
    const { send, posted } = setup();
    send({ type: 'ready' });
    const shown = (value: string) => {
      settings.endpoint = value;
      configChanged.fire({ affectsConfiguration: (s) => s === 'mapcoderLite.endpoint' });
      return (posted().at(-1) as Extract<ToWebview, { type: 'config' }>).config.endpoint;
    };
    try {
      assert.deepEqual([shown('  http://127.0.0.1:9999/v1 '), shown(' '), shown('')], ['http://127.0.0.1:9999/v1', 'http://127.0.0.1:8000/v1', 'http://127.0.0.1:8000/v1']);
    } finally {
      settings.endpoint = 'http://127.0.0.1:8000/v1';
    }
  });
});
