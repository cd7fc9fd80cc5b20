import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { download, DownloadError, type DownloadProgress } from '../../../src/core/engine/download';
import { locate } from '../../../src/core/engine/models';
import { parseSource } from '../../../src/core/engine/source';
import { startHub, type HubServer } from '../../fixtures/hub-server';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('engine/download: resumable, checked downloads through a loopback host with Range', () => {
  const big = randomBytes(3 * 1024 * 1024);
  const small = randomBytes(40_000);
  let hub: HubServer;
  let other: HubServer;
  let dir: string;
  beforeEach(async () => {
    hub = await startHub({
      'o/r': { 'm-Q4_K_M.gguf': { data: big }, 'm-Q8_0.gguf': { data: small }, 'bad.gguf': { data: small, listSha256: 'f'.repeat(64) } },
      'o/split': { 'm-q4_k_m-00001-of-00002.gguf': { data: small }, 'm-q4_k_m-00002-of-00002.gguf': { data: big } },
    });
    other = await startHub({ 'o/r': { 'm-Q8_0.gguf': { data: small } } });
    dir = mkdtempSync(join(tmpdir(), 'mcl-dl-'));
  });
  afterEach(async () => {
    await hub.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = (p: string) => `${hub.url}/o/r/resolve/main/${p}`;

  it('reports progress, checks size and sha256, and leaves no partial file', async () => {
    const seen: DownloadProgress[] = [];
    const dest = join(dir, 'm.gguf');
    await download({ url: url('m-Q4_K_M.gguf'), dest, size: big.length, sha256: sha(big), label: 'm' }, { onProgress: (p) => seen.push(p) });
    assert.ok(readFileSync(dest).equals(big));
    assert.ok(!existsSync(`${dest}.partial`) && !existsSync(`${dest}.partial.lock`));
    assert.equal(seen[0].received, 0);
    assert.deepEqual(seen.at(-1), { label: 'm', received: big.length, total: big.length });
    assert.ok(seen.every((p, i) => i === 0 || p.received >= seen[i - 1].received));
  });

  it('an interrupted download is resumed with Range where it stopped, and the whole is checked', async () => {
    const dest = join(dir, 'm.gguf');
    hub.cutOnce('/o/r/resolve/main/m-Q4_K_M.gguf', 1_000_000);
    const req = { url: url('m-Q4_K_M.gguf'), dest, size: big.length, sha256: sha(big), label: 'm' };
    await assert.rejects(download(req), (e: Error) => e instanceof DownloadError && e.kind === 'failed' && /the next run resumes it/.test(e.message));
    const kept = statSync(`${dest}.partial`).size;
    assert.ok(kept > 0 && kept <= 1_000_000, `kept ${kept}`);
    assert.ok(!existsSync(dest), 'a partial file never takes the final name');
    await download(req);
    assert.ok(readFileSync(dest).equals(big));
    assert.equal(hub.requests.at(-1), `GET /o/r/resolve/main/m-Q4_K_M.gguf bytes=${kept}-`);
  });

  it('a wrong checksum is refused and the partial file removed', async () => {
    const dest = join(dir, 'bad.gguf');
    await assert.rejects(download({ url: url('bad.gguf'), dest, size: small.length, sha256: 'f'.repeat(64), label: 'bad' }),
      (e: Error) => e instanceof DownloadError && e.kind === 'checksum' && /checksum mismatch.*the file was removed/.test(e.message));
    assert.ok(!existsSync(dest) && !existsSync(`${dest}.partial`));
  });

  it('a cancelled download stops, keeps its partial file for the next run', async () => {
    const dest = join(dir, 'm.gguf');
    hub.stallOnce('/o/r/resolve/main/m-Q4_K_M.gguf', 500_000);
    const abort = new AbortController();
    const run = download({ url: url('m-Q4_K_M.gguf'), dest, size: big.length, label: 'm' }, { signal: abort.signal });
    while (!existsSync(`${dest}.partial`) || statSync(`${dest}.partial`).size < 500_000) await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    await assert.rejects(run, (e: Error) => e instanceof DownloadError && e.kind === 'cancelled' && /cancelled at 15 %; the next run resumes it/.test(e.message));
    assert.equal(statSync(`${dest}.partial`).size, 500_000);
    assert.ok(!existsSync(dest));
  });

  it('a disk without room is said before anything is written; a 404 names the host and status', async () => {
    const dest = join(dir, 'm.gguf');
    await assert.rejects(download({ url: url('m-Q4_K_M.gguf'), dest, size: big.length, label: 'm' }, { freeBytes: async () => 1000 }),
      (e: Error) => e instanceof DownloadError && e.kind === 'disk' && /needs 3\.15 MB .* which has 1 kB free/.test(e.message));
    assert.ok(!existsSync(`${dest}.partial`) || statSync(`${dest}.partial`).size === 0);
    await assert.rejects(download({ url: url('nothing.gguf'), dest, label: 'x' }), /x: 127\.0\.0\.1:\d+ answered 404/);
  });

  it('a token goes to the host it is for, not to the one it redirects to', async () => {
    hub.redirectTo(other.url);
    await download({ url: url('m-Q8_0.gguf'), dest: join(dir, 'q8.gguf'), label: 'q8', headers: { authorization: 'Bearer secret' } });
    assert.equal(hub.auth.get('/o/r/resolve/main/m-Q8_0.gguf'), 'Bearer secret');
    assert.equal(other.auth.get('/o/r/resolve/main/m-Q8_0.gguf'), undefined);
  });

  describe('locate: from the hub once, then from the cache without a request', () => {
    const env = () => ({ HF_ENDPOINT: hub.url, HF_TOKEN: 'tok' });

    it('hf:owner/repo (its Q4_K_M), then again offline', async () => {
      const first = await locate(parseSource('hf:o/r'), { dir, env: env() });
      assert.equal(first, join(dir, 'hf/o/r/m-Q4_K_M.gguf'));
      assert.ok(readFileSync(first).equals(big));
      assert.equal(hub.auth.get('/api/models/o/r/tree/main'), 'Bearer tok');
      const seen = hub.requests.length;
      assert.equal(await locate(parseSource('hf:o/r:Q4_K_M'), { dir, env: env() }), first);
      assert.equal(await locate(parseSource('hf:o/r/m-Q4_K_M.gguf'), { dir, env: env() }), first);
      assert.equal(hub.requests.length, seen, 'served from the cache');
    });

    it('a split model: every part, the first one loaded', async () => {
      const first = await locate(parseSource('hf:o/split:Q4_K_M'), { dir, env: env() });
      assert.equal(first, join(dir, 'hf/o/split/m-q4_k_m-00001-of-00002.gguf'));
      assert.ok(readFileSync(join(dir, 'hf/o/split/m-q4_k_m-00002-of-00002.gguf')).equals(big));
    });

    it('a URL with #sha256=, and a repository or quant that is not there', async () => {
      const p = await locate(parseSource(`${url('m-Q8_0.gguf')}#sha256=${sha(small)}`), { dir, env: env() });
      assert.ok(readFileSync(p).equals(small));
      await assert.rejects(locate(parseSource('hf:o/none'), { dir, env: env() }), /hf:o\/none does not exist/);
      await assert.rejects(locate(parseSource('hf:o/r:Q2_K'), { dir, env: env() }), /has no Q2_K model; it has: .*m-Q4_K_M\.gguf/);
      await assert.rejects(locate(parseSource('hf:o/r/missing.gguf'), { dir, env: env() }), /has no file missing\.gguf/);
      await assert.rejects(locate(parseSource(join(dir, 'no.gguf')), { dir }), /does not exist/);
    });
  });
});
