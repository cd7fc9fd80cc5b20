import { strict as assert } from 'node:assert';
import { ContextPool } from '../../../src/core/engine/serve/pool';
import type { Context, Sequence, Token } from '../../../src/core/engine/serve/nlc';

/** A context whose sequences remember the tokens they were given. */
function fakeContext(key: number, log: string[]): Context {
  return {
    contextSize: 64,
    getSequence: () => ({ contextTokens: [] as Token[], nextTokenIndex: 0 }) as unknown as Sequence,
    dispose: async () => void log.push(`dispose ${key}`),
  };
}

describe('engine/pool: one context per adapter over one model', () => {
  const never = new AbortController().signal;
  const setup = (max: number, parallel = 1) => {
    const log: string[] = [];
    const pool = new ContextPool(async (key) => (log.push(`make ${key}`), fakeContext(key, log)), parallel, max);
    return { pool, log };
  };

  it('a context is made when its adapter is first asked for, and reused', async () => {
    const { pool, log } = setup(4);
    const a = await pool.acquire(0, [1, 2], never);
    pool.release(0, a);
    const b = await pool.acquire(0, [1, 2], never);
    assert.equal(a, b);
    await pool.acquire(1, [], never);
    assert.deepEqual(log, ['make 0', 'make 1']);
  });

  it('a request takes the free slot whose cached tokens share the longest prefix with its prompt', async () => {
    const { pool } = setup(1, 3);
    const slots = await Promise.all([pool.acquire(0, [], never), pool.acquire(0, [], never), pool.acquire(0, [], never)]);
    (slots[1].seq as { contextTokens: Token[] }).contextTokens = [5, 6, 7];
    (slots[2].seq as { contextTokens: Token[] }).contextTokens = [5, 6];
    for (const s of slots) pool.release(0, s);
    assert.equal(await pool.acquire(0, [5, 6, 7, 8], never), slots[1]);
    assert.equal(await pool.acquire(0, [5, 6, 9], never), slots[2]);
  });

  it('with every slot busy a request waits its turn, first come first served', async () => {
    const { pool } = setup(1, 1);
    const first = await pool.acquire(0, [], never);
    const order: string[] = [];
    const second = pool.acquire(0, [], never).then((s) => (order.push('second'), s));
    const third = pool.acquire(0, [], never).then((s) => (order.push('third'), s));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, []);
    pool.release(0, first);
    pool.release(0, await second);
    await third;
    assert.deepEqual(order, ['second', 'third']);
  });

  it('when memory holds fewer contexts than adapters, the least recently used idle one is disposed', async () => {
    const { pool, log } = setup(2);
    pool.release(0, await pool.acquire(0, [], never));
    const b = await pool.acquire(1, [], never);
    // Adapter 2 needs room: 0 is idle (1 is busy), so 0 goes.
    pool.release(2, await pool.acquire(2, [], never));
    assert.deepEqual(log, ['make 0', 'make 1', 'dispose 0', 'make 2']);
    // Nothing idle but 2: asking for 0 again waits until 1 or 2 can go (2, the least recently used idle one).
    pool.release(1, b);
    await pool.acquire(0, [], never);
    assert.deepEqual(log.slice(4), ['dispose 2', 'make 0']);
    assert.equal(pool.size, 2);
  });

  it('a waiting request that is cancelled leaves the queue; a context that cannot be made fails its waiters', async () => {
    const { pool } = setup(1, 1);
    const held = await pool.acquire(0, [], never);
    const abort = new AbortController();
    const waiting = pool.acquire(0, [], abort.signal);
    abort.abort(new Error('client left'));
    await assert.rejects(waiting, /client left/);
    pool.release(0, held);
    const failing = new ContextPool(async () => {
      throw new Error('no memory');
    }, 1, 1);
    await assert.rejects(failing.acquire(0, [], never), /no memory/);
  });

  it('close rejects waiters and disposes every context', async () => {
    const { pool, log } = setup(1, 1);
    await pool.acquire(0, [], never);
    const waiting = pool.acquire(0, [], never);
    await pool.close();
    await assert.rejects(waiting, /stopping/);
    assert.deepEqual(log, ['make 0', 'dispose 0']);
  });
});
