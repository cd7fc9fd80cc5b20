import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli';
import { roleEndpoints } from '../../../src/cli/distill-roles';
import { AGENTS } from '../../../src/core/types';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { confidenceReply, CORRECT, fenced, mapcoderHandler, planReply, retrievalReply } from '../helpers/mapcoder-script';

const ROOT = resolve(__dirname, '..', '..', '..');
const SUM = join(ROOT, 'test/fixtures/problems/sum.md');
const SUM_PY = join(ROOT, 'test/fixtures/problems/sum.py');

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (d) => (chunks.out += d));
  err.on('data', (d) => (chunks.err += d));
  // In place: os.tmpdir() and other native readers see only the real process.env, never a copy.
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await main(args, out, err, new AbortController().signal);
    return { code, ...chunks };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('CLI', function () {
  this.timeout(30000);
  let server: ScriptedServer;
  let dir: string;
  /** The bundle some cases run as the installed command does; npm test builds it first, a bare mocha run may not have. */
  const bundle = join(ROOT, 'dist/cli.js');
  before(async () => {
    server = await startScriptedServer({ models: [...AGENTS] });
    dir = mkdtempSync(join(tmpdir(), 'mcl-cli-'));
    if (!existsSync(bundle)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('samples: lists the samples and limits of a statement', async () => {
    const r = await cli(['samples', SUM]);
    assert.equal(r.code, 0);
    assert.match(r.out, /Sum of Two/);
    assert.match(r.out, /time 1 s/);
    assert.match(r.out, /sample 2 output\n12/);
    assert.match(r.out, /2 sample tests found/);
    const j = await cli(['samples', SUM, '--json']);
    assert.deepEqual(JSON.parse(j.out).samples, [{ input: '1 2\n', outputs: ['3\n'] }, { input: '5 7\n', outputs: ['12\n'] }]);
  });

  it('one-line errors and exit 2 on bad input', async () => {
    const missing = await cli(['samples', join(dir, 'nope.md')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^mapcoder-lite samples: Cannot read .*nope\.md: no such file\n$/);
    const noSamples = join(dir, 'empty.md');
    writeFileSync(noSamples, '# A problem\n\nPrint the answer to everything.\n');
    const r = await cli(['solve', noSamples]);
    assert.equal(r.code, 2);
    assert.match(r.err, /No sample tests found/);
    const lang = await cli(['solve', SUM, '--lang', 'cobol']);
    assert.equal(lang.code, 2);
    assert.match(lang.err, /Unknown language "cobol"/);
    assert.equal((await cli(['frobnicate'])).code, 2);
    assert.equal((await cli(['solve', SUM, '--k', 'zero'])).code, 2);
  });

  it('first mistakes: one line each, pointing to --help where the call was misspelt', async () => {
    const unknown = await cli(['solve', SUM, '--frob']);
    assert.deepEqual([unknown.code, unknown.err], [2, 'mapcoder-lite solve: unknown option --frob; see "mapcoder-lite solve --help"\n']);
    const noValue = await cli(['solve', SUM, '--k']);
    assert.deepEqual([noValue.code, noValue.err], [2, 'mapcoder-lite solve: --k needs a value; see "mapcoder-lite solve --help"\n']);
    const noScheme = await cli(['check', '--endpoint', 'localhost:8000']);
    assert.deepEqual([noScheme.code, noScheme.err], [2, 'mapcoder-lite check: --endpoint "localhost:8000" has no scheme: add http:// (http://localhost:8000)\n']);
    assert.match((await cli(['check', '--endpoint', 'ftp://x/v1'])).err, /use http:\/\/ or https:\/\/, not ftp:\/\//);
    const empty = join(dir, 'nothing.md');
    writeFileSync(empty, 'Print 42.\n');
    const samples = await cli(['samples', empty]);
    assert.equal(samples.code, 2, 'samples and solve agree: no samples is a usage error');
    assert.match(samples.err, /^mapcoder-lite samples: No sample tests found in .*nothing\.md\. Samples are read from: .*Competitive Companion JSON.*\n$/);
    assert.equal(samples.err.split('\n').length, 2, 'one line');
    assert.match((await cli(['solve', '--help'])).out, /llamacpp :8080\/v1, ollama :11434/);
    const version = await cli(['--version']);
    assert.deepEqual([version.code, version.out], [0, `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`]);
  });

  it('judge: a verdict table; exit 0 only when all samples pass', async () => {
    const ok = await cli(['judge', SUM, SUM_PY]);
    assert.equal(ok.code, 0);
    assert.match(ok.out, /#1 +AC/);
    assert.match(ok.out, /2\/2 passed, verdict AC/);
    assert.match(ok.out, /^Programs run (isolated|under resource limits only|with a time limit only)/m, 'says how far programs are contained');
    const wrong = join(dir, 'wrong.py');
    writeFileSync(wrong, 'print(0)\n');
    const bad = await cli(['judge', SUM, wrong, '--json']);
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.out).verdict, 'WA');
  });

  it('judge and solve use the tests of yours in <name>.tests.md beside the statement, after its samples', async () => {
    const statement = join(dir, 'own.md');
    writeFileSync(statement, readFileSync(SUM, 'utf8'));
    writeFileSync(join(dir, 'own.tests.md'), '# Tests\n\n## Test 1\n\n```input\n-5 5\n```\n\n```output\n0\n```\n');
    const r = await cli(['judge', statement, SUM_PY]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /3\/3 passed, verdict AC/);
    assert.match(r.err, /^Samples and 1 test of yours from .*own\.tests\.md\.$/m);
    const wrong = join(dir, 'own-wrong.py');
    writeFileSync(wrong, 'a, b = map(int, input().split())\nprint(a + b if a > 0 else 1)\n');
    const bad = await cli(['judge', statement, wrong, '--json']);
    assert.deepEqual(JSON.parse(bad.out).tests.map((t: { verdict: string }) => t.verdict), ['AC', 'AC', 'WA']);
  });

  it('judge: checkers beside the statement or by --checker, an interactive problem refused without an interactor', async () => {
    const V = join(ROOT, 'test/fixtures/verdicts');
    assert.match((await cli(['samples', join(V, 'pair.md')])).out, /^judging: any valid answer accepted$/m);
    assert.match((await cli(['samples', join(V, 'guess.md')])).out, /^judging: interactive$/m);
    const checked = await cli(['judge', join(V, 'pair.md'), join(V, 'half.py')]);
    assert.equal(checked.code, 0, checked.out + checked.err);
    assert.match(checked.out, /#1 +AC .*ok 2 \+ 3 = 5/);
    const tokens = await cli(['judge', join(V, 'pair.md'), join(V, 'half.py'), '--checker', 'tokens', '--json']);
    assert.equal(tokens.code, 1);
    assert.deepEqual(JSON.parse(tokens.out).tests.map((t: { verdict: string }) => t.verdict), ['WA', 'AC']);
    const bad = await cli(['judge', join(V, 'pair.md'), join(V, 'half.py'), '--checker', 'floats:x']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err.split('\n').length, 2, 'one line');
    // An interactive problem copied without its interactor.
    const guess = join(dir, 'guess.md');
    writeFileSync(guess, readFileSync(join(V, 'guess.md'), 'utf8'));
    const refused = await cli(['judge', guess, join(V, 'binary.py')]);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /^mapcoder-lite judge: This is an interactive problem: .*guess\.interactor\.cpp \(or \.py\) beside guess\.md, or --interactor FILE\n$/);
    const solveRefused = await cli(['solve', guess, '--endpoint', server.url]);
    assert.equal(solveRefused.code, 2);
    assert.match(solveRefused.err, /interactive problem/);
    const withInteractor = await cli(['judge', guess, join(V, 'binary.py'), '--interactor', join(V, 'guess.interactor.py')]);
    assert.equal(withInteractor.code, 0, withInteractor.out);
  });

  it('solve: an any-answer problem whose program prints another answer and no checker can be trusted: status unverified, exit 1', async () => {
    const V = join(ROOT, 'test/fixtures/verdicts');
    const statement = join(dir, 'pair.md');
    writeFileSync(statement, readFileSync(join(V, 'pair.md'), 'utf8')); // without its checker
    // The coding adapter answers the checker calls with the program itself: no checker it could trust.
    server.setHandler(mapcoderHandler({ retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(70)], coding: [fenced(readFileSync(join(V, 'half.py'), 'utf8'))] }));
    const r = await cli(['solve', statement, '--endpoint', server.url, '--k', '1', '--stress', 'off', '--json']);
    assert.equal(r.code, 1, r.err);
    const summary = JSON.parse(r.out);
    assert.equal(summary.status, 'unverified');
    assert.equal(summary.agents.debugging.calls, 0);
    assert.match(summary.message, /unverified/);
  });

  it('solve: writes the program to --out and a JSON summary', async () => {
    server.setHandler(mapcoderHandler({ retrieval: [retrievalReply(2)], plans: [planReply(0), planReply(1)], confidences: [confidenceReply(70)], coding: [fenced(CORRECT)] }));
    const out = join(dir, 'sum-out.py');
    const r = await cli(['solve', SUM, '--endpoint', server.url, '--k', '2', '--out', out, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(readFileSync(out, 'utf8'), CORRECT);
    const summary = JSON.parse(r.out);
    assert.equal(summary.status, 'passed');
    assert.equal(summary.passed, 2);
    assert.equal(summary.agents.planning.calls, 4);
    assert.deepEqual(summary.formatFailures, { retrieval: 0, planning: 0, coding: 0, debugging: 0 });
    assert.match(r.err, /retrieval: \d+ tokens/);
    assert.match(r.err, /Passed all 2 sample tests/);
  });

  it('solve: a plan too long for the slot is clipped before each prompt that quotes it is sent, said in one line, never as a failure', async () => {
    const small = await startScriptedServer({ llamacpp: true, contextTokens: 2048, charsPerToken: 3, models: [...AGENTS] });
    try {
      const long = { text: `${'Add the two numbers carefully. '.repeat(250)}(PLAN1)` };
      small.setHandler(mapcoderHandler({ retrieval: [retrievalReply(1)], plans: [long], confidences: [confidenceReply(70)], coding: [fenced(CORRECT)] }));
      const r = await cli(['solve', SUM, '--backend', 'llamacpp', '--endpoint', small.url, '--k', '1', '--stress', 'off', '--out', join(dir, 'clip-out.py')]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /^ {2}confidence #1: clipped the quoted plan to fit the 2048-token context$/m);
      assert.match(r.err, /^ {2}coding plan #1: clipped the quoted plan to fit the 2048-token context$/m);
      assert.doesNotMatch(r.err, /failed|\[attempt/);
      assert.ok(small.requests.every((q) => q.body.max_tokens >= 512), 'each reply keeps a quarter of the slot');
    } finally {
      await small.close();
    }
  });

  it('solve: speculative plans on by default with vLLM, off with --no-speculate or another backend', async () => {
    const codingRequests = async (...flags: string[]) => {
      let coding = 0;
      const reply = mapcoderHandler({ retrieval: [retrievalReply(2)], plans: [planReply(0), planReply(1)], confidences: [confidenceReply(70)], coding: [fenced(CORRECT)] });
      server.setHandler((req, i) => ((coding += Number((req.adapter ?? req.model) === 'coding')), reply(req, i)));
      const r = await cli(['solve', SUM, '--endpoint', server.url, '--k', '2', '--stress', 'off', '--out', join(dir, 'spec-out.py'), ...flags]);
      assert.equal(r.code, 0, r.err);
      return coding;
    };
    // Both plans get a program at once when speculating; one after the other, the first one passes.
    assert.equal(await codingRequests(), 2);
    assert.equal(await codingRequests('--no-speculate'), 1);
    assert.equal(await codingRequests('--backend', 'openai'), 1);
    assert.equal(await codingRequests('--backend', 'openai', '--speculate'), 2);
    const both = await cli(['solve', SUM, '--speculate', '--no-speculate']);
    assert.equal(both.code, 2);
    assert.match(both.err, /contradict/);
  });

  it('solve: stress tests on by default (two more coding calls), --stress off for samples only, bad values one line', async () => {
    let coding = 0;
    const reply = mapcoderHandler({ retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(70)], coding: [fenced(CORRECT)] });
    server.setHandler((req, i) => ((coding += Number((req.adapter ?? req.model) === 'coding')), reply(req, i)));
    const summary = async (...flags: string[]) => {
      coding = 0;
      const r = await cli(['solve', SUM, '--endpoint', server.url, '--k', '1', '--json', '--out', join(dir, 'stress-out.py'), ...flags]);
      assert.equal(r.code, 0, r.err);
      return { json: JSON.parse(r.out), coding, err: r.err };
    };
    // The scripted coding adapter answers every call with the solution: as a brute force it passes the
    // samples (trusted); as a generator it reads no input and fails, so there is nothing to stress with.
    const on = await summary();
    assert.equal(on.coding, 3);
    assert.deepEqual([on.json.stress.status, on.json.stress.tests], ['no-inputs', 0]);
    assert.match(on.json.message, /samples only \(the generator gave no usable input\)/);
    assert.match(on.err, /stress tests: skipped: the generator gave no usable input/);
    const off = await summary('--stress', 'off');
    assert.deepEqual([off.coding, off.json.stress], [1, undefined]);
    const bad = await cli(['solve', SUM, '--stress', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^mapcoder-lite solve: --stress must be off or a number of inputs from 0 to 1000 \(got "lots"\)/);
    const noLang = await cli(['solve', SUM, '--brute', join(dir, 'brute.txt')]);
    assert.equal(noLang.code, 2);
    assert.match(noLang.err, /--brute .*brute\.txt: the file's extension names no language/);
  });

  it('solve: exit 3 and one sentence when nothing listens', async () => {
    const down = await startScriptedServer();
    const url = down.url;
    await down.close();
    const r = await cli(['solve', SUM, '--endpoint', url]);
    assert.equal(r.code, 3);
    assert.equal(r.err.split('\n').filter((l) => /listening/.test(l)).length, 1, r.err);
    assert.match(r.err, /Stopped: see the failure above/);
  });

  it('check: when nothing answers, names the servers found on the usual ports and how to use them', async () => {
    const down = await startScriptedServer();
    const url = down.url;
    await down.close();
    const llama = await startScriptedServer({ llamacpp: true });
    try {
      const port = new URL(llama.url).port;
      const r = await cli(['check', '--endpoint', url, '--scan', `${new URL(url).port},${port}`]);
      assert.equal(r.code, 3, 'the configured endpoint still does not answer');
      assert.match(r.out, new RegExp(`Found on this machine:\\n  llama\\.cpp at ${llama.url}: Ready: all four agents have their adapter on the server\\.\\n    use it: --endpoint ${llama.url} --backend llamacpp\\n`));
      const none = await cli(['check', '--endpoint', url, '--scan', new URL(url).port]);
      assert.match(none.out, /Nothing answers on this machine's ports \d+ either: start your model server, or pass --endpoint\./);
      assert.doesNotMatch((await cli(['check', '--endpoint', url, '--scan', 'off'])).out, /Found|Nothing answers on this/);
      assert.match((await cli(['check', '--scan', '80,x'])).err, /--scan takes ports like 8000,8080 or "off", not "80,x"/);
    } finally {
      await llama.close();
    }
  });

  it('solve: a time-out names the CLI flag that raises it, not an editor setting', async () => {
    const slow = await startScriptedServer({ handler: () => ({ text: 'late', firstByteDelayMs: 2500 }) });
    try {
      const r = await cli(['solve', SUM, '--endpoint', slow.url, '--idle-timeout', '1', '--no-speculate']);
      assert.equal(r.code, 3);
      assert.match(r.err, /idle time-out; raise --idle-timeout\)/);
      assert.doesNotMatch(r.err, /mapcoderLite\./);
    } finally {
      await slow.close();
    }
  });

  it('refuses a named pipe or a folder as a file, at once, in one line', async () => {
    const fifo = join(dir, 'statement.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const args of [['samples', fifo], ['judge', SUM, fifo], ['solve', dir]]) {
      const r = await cli(args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /is (a named pipe \(FIFO\)|a folder), not a file/);
      assert.equal(r.err.split('\n').length, 2);
    }
  });

  it('rejects time-outs past what a timer can hold, every flag that becomes one, in one line', async () => {
    const limit = 'must be at most 2147483 seconds (24.8 days, the longest a timer can wait)';
    for (const [command, flag] of [['solve', '--request-timeout'], ['solve', '--idle-timeout'], ['check', '--idle-timeout']]) {
      const r = await cli(command === 'solve' ? [command, SUM, flag, '2147484'] : [command, flag, '2147484']);
      assert.deepEqual([r.code, r.err], [2, `mapcoder-lite ${command}: ${flag} ${limit} (got "2147484")\n`]);
    }
    // distill's per-role flags are read by the same function, named with their role.
    assert.throws(() => roleEndpoints({ 'teacher-idle-timeout': '2147484' }, 'teacher', {}), { message: `--teacher-idle-timeout ${limit} (got "2147484")` });
    const r = await cli(['solve', SUM, '--request-timeout', '2147483', '--idle-timeout', '0']);
    assert.deepEqual([r.code, r.err], [2, 'mapcoder-lite solve: --idle-timeout must be an integer >= 1 (got "0")\n']);
  });

  it('--out is written whole: four solves into one file, a reader never sees a part', async () => {
    server.setHandler(mapcoderHandler({ retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(70)], coding: [fenced(CORRECT)] }));
    const target = join(dir, 'shared-out.py');
    let reading = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (reading) {
        try {
          seen.add(readFileSync(target, 'utf8'));
        } catch {
          // not there yet
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const runs = await Promise.all([0, 1, 2, 3].map(() => cli(['solve', SUM, '--endpoint', server.url, '--out', target, '--no-speculate'])));
    reading = false;
    await reader;
    assert.deepEqual(runs.map((r) => r.code), [0, 0, 0, 0]);
    assert.deepEqual([...seen], [`${CORRECT.trimEnd()}\n`]);
  });

  for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
    it(`${signal} ends a run like Ctrl-C: exit 130, the judged program killed`, async () => {
      const slow = join(dir, `slow-${signal}.md`);
      writeFileSync(slow, '# Slow\n\ntime limit per test: 60 seconds\n\n## Input\n\n```input\n1\n```\n\n## Output\n\n```output\n1\n```\n');
      const mark = `${4000 + (signal === 'SIGHUP' ? 1 : 2)}.25`;
      const prog = join(dir, `sleeper-${signal}.py`);
      writeFileSync(prog, `import os\nos.execvp('sleep', ['sleep', '${mark}'])\n`);
      const child = execFile(process.execPath, [bundle, 'judge', slow, prog]);
      const sleeping = () => execFileSync('ps', ['-eo', 'args']).toString().split('\n').some((l) => l.trim() === `sleep ${mark}`);
      for (let i = 0; i < 100 && !sleeping(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(sleeping(), 'the program runs');
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill(signal);
      assert.equal(await exited, 130);
      for (let i = 0; i < 50 && sleeping(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(sleeping(), false, 'nothing of the run is left');
    });
  }

  it('terminal escapes from servers and programs arrive escaped, never raw', async () => {
    const evil = '\x1b]0;pwned\x07\x1b[2J\u202e';
    const raw = /[\x07\x1b\u202e]/;
    const hostile = await startScriptedServer({ models: [`m${evil}`], handler: () => ({ status: 400, text: `bad${evil}` }) });
    try {
      const check = await cli(['check', '--endpoint', hostile.url]);
      assert.match(check.out, /m\\x1b\]0;pwned\\x07/);
      const solve = await cli(['solve', SUM, '--endpoint', hostile.url, '--model', `m${evil}`]);
      assert.match(solve.err, /bad\\x1b/);
      const prog = join(dir, 'evil.py');
      writeFileSync(prog, `print(${JSON.stringify(evil)})\n`);
      const judged = await cli(['judge', SUM, prog]);
      for (const text of [check.out, check.err, solve.out, solve.err, judged.out, judged.err]) assert.doesNotMatch(text, raw);
      assert.match(judged.out, /\\x1b\]0;pwned/);
    } finally {
      await hostile.close();
    }
  });

  it('check: per-agent availability; exit 3 when an adapter is missing', async () => {
    const ok = await cli(['check', '--endpoint', server.url]);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /ok +coding/);
    server.setModels(['base', 'retrieval', 'planning', 'coding']);
    const missing = await cli(['check', '--endpoint', server.url]);
    server.setModels([...AGENTS]);
    assert.equal(missing.code, 3);
    assert.match(missing.out, /MISSING debugging/);
  });

  it('the bundled dist/cli.js runs as the mapcoder-lite command', async () => {
    const r = await new Promise<{ code: number | null; out: string }>((res) => {
      execFile(process.execPath, [bundle, 'samples', SUM], (e, out) => res({ code: e ? (e as NodeJS.ErrnoException & { code: number }).code : 0, out }));
    });
    assert.equal(r.code, 0);
    assert.match(r.out, /2 sample tests found/);
  });

  it('samples FILE | head -1: a reader that stops early ends it quietly, no EPIPE stack trace', async () => {
    const big = join(dir, 'many.md');
    writeFileSync(big, `# Many\n\n${Array.from({ length: 20000 }, (_, i) => `## Input\n\`\`\`\n${i}\n\`\`\`\n## Output\n\`\`\`\n${i}\n\`\`\`\n`).join('')}`);
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'src/cli.ts'), 'samples', big], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy()); // as `head -1` does after its line
    const code = await new Promise<number | null>((res) => child.on('close', res));
    assert.doesNotMatch(err, /EPIPE|at .*\(/, err);
    assert.equal(code, 0);
  });
});
