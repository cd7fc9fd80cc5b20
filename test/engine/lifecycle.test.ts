import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineMismatchError, liveLock, LocalEngine } from '../../src/core/engine/lifecycle';
import { runtimeDir } from '../../src/core/engine/paths';
import { installRuntime, isInstalled } from '../../src/core/engine/runtime';
import type { EngineSpec } from '../../src/core/engine/spec';
import type { EngineStatus } from '../../src/core/engine/status';
import { ensureLlama, type LlamaBuild } from '../servers/build';
import { CLI, processesOf, until } from './helpers';

// The lifecycle as the editor will drive it, without the editor: ensure (share or start), status
// events, leases, release, stop, start (replace), and the idle stop, against real engine processes.

describe('the engine lifecycle (real processes)', function () {
  this.timeout(600_000);
  let build: LlamaBuild;
  let tmp: string;
  let n = 0;
  before(async () => {
    build = ensureLlama();
    if (!isInstalled(runtimeDir())) await installRuntime(runtimeDir());
    tmp = mkdtempSync(join(tmpdir(), 'mcl-lifecycle-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const spec = (model = build.models.clean): EngineSpec => ({ model, adapters: { coding: build.models.adapters.coding }, ctx: 2048, parallel: 1, threads: 1 });
  const client = (dir: string, idleMinutes?: number) => {
    const seen: EngineStatus[] = [];
    const engine = new LocalEngine({ cliPath: CLI, dir, ...(idleMinutes ? { idleMinutes } : {}) });
    engine.onStatus((s) => seen.push(s));
    return { engine, seen };
  };
  const fresh = () => join(tmp, `engine-${++n}`);
  const gone = async (dir: string) => {
    await until('the engine to end', () => processesOf(dir).length === 0, 15_000);
    assert.equal(await liveLock(dir), undefined);
  };

  it('the first client starts it and sees it come up; a second shares it; it ends with the last lease', async () => {
    const dir = fresh();
    const a = client(dir);
    const b = client(dir);
    const first = await a.engine.ensure(spec());
    assert.equal(first.started, true);
    const states = a.seen.map((s) => s.state);
    assert.deepEqual([states[0], states.at(-1)], ['starting', 'ready']);
    assert.ok(states.includes('loading'));
    assert.deepEqual(first.ready.adapters, { coding: build.models.adapters.coding });
    assert.ok((first.ready.memoryBytes ?? 0) > 0);
    const second = await b.engine.ensure(spec());
    assert.equal(second.started, false);
    assert.equal(second.baseUrl, first.baseUrl);
    assert.equal(second.ready.pid, first.ready.pid);
    await until('both clients counted', () => a.engine.status?.state === 'ready' && a.engine.status.users === 2);
    await a.engine.release();
    assert.ok(await liveLock(dir), 'still running for the second client');
    await b.engine.release();
    await gone(dir);
  });

  it('ensure refuses an engine that serves other files; start replaces it, and its clients are told', async () => {
    const dir = fresh();
    const a = client(dir);
    await a.engine.ensure(spec());
    const b = client(dir);
    await assert.rejects(b.engine.ensure(spec(build.models.raw)), (e: Error) => e instanceof EngineMismatchError && /serves something else than .*tiny-raw\.gguf/.test(e.message));
    const replaced = await b.engine.start(spec(build.models.raw));
    assert.equal(replaced.started, true);
    assert.match(replaced.ready.model, /tiny-raw/);
    await until('the first client to hear its engine stop', () => a.seen.some((s) => s.state === 'stopped' && /stopped by a client/.test(s.why)));
    await b.engine.stop();
    await gone(dir);
  });

  it('an engine killed while in use: the client is told why, and the next ensure (the editor\'s next Solve) starts a new one', async () => {
    const dir = fresh();
    const a = client(dir);
    const first = await a.engine.ensure(spec());
    assert.equal(await a.engine.lostReason(), undefined, 'alive: nothing lost');
    process.kill(first.ready.pid, 'SIGKILL');
    const why = await a.engine.lostReason();
    assert.match(why ?? '', new RegExp(`the local engine \\(pid ${first.ready.pid}\\) ended unexpectedly \\(killed by SIGKILL; its log: \\S+engine\\.log\\); the next solve starts a new one`));
    await until('the failed status', () => a.seen.some((s) => s.state === 'failed' && s.why === why));
    await a.engine.release();
    const b = client(dir);
    const second = await b.engine.ensure(spec());
    assert.equal(second.started, true);
    assert.notEqual(second.ready.pid, first.ready.pid);
    await b.engine.release();
    await gone(dir);
  });

  it('an engine nobody asks anything ends after its idle time, and says so', async () => {
    const dir = fresh();
    const a = client(dir, 0.05);
    await a.engine.ensure(spec());
    await until('the idle stop', () => a.seen.some((s) => s.state === 'stopped' && /idle for 3 s/.test(s.why)), 60_000);
    await gone(dir);
    await a.engine.release();
  });
});
