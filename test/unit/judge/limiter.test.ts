import { strict as assert } from 'node:assert';
import { Limiter } from '../../../src/core/limiter';

/** A task that runs until `release` is called; `started` tells whether it began. */
function held<T>(value: T) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const state = { started: false, release: () => release() };
  return { state, task: async () => { state.started = true; await gate; return value; } };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('judge/limiter Limiter', () => {
  it('runs at most `size` tasks at once, in order', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise((r) => setImmediate(r));
      running--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.run(task(i))));
    assert.deepEqual(results, [0, 1, 2, 3, 4]);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.equal(peak, 2);
  });

  it('a waiting task leaves the queue on abort; the others still run', async () => {
    const limiter = new Limiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<string>((r) => { release = () => r('first'); }));
    const ac = new AbortController();
    const second = limiter.run(async () => 'second', ac.signal);
    const third = limiter.run(async () => 'third');
    ac.abort();
    await assert.rejects(second, (e: Error) => e.name === 'AbortError');
    release();
    assert.deepEqual(await Promise.all([first, third]), ['first', 'third']);
  });

  it('a weighted task holds that many slots; lighter tasks queued behind it wait their turn', async () => {
    const limiter = new Limiter(2);
    const one = held('one');
    const batch = held('batch');
    const late = held('late');
    const first = limiter.run(one.task);
    const heavy = limiter.run(batch.task, { weight: 2 });
    const light = limiter.run(late.task);
    await tick();
    // One slot is free, but the batch came first and needs both: the light task may not jump it.
    assert.deepEqual([one.state.started, batch.state.started, late.state.started], [true, false, false]);
    one.state.release();
    await first;
    await tick();
    assert.deepEqual([batch.state.started, late.state.started], [true, false]);
    batch.state.release();
    await heavy;
    await tick();
    assert.equal(late.state.started, true);
    late.state.release();
    assert.equal(await light, 'late');
  });

  it('a weight above the size is capped at the size instead of waiting forever', async () => {
    assert.equal(await new Limiter(2).run(async () => 'ran', { weight: 8 }), 'ran');
  });

  it('waiting tasks start smallest priority first, read when a slot frees, ties in arrival order', async () => {
    const limiter = new Limiter(1);
    const blocker = held('blocker');
    const order: string[] = [];
    let urgent = 5;
    const running = limiter.run(blocker.task);
    const waiting = [
      limiter.run(async () => order.push('a'), { priority: () => 1 }),
      limiter.run(async () => order.push('b'), { priority: () => 1 }),
      limiter.run(async () => order.push('c'), { priority: () => urgent }),
    ];
    urgent = 0; // became the one in turn while it waited
    blocker.state.release();
    await Promise.all([running, ...waiting]);
    assert.deepEqual(order, ['c', 'a', 'b']);
  });

  it('an aborted heavy waiter no longer holds back the tasks behind it', async () => {
    const limiter = new Limiter(2);
    const one = held('one');
    const ac = new AbortController();
    const first = limiter.run(one.task);
    const heavy = limiter.run(async () => 'heavy', { weight: 2, signal: ac.signal });
    const light = limiter.run(async () => 'light');
    ac.abort();
    await assert.rejects(heavy, (e: Error) => e.name === 'AbortError');
    assert.equal(await light, 'light');
    one.state.release();
    await first;
  });
});
