import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/core/fs-atomic';
import { readTrace, TraceWriter } from '../../../src/core/trace';
import { FIXTURES } from './helpers';

/** Runs the crash writer in a child that SIGKILLs itself mid-write. */
function crashWhile(...args: string[]): void {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(FIXTURES, 'crash-writer.ts'), ...args], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, 'SIGKILL', r.stderr);
}

describe('hostile crashes: trace and data files are written atomically', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mcl-atomic-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a run killed mid-trace leaves the previous trace intact', () => {
    const file = join(dir, 'run.jsonl');
    const previous = new TraceWriter(file);
    previous.write({ type: 'done', result: { status: 'failed', message: 'OLD RUN' } } as never);
    previous.close();
    const before = readFileSync(file, 'utf8');
    crashWhile('trace', file);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal(readTrace(file).length, 1);
    // What the killed run wrote stays beside it, never over it.
    assert.match(readFileSync(`${file}.partial`, 'utf8'), /NEW RUN/);
  });

  it('writeFileAtomic killed at varying moments: the file is always the old or the new content, whole', () => {
    const file = join(dir, 'data.jsonl');
    const size = 32 * 1024 * 1024;
    const old = 'o'.repeat(1000);
    for (let i = 0; i < 4; i++) {
      writeFileSync(file, old);
      crashWhile('atomic', file, String(size));
      const now = readFileSync(file);
      assert.ok(now.toString() === old || (now.length === size && now.every((b) => b === 0x6e)), `run ${i}: ${now.length} bytes`);
    }
  });

  it('writeFileAtomic replaces the content and leaves no temp file', async () => {
    const file = join(dir, 'out.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, '{"new":true}');
    assert.equal(readFileSync(file, 'utf8'), '{"new":true}');
    assert.deepEqual(readdirSync(dir), ['out.json']);
  });

  it('writeFileAtomic into a missing directory fails and touches nothing', async () => {
    await assert.rejects(writeFileAtomic(join(dir, 'missing', 'x.json'), 'data'), /ENOENT/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
