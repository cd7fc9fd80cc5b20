import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropLock, lockPath, readLock, takeLock, type EngineLock } from '../../../src/core/engine/lock';

describe('engine/lock: one engine per user and machine', () => {
  let dir: string;
  let server: Server;
  let port: number;
  before(async () => {
    // Something answering on a port, as a live engine's host does.
    server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());
  beforeEach(() => (dir = join(mkdtempSync(join(tmpdir(), 'mcl-lock-')), 'engine')));
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
  const lock = (over: Partial<EngineLock> = {}): EngineLock => ({ pid: process.pid, port, token: 't1', kind: 'node', spec: 's', startedAt: 1, ...over });
  /** A pid that is certainly gone: a child that has exited. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

  it('the first taker holds it (0600 in a 0700 folder); the next one is told who holds it', async () => {
    assert.deepEqual(await takeLock(dir, lock()), { taken: true });
    assert.equal(statSync(lockPath(dir)).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const second = await takeLock(dir, lock({ token: 't2' }));
    assert.equal(second.taken, false);
    assert.equal(!second.taken && second.holder.token, 't1');
    assert.deepEqual(readdirSync(dir), ['engine.json'], 'no temp files left');
  });

  it('a lock whose process is gone, or whose port does not answer, or that does not parse, is taken over', async () => {
    await takeLock(dir, lock({ pid: deadPid() }));
    assert.deepEqual(await takeLock(dir, lock({ token: 'mine' })), { taken: true });
    assert.equal((await readLock(dir))?.token, 'mine');
    rmSync(lockPath(dir));
    await takeLock(dir, lock({ port: 1 }));
    assert.deepEqual(await takeLock(dir, lock({ token: 'again' })), { taken: true });
    writeFileSync(lockPath(dir), '{not json');
    assert.deepEqual(await takeLock(dir, lock({ token: 'third' })), { taken: true });
    assert.equal((await readLock(dir))?.token, 'third');
  });

  it('two takers at once: exactly one wins', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => takeLock(dir, lock({ token: `t${i}` }))));
    assert.equal(results.filter((r) => r.taken).length, 1);
  });

  it('dropLock removes only its own lock', async () => {
    await takeLock(dir, lock());
    await dropLock(dir, { pid: process.pid, token: 'other' });
    assert.ok(await readLock(dir));
    await dropLock(dir, { pid: process.pid, token: 't1' });
    assert.equal(await readLock(dir), undefined);
  });
});
