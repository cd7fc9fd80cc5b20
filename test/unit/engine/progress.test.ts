import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { statusPrinter, statusText } from '../../../src/cli/engine-progress';
import { checkLocalOptions, localSpec } from '../../../src/cli/local';
import type { EngineStatus } from '../../../src/core/engine/status';

describe('cli: the engine\'s progress and the --local options', () => {
  const capture = (tty: boolean) => {
    const s = new PassThrough();
    let text = '';
    s.on('data', (d) => (text += d));
    Object.assign(s, { isTTY: tty });
    return { stream: s, text: () => text };
  };
  const ready: EngineStatus = { state: 'ready', users: 1, ready: { kind: 'node', baseUrl: 'http://127.0.0.1:5/v1', model: 'tiny', adapters: { coding: '/c.gguf' }, ctx: 8192, parallel: 3, memoryBytes: 350e6, notices: ['No adapters: one plain model.'], pid: 9 } };

  it('says each state in one line', () => {
    assert.equal(statusText({ state: 'downloading', file: 'hf:o/r/m.gguf', received: 2.5e9, total: 5e9 }), 'engine: downloading hf:o/r/m.gguf 50 % (2.5 GB of 5 GB)');
    assert.equal(statusText(ready), 'engine: ready at http://127.0.0.1:5/v1: tiny with adapters coding (3 x 8192 tokens, 350 MB resident)');
    assert.equal(statusText({ state: 'failed', why: 'x.gguf is truncated' }), 'engine: failed: x.gguf is truncated');
  });

  it('on a terminal one updating line; elsewhere a line per tenth, notices once', () => {
    const tty = capture(true);
    const p = statusPrinter(tty.stream);
    for (const received of [0, 1, 2]) p.print({ state: 'downloading', file: 'm', received, total: 2 });
    p.print(ready);
    assert.equal((tty.text().match(/\r\x1b\[2K/g) ?? []).length, 3);
    assert.match(tty.text(), /2 B\)\nengine: ready/);
    const log = capture(false);
    const q = statusPrinter(log.stream);
    for (let received = 0; received <= 100; received++) q.print({ state: 'downloading', file: 'm', received, total: 100 });
    q.print(ready);
    q.print(ready);
    const lines = log.text().trim().split('\n');
    assert.equal(lines.filter((l) => l.includes('downloading')).length, 11);
    assert.equal(lines.filter((l) => l.startsWith('note: ')).length, 1);
  });

  it('--local wants all four adapters or none, distinct file names, and no endpoint options beside it', () => {
    const four = ['retrieval=/a/r.gguf', 'planning=/a/p.gguf', 'coding=/a/c.gguf', 'debugging=/a/d.gguf'];
    const spec = localSpec({ local: '/m.gguf', lora: four }, 3, 4096);
    assert.deepEqual(spec, { model: '/m.gguf', adapters: { retrieval: '/a/r.gguf', planning: '/a/p.gguf', coding: '/a/c.gguf', debugging: '/a/d.gguf' }, ctx: 7168, parallel: 3, threads: 0 });
    assert.throws(() => localSpec({ local: '/m.gguf', lora: four.slice(0, 2) }, 3, 4096), /all four agents' adapters or none \(missing: coding, debugging\)/);
    assert.throws(() => localSpec({ local: '/m.gguf', lora: ['retrieval=/a/x.gguf', 'planning=/b/x.gguf', 'coding=/c.gguf', 'debugging=/d.gguf'] }, 3, 4096), /file names must differ/);
    assert.throws(() => localSpec({ local: '/m.gguf', lora: ['writer=/w.gguf'] }, 3, 4096), /NAME one of retrieval, planning, coding, debugging/);
    assert.throws(() => localSpec({ local: 'hf:nope' }, 3, 4096), /--local: "hf:nope" is not a hub model/);
    assert.throws(() => checkLocalOptions({ local: 'm', endpoint: 'http://x' }), /leave out --endpoint/);
    assert.throws(() => checkLocalOptions({ lora: ['coding=c'] }), /--lora goes with --local/);
  });
});
