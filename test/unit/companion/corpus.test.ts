import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { ProblemSaver, type SavedProblem } from '../../../src/core/companion/files';
import { holderText, portHolder } from '../../../src/core/companion/holder';
import { listenForCompanion, type CompanionListener } from '../../../src/core/companion/listener';
import { COMPANION_PORT, COMPANION_TOOL_PORTS } from '../../../src/core/companion/port';
import { samplesCommand } from '../../../src/cli/samples';
import type { Problem } from '../../../src/core/types';
import { contestBatch, HOSTILE, PROBLEMS, type Payload } from '../../fixtures/companion/payloads';
import { sendAsCompanion } from '../../fixtures/companion/send';
import { freePort } from '../../fixtures/net';

const ROOT = resolve(__dirname, '..', '..', '..');

/** `mapcoder-lite samples FILE --json`, in process: its exit code and the Problem it printed. */
async function samplesJson(file: string): Promise<{ code: number; problem: Problem }> {
  let text = '';
  const out = new Writable({ write(c, _e, cb) { text += String(c); cb(); } });
  const code = await samplesCommand([file, '--json'], out);
  return { code, problem: JSON.parse(text) as Problem };
}

/** What the saved file must give back for a payload: every byte of every test, and the page's facts. */
function expected(p: Payload) {
  const file = (io: Payload['input'] | Payload['output']) => (io.type === 'file' ? io.fileName : undefined);
  const io = { ...(file(p.input) ? { input: file(p.input) } : {}), ...(file(p.output) ? { output: file(p.output) } : {}) };
  return {
    title: p.name.trim(), url: p.url, timeLimitMs: p.timeLimit, memoryLimitMb: p.memoryLimit,
    interactive: p.interactive || undefined, io: Object.keys(io).length ? io : undefined, javaClass: p.languages.java.taskClass,
    samples: p.tests.map((t) => ({ input: t.input, outputs: [t.output] })),
  };
}

const got = (q: Problem) => ({
  title: q.title, url: q.url, timeLimitMs: q.timeLimitMs, memoryLimitMb: q.memoryLimitMb,
  interactive: q.interactive, io: q.io, javaClass: q.javaClass, samples: q.samples,
});

describe('Competitive Companion corpus: payloads of 14 judges, a contest batch and hostile page text, round trip byte for byte', function () {
  this.timeout(60_000);
  let dir: string;
  let listener: CompanionListener | undefined;
  let saved: SavedProblem[];
  let port: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-corpus-'));
    saved = [];
    const saver = new ProblemSaver();
    listener = await listenForCompanion({ port: await freePort(), onTask: async (t) => {
      const s = await saver.save(dir, t, 'cpp');
      saved.push(s);
      return s.status;
    } });
    port = listener.port;
  });
  afterEach(async () => {
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listen -> saved file -> samples --json gives back every test byte for byte and the name, URL, limits, interactive flag, I/O files and Java class', async () => {
    const all = [...PROBLEMS, ...contestBatch(), ...HOSTILE];
    assert.ok(new Set(PROBLEMS.map((p) => p.group.split(' - ')[0])).size >= 8, 'at least 8 judges');
    for (const p of all) assert.deepEqual(await sendAsCompanion(port, JSON.stringify(p)), { status: 200, text: 'saved\n' }, p.name);
    assert.equal(new Set(saved.map((s) => s.statement)).size, all.length, 'every problem has its own file');
    for (const [i, p] of all.entries()) {
      const { code, problem } = await samplesJson(saved[i].statement);
      assert.deepEqual(got(problem), expected(p), `${p.name}: ${saved[i].statement}`);
      assert.equal(code, p.tests.length ? 0 : 2);
    }
    const tricky = all.flatMap((p) => p.tests).filter((t) => / \n|^\n|\n\n/.test(t.input + t.output) || t.output === '' || t.output === '\n');
    assert.ok(tricky.length >= 6, `${tricky.length} tests with trailing spaces, blank lines or empty outputs`);
  });

  it('a contest batch lands in one folder; page text stays data (no injected sample, no limits from the group, a title "Output", fences that hold fences)', async () => {
    for (const p of [...contestBatch(), ...HOSTILE]) await sendAsCompanion(port, JSON.stringify(p));
    const batchDirs = new Set(saved.slice(0, 3).map((s) => s.dir));
    assert.deepEqual([...batchDirs], [join(dir, 'AtCoder - AtCoder Beginner Contest 402')]);
    assert.deepEqual(readdirSync([...batchDirs][0]).sort(), ['A - Fizz.cpp', 'A - Fizz.md', 'B - Buzz.cpp', 'B - Buzz.md', 'C - FizzBuzz.cpp', 'C - FizzBuzz.md']);
    const [injected, limits, output, fences, dots, dots3] = await Promise.all(saved.slice(3, 9).map(async (s) => (await samplesJson(s.statement)).problem));
    assert.deepEqual(injected.samples, [{ input: '5\n', outputs: ['25\n'] }]);
    assert.deepEqual([limits.timeLimitMs, limits.memoryLimitMb], [1000, 256]);
    assert.equal(output.title, 'Output');
    assert.deepEqual(fences.samples, [{ input: '```\n~~~~\n````` x\n', outputs: ['```output\n~~~\n'] }]);
    assert.deepEqual([dots.title, dots3.title, dirname(saved[7].statement) === dirname(saved[8].statement)], ['..', '...', true]);
    const html = readFileSync(saved[9].statement, 'utf8');
    assert.match(html, /^# \\<img src=x onerror=alert\(1\)\\> \\\*bold\\\* \\\[link\\\]\(http:\/\/x\)$/m);
  });

  it('a re-send refreshes the tests and limits (Library Checker 5000 -> 2000 ms) and answers "updated"; the CLI prints the same JSON', async () => {
    const lc = PROBLEMS.find((p) => p.group === 'Library Checker')!;
    await sendAsCompanion(port, JSON.stringify(lc));
    const changed = { ...lc, timeLimit: 2000, tests: [...lc.tests, { input: '1 1\n7\n0 1\n', output: '7\n' }] };
    assert.deepEqual(await sendAsCompanion(port, JSON.stringify(changed)), { status: 200, text: 'updated\n' });
    assert.equal(saved[0].statement, saved[1].statement);
    const { problem } = await samplesJson(saved[1].statement);
    assert.deepEqual(got(problem), expected(changed));
    const cli = spawnSync('node', [join(ROOT, 'dist/cli.js'), 'samples', saved[1].statement, '--json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), problem);
  });

  describe('beside cph', () => {
    let cph: Server | undefined;
    afterEach(() => new Promise<void>((r) => (cph ? cph.close(() => r()) : r())));

    it('cph on 27121 and ours on its own port both get every problem Companion sends; ours on cph\'s port says who holds it', async () => {
      const cphBodies: string[] = [];
      // cph's listener: any POST's body is a problem (it checks nothing)
      cph = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => { cphBodies.push(body); res.end('{"empty":true}'); });
      });
      const cphPort = await new Promise<number>((r, reject) => {
        cph!.once('error', reject);
        cph!.listen(27121, '127.0.0.1', () => r(27121));
      }).catch(async () => {
        // 27121 taken on this machine (a real cph?): the same check on a port of its own
        const p = await freePort();
        await new Promise<void>((r) => cph!.listen(p, '127.0.0.1', r));
        return p;
      });
      assert.ok(!COMPANION_TOOL_PORTS.has(COMPANION_PORT), 'our default is none of Companion\'s built-in ports');
      const all = [...PROBLEMS, ...contestBatch()];
      // Companion posts each problem to every port it knows, one after another
      for (const p of all) for (const to of [cphPort, port]) assert.equal((await sendAsCompanion(to, JSON.stringify(p))).status, 200);
      assert.deepEqual(cphBodies.map((b) => (JSON.parse(b) as Payload).url), all.map((p) => p.url));
      assert.deepEqual(saved.map((s) => s.status), all.map(() => 'saved'));
      await assert.rejects(listenForCompanion({ port: cphPort, onTask: async () => undefined }), /EADDRINUSE/);
      const holder = await portHolder(cphPort);
      assert.deepEqual(holder, { kind: 'other', likely: 'Competitive Programming Helper (cph)' }, 'known by its answer on any port');
      assert.equal(holderText(cphPort, holder), `port ${cphPort} is held by another program, likely Competitive Programming Helper (cph); choose another port and add it to Competitive Companion's custom ports`);
      assert.deepEqual(await portHolder(port), { kind: 'ours' });
    });
  });
});
