import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { homedir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { specKey } from '../../../src/core/engine/spec';
import type { EngineReady, EngineStatus } from '../../../src/core/engine/status';
import { suggestModels } from '../../../src/core/engine/suggest';
import {
  CHOOSE_MODEL, isOver, modelItems, progressMessage, solveStep, sourceProblem, specFromSettings, START_LOCAL, statusView, type RouteFacts,
} from '../../../src/extension/engine/logic';
import { endpointAnswers } from '../../../src/extension/engine/probe';
import { readSettings, type Settings } from '../../../src/extension/settings/read';

// The editor's local-engine decisions, without the editor: Solve's route, the one notification, the
// spec from the settings, the status bar for every engine status, the model quick pick, the probe.

const settings = (values: Record<string, unknown>): Settings => readSettings((k) => values[k]).settings;
const facts = (f: Partial<RouteFacts>): RouteFacts => ({ route: 'auto', endpoint: 'http://127.0.0.1:8000/v1', modelSet: false, localChosen: false, ...f });

describe('local engine in the editor: which way Solve goes', () => {
  it('endpoint: always the endpoint, even after the local engine ran and with nothing answering', () => {
    assert.deepEqual(solveStep(facts({ route: 'endpoint', endpointAnswers: false, modelSet: true, localChosen: true })), { kind: 'endpoint' });
  });

  it('auto: the endpoint when it answers, even after the local engine ran', () => {
    assert.deepEqual(solveStep(facts({ endpointAnswers: true, localChosen: true })), { kind: 'endpoint' });
  });

  it('auto with nothing answering: the local engine once this window chose it (even stopped since), else one notification offering to start (model set) or to choose', () => {
    assert.deepEqual(solveStep(facts({ endpointAnswers: false, localChosen: true })), { kind: 'local' });
    const start = solveStep(facts({ endpointAnswers: false, modelSet: true }));
    assert.equal(start.kind, 'offer');
    assert.deepEqual(start.kind === 'offer' && start.actions, [START_LOCAL, CHOOSE_MODEL]);
    assert.match(start.kind === 'offer' ? start.message : '', /nothing answers at http:\/\/127\.0\.0\.1:8000\/v1\. Start the local model/);
    const choose = solveStep(facts({ endpointAnswers: false }));
    assert.deepEqual(choose.kind === 'offer' && choose.actions, [CHOOSE_MODEL]);
  });

  it('local: no question when the model is set, the model quick pick when it is not', () => {
    assert.deepEqual(solveStep(facts({ route: 'local', modelSet: true })), { kind: 'local' });
    assert.deepEqual(solveStep(facts({ route: 'local' })), { kind: 'choose' });
  });
});

describe('local engine in the editor: the spec from the settings', () => {
  const agents = { retrieval: 'r.gguf', planning: 'p.gguf', coding: 'c.gguf', debugging: 'd.gguf' };

  it('reads model and adapters with paths made absolute, sized for k and maxTokens', () => {
    const spec = specFromSettings(settings({ 'local.model': 'models/base.gguf', 'local.adapters': agents, k: 2, maxTokens: 1000 }), '/ws');
    assert.ok(typeof spec !== 'string');
    assert.equal(spec.model, '/ws/models/base.gguf');
    assert.deepEqual(spec.adapters, { retrieval: '/ws/r.gguf', planning: '/ws/p.gguf', coding: '/ws/c.gguf', debugging: '/ws/d.gguf' });
    assert.deepEqual([spec.ctx, spec.parallel, spec.threads, spec.llamaServer], [4096, 2, 0, undefined]);
  });

  it('keeps hub names and URLs as given, and a ~ llama-server path from home', () => {
    const spec = specFromSettings(settings({ 'local.model': 'hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M', llamaServerPath: '~/bin/llama-server' }), '/ws');
    assert.ok(typeof spec !== 'string');
    assert.equal(spec.model, 'hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M');
    assert.deepEqual(spec.adapters, {});
    assert.equal(spec.llamaServer, `${homedir()}/bin/llama-server`);
  });

  it('the same settings are the same engine (shared), others another', () => {
    const a = specFromSettings(settings({ 'local.model': '/m.gguf' }), '/ws');
    const b = specFromSettings(settings({ 'local.model': '/m.gguf' }), '/elsewhere');
    const c = specFromSettings(settings({ 'local.model': '/m.gguf', k: 1 }), '/ws');
    assert.ok(typeof a !== 'string' && typeof b !== 'string' && typeof c !== 'string');
    assert.equal(specKey(a), specKey(b));
    assert.notEqual(specKey(a), specKey(c));
  });

  it('says in one line what is wrong: no model, some adapters only, names that collide, a bad source', () => {
    assert.match(specFromSettings(settings({}), '/ws') as string, /no local model is set \(mapcoderLite\.local\.model\)/);
    assert.match(specFromSettings(settings({ 'local.model': '/m.gguf', 'local.adapters': { coding: 'c.gguf' } }), '/ws') as string,
      /^mapcoderLite\.local\.adapters: give all four agents' adapters or none \(missing: retrieval, planning, debugging\)/);
    assert.match(specFromSettings(settings({ 'local.model': '/m.gguf', 'local.adapters': { ...agents, debugging: 'other/c.gguf' } }), '/ws') as string, /file names must differ/);
    assert.match(specFromSettings(settings({ 'local.model': 'http://example.com/m.gguf' }), '/ws') as string, /over https:\/\//);
  });

  it('the adapters setting takes the four agents only, each to text', () => {
    const { settings: s, problems } = readSettings((k) => (k === 'local.adapters' ? { coding: 'c.gguf', judge: 'j.gguf' } : undefined));
    assert.deepEqual(s.localAdapters, {});
    assert.match(problems.join('\n'), /mapcoderLite\.local\.adapters must map retrieval, planning, coding, debugging to text \(not "judge": "j\.gguf"\); using none\./);
    assert.deepEqual(settings({ 'local.adapters': { coding: '  c.gguf ', planning: '' } }).localAdapters, { coding: 'c.gguf' });
  });
});

describe('local engine in the editor: the status bar and the starting notification', () => {
  const ready: EngineReady = {
    kind: 'node', baseUrl: 'http://127.0.0.1:5/v1', model: 'tiny-clean', adapters: { retrieval: '/r.gguf', planning: '/p.gguf', coding: '/c.gguf', debugging: '/d.gguf' },
    ctx: 7168, parallel: 3, memoryBytes: 350e6, notices: [], pid: 42,
  };

  it('says what the engine does in every state', () => {
    const cases: [EngineStatus, RegExp, RegExp][] = [
      [{ state: 'starting' }, /starting/, /starting/],
      [{ state: 'installing', bytes: 21e6, expected: 42e6 }, /installing 50 %/, /node-llama-cpp.*21 MB of about 42 MB/],
      [{ state: 'downloading', file: 'hf:o/r/m.gguf', received: 1.1e9, total: 4.4e9 }, /downloading 25 %/, /hf:o\/r\/m\.gguf: 1\.1 GB of 4\.4 GB/],
      [{ state: 'downloading', file: 'm.gguf', received: 5e6 }, /downloading 5 MB/, /m\.gguf: 5 MB\./],
      [{ state: 'loading', detail: 'loading tiny.gguf 40 %' }, /loading/, /loading tiny\.gguf 40 %/],
      [{ state: 'ready', ready, users: 2 }, /^\$\(vm-active\) tiny-clean \+4$/, /tiny-clean \(the built-in engine, pid 42\)\nAdapters: retrieval, planning, coding, debugging\n3 x 7168 tokens, 350 MB resident\n2 clients/],
      [{ state: 'failed', why: 'x.gguf is truncated' }, /failed/, /failed: x\.gguf is truncated/],
      [{ state: 'stopped', why: 'idle for 15 minutes' }, /stopped/, /idle for 15 minutes\)\. The next Solve starts it again/],
    ];
    for (const [s, text, tooltip] of cases) {
      const v = statusView(s);
      assert.match(v.text, text, s.state);
      assert.match(v.tooltip, tooltip, s.state);
    }
    assert.equal(statusView({ state: 'failed', why: 'x' }).tone, 'error');
    assert.equal(statusView({ state: 'ready', ready: { ...ready, adapters: {} }, users: 1 }).tooltip.split('\n')[1], 'No adapters: one plain model for all four agents');
  });

  it('the notification line gives a download\'s percent', () => {
    assert.equal(progressMessage({ state: 'downloading', file: 'hf:o/r/m.gguf', received: 2.5e9, total: 5e9 }), 'downloading hf:o/r/m.gguf: 50 % (2.5 GB of 5 GB)');
    assert.equal(progressMessage({ state: 'installing', bytes: 0, expected: 60e6 }), 'installing the engine runtime (once): 0 % of about 60 MB');
    assert.equal(progressMessage({ state: 'loading', detail: 'checking the files' }), 'checking the files');
  });

  it('a failed or stopped engine (or none) is over: the next Solve starts another', () => {
    assert.deepEqual([undefined, { state: 'failed', why: '' }, { state: 'stopped', why: '' }, { state: 'loading', detail: '' }, { state: 'ready', ready, users: 1 }]
      .map((s) => isOver(s as EngineStatus | undefined)), [true, true, true, false, false]);
  });
});

describe('local engine in the editor: choosing a model', () => {
  it('offers what the memory runs with download sizes, the current one marked, then a file or a name', () => {
    const items = modelItems(suggestModels(16e9), 'hf:Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M');
    assert.equal(items.length, 5);
    assert.deepEqual(items.slice(0, 3).map((i) => i.description), ['4.7 GB download', '4.7 GB download (current)', '1.1 GB download']);
    assert.deepEqual(items.slice(3).map((i) => i.ask), ['file', 'name']);
    const small = modelItems(suggestModels(4e9), '');
    assert.deepEqual(small.map((i) => i.source ?? i.ask), ['hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M', 'file', 'name']);
  });

  it('checks a typed name as the engine reads it', () => {
    assert.equal(sourceProblem('hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M'), undefined);
    assert.match(sourceProblem('hf:nope') ?? '', /not a hub model/);
  });
});

describe('local engine in the editor: does the endpoint answer', () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((req, res) => res.writeHead(req.url === '/v1/models' ? 401 : 404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('any HTTP answer is a server (its trouble is the run\'s to report); a closed port is not', async () => {
    assert.equal(await endpointAnswers(`http://127.0.0.1:${port}/v1`), true);
    assert.equal(await endpointAnswers(`http://127.0.0.1:${port}/v1/`), true);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    assert.equal(await endpointAnswers(`http://127.0.0.1:${dead}/v1`), false);
  });

  it('a cancelled probe is a cancellation, not a "no"', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(endpointAnswers(`http://127.0.0.1:${port}/v1`, ac.signal), /stop/);
  });
});
