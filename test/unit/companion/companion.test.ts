import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { safeName, saveProblem, statementMissing } from '../../../src/core/companion/files';
import { listenForCompanion, type CompanionListener } from '../../../src/core/companion/listener';
import { readCompanionTask, type CompanionTask } from '../../../src/core/companion/task';
import { parseProblem } from '../../../src/core/problem';
import { freePort } from '../../fixtures/net';

// What Competitive Companion POSTs for a problem page (its README's example shape).
export const COMPANION_BODY = JSON.stringify({
  name: 'A. Sum of Two', group: 'Codeforces - Round 1000 (Div. 2)', url: 'https://codeforces.com/contest/1000/problem/A',
  interactive: false, memoryLimit: 256, timeLimit: 1000,
  tests: [{ input: '1 2\n', output: '3\n' }, { input: '5 7\n', output: '12\n' }],
  testType: 'single', input: { type: 'stdin' }, output: { type: 'stdout' },
  languages: { java: { mainClass: 'Main', taskClass: 'ASumOfTwo' } }, batch: { id: 'b1', size: 1 },
});

const ROOT = resolve(__dirname, '..', '..', '..');


const post = (port: number, body: string, method = 'POST') =>
  fetch(`http://127.0.0.1:${port}/`, { method, body: method === 'POST' ? body : undefined, headers: { 'content-type': 'application/json' } });

describe('Competitive Companion: problems from the browser', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mcl-companion-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves a statement file our parser reads back (samples, limits, URL) and an empty source file, in a folder per contest', async () => {
    const saved = await saveProblem(dir, readCompanionTask(COMPANION_BODY), 'cpp');
    assert.equal(saved.dir, join(dir, 'Codeforces - Round 1000 (Div. 2)'));
    assert.deepEqual([saved.statement, saved.source].map((p) => p.slice(saved.dir.length + 1)), ['A. Sum of Two.md', 'A. Sum of Two.cpp']);
    assert.deepEqual(saved.created, { statement: true, source: true });
    const text = readFileSync(saved.statement, 'utf8');
    assert.ok(statementMissing(text), 'it says where to paste the statement');
    const back = parseProblem(text, { fileName: saved.statement });
    assert.deepEqual(back.samples, [{ input: '1 2\n', outputs: ['3\n'] }, { input: '5 7\n', outputs: ['12\n'] }]);
    assert.deepEqual([back.timeLimitMs, back.memoryLimitMb, back.title], [1000, 256, 'A. Sum of Two']);
    assert.match(text, /URL: https:\/\/codeforces\.com\/contest\/1000\/problem\/A/);
    assert.equal(readFileSync(saved.source, 'utf8'), '');
  });

  it('never overwrites: the same problem sent again keeps the pasted statement and the code', async () => {
    const task = readCompanionTask(COMPANION_BODY);
    const first = await saveProblem(dir, task, 'python3');
    writeFileSync(first.statement, 'my pasted statement');
    writeFileSync(first.source, 'print(3)\n');
    const again = await saveProblem(dir, task, 'python3');
    assert.deepEqual(again.created, { statement: false, source: false });
    assert.deepEqual([readFileSync(first.statement, 'utf8'), readFileSync(first.source, 'utf8')], ['my pasted statement', 'print(3)\n']);
  });

  it('names from a web page cannot leave the folder: separators, dots and control characters go', async () => {
    assert.deepEqual([safeName('../../etc/passwd', 'x'), safeName('a\u0000b\\c:d', 'x'), safeName('...', 'x'), safeName('', 'x')], ['etc passwd', 'a b c d', 'x', 'x']);
    const evil: CompanionTask = { ...readCompanionTask(COMPANION_BODY), name: '../../escape', group: '/abs/../../' };
    const saved = await saveProblem(dir, evil, 'python3');
    assert.ok(saved.statement.startsWith(dir + '/'), saved.statement);
    assert.deepEqual(readdirSync(dir), ['abs']);
  });

  describe('the listener', () => {
    let listener: CompanionListener | undefined;
    afterEach(async () => {
      await listener?.close();
      listener = undefined;
    });
    const start = async (onTask: (t: CompanionTask) => Promise<void>, port?: number) => {
      listener = await listenForCompanion({ port: port ?? (await freePort()), onTask });
      return listener.port;
    };

    it('a POST is handed on and answered 200; a malformed one gets 400 and reaches nothing; GET is 405', async () => {
      const got: CompanionTask[] = [];
      const port = await start(async (t) => void got.push(t));
      assert.equal((await post(port, COMPANION_BODY)).status, 200);
      assert.equal(got[0].name, 'A. Sum of Two');
      for (const bad of ['{', '[]', '{"tests": 3}', '{"name": "x"}', 'hello']) {
        const r = await post(port, bad);
        assert.equal(r.status, 400, bad);
        assert.match(await r.text(), /Competitive Companion/);
      }
      assert.equal((await post(port, '', 'GET')).status, 405);
      assert.equal(got.length, 1);
    });

    it('a second listener on the same port fails with EADDRINUSE, and the first keeps working', async () => {
      const got: string[] = [];
      const port = await start(async (t) => void got.push(t.name));
      await assert.rejects(listenForCompanion({ port, onTask: async () => undefined }), /EADDRINUSE/);
      assert.equal((await post(port, COMPANION_BODY)).status, 200);
      assert.deepEqual(got, ['A. Sum of Two']);
    });

    it('a handler that fails answers 500 and the listener goes on', async () => {
      let calls = 0;
      const port = await start(async () => {
        calls++;
        if (calls === 1) throw new Error('disk full');
      });
      const r = await post(port, COMPANION_BODY);
      assert.equal(r.status, 500);
      assert.match(await r.text(), /disk full/);
      assert.equal((await post(port, COMPANION_BODY)).status, 200);
    });
  });

  it('mapcoder-lite listen saves what Companion sends, says so, refuses a busy port in one line, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn('node', [join(ROOT, 'dist/cli.js'), 'listen', '--port', String(port), '--dir', dir, '--lang', 'cpp'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    try {
      for (let i = 0; i < 100 && !err.includes('Listening'); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(err, new RegExp(`Listening for Competitive Companion on 127\\.0\\.0\\.1:${port}`));
      assert.equal((await post(port, COMPANION_BODY)).status, 200);
      assert.equal((await post(port, '{"tests": "no"}')).status, 400);
      assert.ok(existsSync(join(dir, 'Codeforces - Round 1000 (Div. 2)', 'A. Sum of Two.cpp')));
      assert.match(out, /^A\. Sum of Two: Codeforces - Round 1000 \(Div\. 2\)\/A\. Sum of Two\.md, .*A\. Sum of Two\.cpp\n$/);
      const busy = spawn('node', [join(ROOT, 'dist/cli.js'), 'listen', '--port', String(port), '--dir', dir]);
      let busyErr = '';
      busy.stderr.on('data', (c) => (busyErr += c));
      const busyCode = await new Promise((r) => busy.on('close', r));
      assert.equal(busyCode, 2);
      assert.match(busyErr, new RegExp(`^mapcoder-lite listen: port ${port} is in use .*; pass --port\\n$`));
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await new Promise((r) => child.on('close', r)), 130);
  });
});
