import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evalCommand } from '../../../src/cli/eval';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { fenced } from '../helpers/mapcoder-script';
import { runCommand } from '../helpers/streams';

// Evaluation that outgrows one run: shards merged into one table, several endpoints, a run killed
// halfway and resumed, the progress line. Direct mode on a scripted endpoint that always answers
// a + b: the "sum" problems are solved, the "product" ones not.

const ROOT = resolve(__dirname, '../../..');
const passTable = (report: string) => report.split('\n## Details')[0];

describe('eval at scale: shards, merge, endpoints, resume after a kill', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;
  let a: ScriptedServer;
  let b: ScriptedServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eval-scale-'));
    file = join(dir, 'ops.jsonl');
    const item = (i: number) => {
      const sum = i % 3 !== 2;
      const [x, y] = [i + 2, i + 5];
      return { id: `p${i}`, statement: sum ? 'Print a + b.' : 'Print a * b.', samples: [{ input: '1 2\n', outputs: [sum ? '3\n' : '2\n'] }], hidden_tests: [{ input: `${x} ${y}\n`, outputs: [`${sum ? x + y : x * y}\n`] }] };
    };
    writeFileSync(file, Array.from({ length: 6 }, (_, i) => JSON.stringify(item(i))).join('\n') + '\n');
    const handler = () => ({ ...fenced('a, b = map(int, input().split())\nprint(a + b)\n'), firstByteDelayMs: 150 });
    [a, b] = await Promise.all([startScriptedServer({ handler }), startScriptedServer({ handler })]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (argv: string[]) => runCommand(evalCommand, argv);
  const base = (out: string, endpoint = a.url) => ['--dataset', file, '--mode', 'direct', '--model', 'base', '--endpoint', endpoint, '--out', join(dir, out), '--concurrency', '2'];

  it('one run: progress with pass@1 so far and an ETA, problems spread over two endpoints', async () => {
    const before = [a.requests.length, b.requests.length];
    const r = await run(base('whole', `${a.url},${b.url}`));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /\[1\/6\] ops p\d direct: .*; pass@1 so far (100\.0|0\.0) % \((1|0)\/1 this run\), ETA \d+ (s|min|h)/);
    assert.match(r.err, /\[6\/6\] .*; pass@1 so far 66\.7 % \(4\/6 this run\)\n/);
    assert.match(r.out, /\| Direct \(ours\) — base \| \*\*66\.7\*\* \(4\/6\) \|/);
    const used = [a.requests.length - before[0], b.requests.length - before[1]];
    assert.ok(used[0] >= 2 && used[1] >= 2, `requests per endpoint: ${used.join(' / ')}`);
  });

  it('two shards merge to the same table as one run', async () => {
    const one = await run([...base('s1'), '--shard', '1/2']);
    const two = await run([...base('s2'), '--shard', '2/2']);
    assert.equal(one.code + two.code, 0, one.err + two.err);
    assert.match(one.out, /\(2\/3\)/);
    const ids = (d: string) => readFileSync(join(dir, d, 'ops.direct.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id).sort();
    assert.deepEqual([ids('s1'), ids('s2')], [['p0', 'p2', 'p4'], ['p1', 'p3', 'p5']], 'problems i, i+n, ... of the file');
    const merged = await run(['merge', join(dir, 's1'), join(dir, 's2'), '--out', join(dir, 'merged')]);
    assert.equal(merged.code, 0);
    assert.match(merged.out, /Merged ops\.direct \(6 problems\)/);
    assert.equal(passTable(readFileSync(join(dir, 'merged', 'report.md'), 'utf8')), passTable(readFileSync(join(dir, 'whole', 'report.md'), 'utf8')));
    await assert.rejects(run(['merge', join(dir, 's1'), join(dir, 'whole'), '--out', join(dir, 'm2')]), /problem p\d is in both .* with different results \(overlapping shards\?\)/);
    await assert.rejects(run([...base('bad'), '--shard', '3/2']), /--shard takes I\/N with 1 <= I <= N/);
  });

  it('a run killed halfway resumes to the same report', async () => {
    const out = join(dir, 'killed');
    const argv = [...base('killed'), '--concurrency', '1'];
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'eval', ...argv], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    await new Promise<void>((done) => {
      child.stderr.on('data', (c: Buffer) => {
        err += c;
        if (/\[2\/6\]/.test(err) && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => done());
    });
    assert.equal(child.signalCode, 'SIGKILL', err);
    const kept = readFileSync(join(out, 'ops.direct.jsonl'), 'utf8').trim().split('\n').length;
    assert.ok(kept >= 2 && kept < 6, `${kept} records before the kill`);
    const r = await run(argv);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`${kept} results were already in`));
    assert.equal(readFileSync(join(out, 'ops.direct.jsonl'), 'utf8').trim().split('\n').length, 6, 'one line per problem');
    assert.equal(passTable(readFileSync(join(out, 'report.md'), 'utf8')), passTable(readFileSync(join(dir, 'whole', 'report.md'), 'utf8')));
  });
});
