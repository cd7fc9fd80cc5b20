import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli';
import { loadDataset, type EvalProblem } from '../../src/eval/datasets';
import { ExecEvalJudge } from '../../src/eval/judge/execeval';
import { LocalHiddenJudge } from '../../src/eval/judge/local';
import type { HiddenJudge } from '../../src/eval/judge/types';
import { runPool } from '../../src/eval/pool';
import { canonicalCases, type CanonicalCase } from '../../src/eval/verify-canonical';
import { startDataMirror, type DataMirror } from '../fixtures/data-mirror';
import { startScriptedServer } from '../fixtures/llm-server/server';
import { fenced } from '../unit/helpers/mapcoder-script';
import { startRealExecEval, type RealExecEval } from './real-execeval';
import { sink } from '../unit/helpers/streams';

// The real-ExecEval layer: the whole benchmarks fetched with `data fetch` from a loopback mirror of
// ../shared/data (MapCoder's files, checked against the pinned sha256), then judged on the real
// ExecEval started natively, beside the local judge. ../shared/data holds no unittest_db.json: the
// mirror serves one made here from each xCodeEval problem's samples (its shape, not its content).

const SHARED_DATA = process.env.MAPCODER_SHARED_DATA ?? resolve(__dirname, '../../../shared/data');

/** Verdicts of `cases` through `judge`, `n` at a time. */
async function verdicts(judge: HiddenJudge, cases: CanonicalCase[], n: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await runPool(cases, n, async (c) => void out.set(c.ep.id, (await judge.judgeHidden(c.code, 'python3', c.ep)).verdict));
  return out;
}

const tally = (m: Map<string, string>) => [...m.values()].reduce<Record<string, number>>((t, v) => ((t[v] = (t[v] ?? 0) + 1), t), {});

/** The entry point's body replaced by `return None`: a wrong answer for every task. */
function mutant(c: CanonicalCase): CanonicalCase {
  const name = c.ep.problem.style.kind === 'function' ? c.ep.problem.style.name : 'f';
  return { ep: c.ep, code: `${c.code}\n\ndef ${name}(*args, **kwargs):\n    return None\n` };
}

describe('the real ExecEval: the benchmarks fetched, judged as ExecEval judges', function () {
  this.timeout(900_000);
  let work: string;
  let data: string;
  let mirror: DataMirror;
  let server: RealExecEval;
  let execeval: ExecEvalJudge;
  let local: LocalHiddenJudge;
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'execeval-layer-'));
    data = join(work, 'data');
    const extra = join(work, 'mirror');
    mkdirSync(extra);
    const xs = readFileSync(join(SHARED_DATA, 'prog_syn_val.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { src_uid: string; sample_inputs: string[]; sample_outputs: string[] });
    writeFileSync(join(extra, 'unittest_db.json'), JSON.stringify(Object.fromEntries(xs.map((x) => [x.src_uid, x.sample_inputs.map((input, k) => ({ input, output: [x.sample_outputs[k]] }))]))));
    mirror = await startDataMirror([SHARED_DATA, extra]);
    server = await startRealExecEval(2);
    execeval = new ExecEvalJudge([server.url], { concurrency: 2 });
    local = new LocalHiddenJudge({ parallel: 2 });
  });
  after(async () => {
    if (failed || process.env.MAPCODER_EXECEVAL_LOG) console.log(server?.log().slice(-4000));
    await Promise.all([mirror?.close(), server?.close(), local?.dispose()]);
    rmSync(work, { recursive: true, force: true });
  });

  it('data fetch all from the mirror: every pinned file checks out, with the paper\'s problem counts', async () => {
    const err = sink();
    const saved = process.env.MAPCODER_DATA_URL;
    process.env.MAPCODER_DATA_URL = mirror.url;
    try {
      assert.equal(await main(['data', 'fetch', 'all', '--data', data], sink().s, err.s, new AbortController().signal), 0, err.text());
    } finally {
      if (saved === undefined) delete process.env.MAPCODER_DATA_URL;
      else process.env.MAPCODER_DATA_URL = saved;
    }
    assert.match(err.text(), /the hidden unit tests of all 106 xCodeEval problems/);
    const counts = Object.fromEntries(['apps', 'humaneval', 'humaneval-et', 'mbpp', 'xcodeeval'].map((n) => [n, loadDataset(n, data).problems.length]));
    assert.deepEqual(counts, { apps: 150, humaneval: 164, 'humaneval-et': 164, mbpp: 397, xcodeeval: 106 });
    const apps = loadDataset('apps', data).problems;
    assert.equal(apps.filter((p) => p.id.endsWith('#2')).length, 21);
    assert.equal(apps.filter((p) => p.problem.style.kind === 'function').length, 98);
  });

  it('answers its runtimes once; stdio Python and C++: AC, WA, TLE, CE as ExecEval says them', async () => {
    await execeval.ready('python3');
    await execeval.ready('cpp');
    const even = loadDataset('xcodeeval', data).problems.find((p) => p.id === '5e74750f44142624e6da41d4b35beb9a')!;
    const verdict = async (code: string, lang: 'python3' | 'cpp', ep: EvalProblem = even) => (await execeval.judgeHidden(code, lang, ep)).verdict;
    assert.equal(await verdict("n = int(input())\nprint('Mahmoud' if n % 2 == 0 else 'Ehab')\n", 'python3'), 'AC');
    assert.equal(await verdict('#include <cstdio>\nint main(){long long n;scanf("%lld",&n);puts(n%2==0?"Mahmoud":"Ehab");}\n', 'cpp'), 'AC');
    assert.equal(await verdict("input()\nprint('Ehab')\n", 'python3'), 'WA');
    assert.equal(await verdict('#include <cstdio>\nint main(){puts("Ehab");}\n', 'cpp'), 'WA');
    const quick = { ...even, problem: { ...even.problem, timeLimitMs: 1000 } };
    assert.equal(await verdict('while True: pass\n', 'python3', quick), 'TLE');
    assert.equal(await verdict('int main(){ volatile long x = 0; for(;;) x++; }\n', 'cpp', quick), 'TLE');
    const ce = await execeval.judgeHidden('int main() { return missing; }\n', 'cpp', even);
    assert.deepEqual(ce, { passed: 0, total: 2, verdict: 'CE' }, 'every test CE after a compile error');
    assert.equal(await verdict('print(\n', 'python3'), 'CE');
  });

  it('HumanEval: 164 reference solutions AC and their mutants WA, through ExecEval and the local judge alike', async () => {
    const cases = canonicalCases('humaneval', data);
    const started = Date.now();
    const onExec = await verdicts(execeval, cases, 2);
    const execSeconds = (Date.now() - started) / 1000;
    const onLocal = await verdicts(local, cases, 2);
    console.log(`      ExecEval ${JSON.stringify(tally(onExec))} in ${execSeconds.toFixed(1)} s, local ${JSON.stringify(tally(onLocal))}`);
    assert.deepEqual(tally(onExec), { AC: 164 });
    assert.deepEqual(tally(onLocal), { AC: 164 });
    const wrong = cases.map(mutant);
    const mExec = await verdicts(execeval, wrong, 2);
    const mLocal = await verdicts(local, wrong, 2);
    console.log(`      mutants: ExecEval ${JSON.stringify(tally(mExec))}, local ${JSON.stringify(tally(mLocal))}`);
    assert.equal(mExec.size, 164);
    assert.deepEqual([...mExec].filter(([, v]) => v === 'AC'), [], 'no mutant passes on ExecEval');
    assert.deepEqual([...mExec].filter(([id, v]) => mLocal.get(id) !== v), [], 'both judges give each mutant the same verdict');
  });

  it('eval --judge execeval: a run judged on the real ExecEval, its rules stated in the report', async () => {
    const llm = await startScriptedServer({ handler: () => fenced('a, b = map(int, input().split())\nprint(a + b)\n') });
    try {
      const file = join(work, 'ops.jsonl');
      const item = (id: string, op: string, want: (x: number, y: number) => number) => JSON.stringify({ id, statement: `Print a ${op} b.`, samples: [{ input: '1 2\n', outputs: [`${want(1, 2)}\n`] }], hidden_tests: [{ input: '4 5\n', outputs: [`${want(4, 5)}\n`] }, { input: '10 20\n', outputs: [`${want(10, 20)}\n`] }] });
      writeFileSync(file, `${item('sum', '+', (x, y) => x + y)}\n${item('product', '*', (x, y) => x * y)}\n`);
      const out = sink();
      const err = sink();
      const code = await main(['eval', '--dataset', file, '--mode', 'direct', '--model', 'base', '--endpoint', llm.url, '--judge', 'execeval', '--judge-url', server.url, '--judge-concurrency', '2', '--out', join(work, 'eval')], out.s, err.s, new AbortController().signal);
      assert.equal(code, 0, err.text());
      assert.match(out.text(), /\| Direct \(ours\) — base \| \*\*50\.0\*\* \(1\/2\) \|/);
      assert.match(out.text(), /- ExecEval \(its own rules, as MapCoder measured with it\)/);
    } finally {
      await llm.close();
    }
  });

  it('MBPP and HumanEval-ET reference solutions: AC on ExecEval (every 8th and every 40th task), function-style TLE, RE and CE told apart', async () => {
    // HumanEval-ET has about 110 asserts a task, each one ExecEval unittest (a Python start): 5 tasks
    for (const [set, every] of [['mbpp', 8], ['humaneval-et', 40]] as const) {
      const v = await verdicts(execeval, canonicalCases(set, data).filter((_, i) => i % every === 0), 2);
      console.log(`      ${set}: ${JSON.stringify(tally(v))} of ${v.size}`);
      assert.deepEqual([...v].filter(([, x]) => x !== 'AC'), []);
    }
    const ep = canonicalCases('humaneval', data)[0].ep;
    const verdict = async (code: string) => (await execeval.judgeHidden(code, 'python3', { ...ep, problem: { ...ep.problem, timeLimitMs: 1000 } })).verdict;
    assert.equal(await verdict('def has_close_elements(numbers, threshold):\n    while True: pass\n'), 'TLE');
    assert.equal(await verdict('def has_close_elements(numbers, threshold):\n    return 1 / 0\n'), 'RE');
    assert.equal(await verdict('def has_close_elements(numbers, threshold)\n    return True\n'), 'CE');
    assert.equal(await verdict('def has_close_elements(numbers, threshold):\n    exit(0)\n'), 'RE', 'exit() exists (ExecEval\'s -S removes it) and ends nothing but the test');
  });
});
