import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { javaClassName, PASTE_STATEMENT_HERE, safeName, saveProblem, statementMissing } from '../../../src/core/companion/files';
import { holderText, portHolder } from '../../../src/core/companion/holder';
import { listenForCompanion, type CompanionListener } from '../../../src/core/companion/listener';
import { COMPANION_TOOL_PORTS } from '../../../src/core/companion/port';
import { readCompanionTask, type CompanionTask } from '../../../src/core/companion/task';
import { ioConvention } from '../../../src/core/agents/context';
import { parseProblem } from '../../../src/core/problem';
import { COMPANION_HEADERS, send, sendAsCompanion } from '../../fixtures/companion/send';
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
    assert.deepEqual([saved.status, saved.sourceCreated], ['saved', true]);
    const text = readFileSync(saved.statement, 'utf8');
    assert.ok(statementMissing(text), 'it says where to paste the statement');
    const back = parseProblem(text, { fileName: saved.statement });
    assert.deepEqual(back.samples, [{ input: '1 2\n', outputs: ['3\n'] }, { input: '5 7\n', outputs: ['12\n'] }]);
    assert.deepEqual([back.timeLimitMs, back.memoryLimitMb, back.title, back.url, back.javaClass], [1000, 256, 'A. Sum of Two', 'https://codeforces.com/contest/1000/problem/A', 'ASumOfTwo']);
    assert.equal(readFileSync(saved.source, 'utf8'), '');
  });

  it('the same problem sent again refreshes its samples and limits, keeps the pasted statement, the code and the own tests, and says "updated"', async () => {
    const first = await saveProblem(dir, readCompanionTask(COMPANION_BODY), 'python3');
    const text = readFileSync(first.statement, 'utf8').replace(PASTE_STATEMENT_HERE, 'Given two numbers, print their sum.\n\nTime limit per test: 9 seconds');
    writeFileSync(first.statement, text);
    writeFileSync(first.source, 'print(3)\n');
    const tests = join(first.dir, 'A. Sum of Two.tests.md');
    writeFileSync(tests, 'my tests');
    const resent = JSON.stringify({ ...JSON.parse(COMPANION_BODY), timeLimit: 2000, tests: [{ input: '2 2\n', output: '4\n' }] });
    const again = await saveProblem(dir, readCompanionTask(resent), 'python3');
    assert.deepEqual([again.statement, again.status, again.sourceCreated], [first.statement, 'updated', false]);
    const back = parseProblem(readFileSync(first.statement, 'utf8'), { fileName: first.statement });
    assert.deepEqual([back.samples, back.timeLimitMs], [[{ input: '2 2\n', outputs: ['4\n'] }], 2000]);
    assert.match(back.statement, /Given two numbers, print their sum\./);
    assert.ok(!statementMissing(back.statement));
    assert.deepEqual([readFileSync(first.source, 'utf8'), readFileSync(tests, 'utf8')], ['print(3)\n', 'my tests']);
    assert.deepEqual(readdirSync(first.dir).sort(), ['A. Sum of Two.md', 'A. Sum of Two.py', 'A. Sum of Two.tests.md']);
  });

  it('distinct problems whose names clean to one file name get a suffix; a file of the user\'s is never written', async () => {
    const named = (name: string, url: string) => readCompanionTask(JSON.stringify({ ...JSON.parse(COMPANION_BODY), name, url }));
    const a = await saveProblem(dir, named('..', 'https://x/1'), 'cpp');
    const b = await saveProblem(dir, named('...', 'https://x/2'), 'cpp');
    assert.deepEqual([a.statement, b.statement].map((p) => p.slice(a.dir.length + 1)), ['problem.md', 'problem (2).md']);
    assert.equal(parseProblem(readFileSync(b.statement, 'utf8')).title, '...');
    writeFileSync(join(a.dir, 'mine.md'), 'my own notes\n');
    const c = await saveProblem(dir, named('mine', 'https://x/3'), 'cpp');
    assert.equal(c.statement, join(a.dir, 'mine (2).md'));
    assert.equal(readFileSync(join(a.dir, 'mine.md'), 'utf8'), 'my own notes\n');
  });

  it('Java: the files are named for the class (taskClass, else one made from the name) so javac takes `public class <it>`', async () => {
    const saved = await saveProblem(dir, readCompanionTask(COMPANION_BODY), 'java');
    assert.deepEqual([saved.statement, saved.source].map((p) => p.slice(saved.dir.length + 1)), ['ASumOfTwo.md', 'ASumOfTwo.java']);
    assert.equal(parseProblem(readFileSync(saved.statement, 'utf8')).javaClass, 'ASumOfTwo');
    const { languages: _, ...noClass } = JSON.parse(COMPANION_BODY) as Record<string, unknown>;
    const other = await saveProblem(dir, readCompanionTask(JSON.stringify({ ...noClass, name: 'A - Day of Takahashi', url: 'https://y' })), 'java');
    assert.equal(other.source.slice(other.dir.length + 1), 'ADayOfTakahashi.java');
    assert.deepEqual([javaClassName('1. Two Sum'), javaClassName('!!')], ['Task1TwoSum', 'Task']);
    // the coding agent is told the class, and javac takes the program in the saved file
    const problem = parseProblem(readFileSync(saved.statement, 'utf8'));
    assert.match(ioConvention(problem, 'java'), /public class named ASumOfTwo\./);
    writeFileSync(saved.source, 'import java.util.*;\npublic class ASumOfTwo {\n  public static void main(String[] a) { System.out.println(3); }\n}\n');
    const javac = spawnSync('javac', ['-d', join(dir, 'classes'), saved.source], { encoding: 'utf8' });
    assert.equal(javac.status, 0, javac.stderr);
  });

  it('names from a web page cannot leave the folder: separators, dots and control characters go', async () => {
    assert.deepEqual([safeName('../../etc/passwd', 'x'), safeName('a\u0000b\\c:d', 'x'), safeName('...', 'x'), safeName('', 'x')], ['etc passwd', 'a b c d', 'x', 'x']);
    const evil = readCompanionTask(JSON.stringify({ ...JSON.parse(COMPANION_BODY), name: '../../escape', group: '/abs/../../' }));
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
    const start = async (onTask: (t: CompanionTask) => Promise<string | void>, port?: number) => {
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

    it('takes only what Companion sends: a web page\'s cross-origin text/plain POST, its preflight, a rebound Host and other types are refused before the body is read', async () => {
      const got: CompanionTask[] = [];
      const port = await start(async (t) => void got.push(t));
      const page = await send(port, { headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: COMPANION_BODY });
      assert.deepEqual([page.status, page.text], [403, 'Refused: a request from the web page https://evil.example. Only the Competitive Companion extension sends problems here.\n']);
      const preflight = await send(port, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal(preflight.status, 403);
      assert.match(preflight.text, /preflight from https:\/\/evil\.example/);
      for (const origin of ['null', 'http://localhost:3000', 'file://']) {
        assert.equal((await send(port, { headers: { ...COMPANION_HEADERS, origin }, body: COMPANION_BODY })).status, 403, origin);
      }
      const rebound = await send(port, { headers: { ...COMPANION_HEADERS, host: `evil.example:${port}` }, body: COMPANION_BODY });
      assert.deepEqual([rebound.status, rebound.text], [403, `Refused: the request was addressed to evil.example:${port}, not to this machine's loopback address.\n`]);
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const r = await send(port, { headers: { ...COMPANION_HEADERS, 'content-type': type }, body: COMPANION_BODY });
        assert.deepEqual([r.status, r.text], [415, `Refused: Content-Type ${type.split(';')[0]}; Competitive Companion sends application/json.\n`]);
      }
      assert.equal((await send(port, { headers: { origin: 'chrome-extension://abc' }, body: COMPANION_BODY })).status, 415, 'no Content-Type');
      assert.equal(got.length, 0, 'nothing refused reached the handler');
      for (const origin of ['chrome-extension://abc', 'moz-extension://0b5e-11', undefined]) {
        const { origin: _, ...rest } = COMPANION_HEADERS;
        const r = await send(port, { headers: origin ? { ...rest, origin, 'content-type': 'application/json; charset=utf-8' } : rest, body: COMPANION_BODY });
        assert.deepEqual([r.status, r.text], [200, 'saved\n'], String(origin));
      }
      assert.equal(got.length, 3);
    });

    it('answers with what the handler says became of the problem ("updated")', async () => {
      const port = await start(async () => 'updated');
      assert.deepEqual(await sendAsCompanion(port, COMPANION_BODY), { status: 200, text: 'updated\n' });
    });

    it('a second listener on the same port fails with EADDRINUSE, and the first keeps working', async () => {
      const got: string[] = [];
      const port = await start(async (t) => void got.push(t.name));
      await assert.rejects(listenForCompanion({ port, onTask: async () => undefined }), /EADDRINUSE/);
      assert.equal((await post(port, COMPANION_BODY)).status, 200);
      assert.deepEqual(got, ['A. Sum of Two']);
    });

    it('a busy port\'s holder: one of us by its header, cph by its answer, else another program (named by the port when Companion knows it)', async () => {
      const port = await start(async () => undefined);
      assert.deepEqual(await portHolder(port), { kind: 'ours' });
      const web = createHttpServer((_req, res) => res.writeHead(404).end('not here'));
      const other = await freePort();
      await new Promise<void>((r) => web.listen(other, '127.0.0.1', r));
      try {
        assert.deepEqual(await portHolder(other), { kind: 'other' });
      } finally {
        await new Promise<void>((r) => web.close(() => r()));
      }
      assert.equal(holderText(10045, { kind: 'other', likely: COMPANION_TOOL_PORTS.get(10045) }), "port 10045 is held by another program, likely CP Editor; choose another port and add it to Competitive Companion's custom ports");
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
      assert.deepEqual(await sendAsCompanion(port, COMPANION_BODY), { status: 200, text: 'updated\n' });
      assert.ok(existsSync(join(dir, 'Codeforces - Round 1000 (Div. 2)', 'A. Sum of Two.cpp')));
      assert.equal(out, 'A. Sum of Two: Codeforces - Round 1000 (Div. 2)/A. Sum of Two.md, Codeforces - Round 1000 (Div. 2)/A. Sum of Two.cpp\n'
        + 'A. Sum of Two: Codeforces - Round 1000 (Div. 2)/A. Sum of Two.md (updated), Codeforces - Round 1000 (Div. 2)/A. Sum of Two.cpp (exists, kept)\n');
      const busy = spawn('node', [join(ROOT, 'dist/cli.js'), 'listen', '--port', String(port), '--dir', dir]);
      let busyErr = '';
      busy.stderr.on('data', (c) => (busyErr += c));
      const busyCode = await new Promise((r) => busy.on('close', r));
      assert.equal(busyCode, 2);
      assert.equal(busyErr, `mapcoder-lite listen: port ${port} is held by another MapCoder-Lite listener (another VS Code window or \`mapcoder-lite listen\`); pass --port\n`);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await new Promise((r) => child.on('close', r)), 130);
  });
});
