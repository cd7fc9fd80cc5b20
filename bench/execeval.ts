// Throughput of the real ExecEval (test/execeval/real-execeval.ts starts it) with 1 and 2 gunicorn
// workers: HumanEval's 164 reference solutions (function-style, one unittest each) and APPS's first 20 stdio
// problems (their test_list), judged with as many jobs at once as workers.
// Run: npx tsx bench/execeval.ts [--data DIR] (the fetched benchmarks; default as eval's).
import { defaultDataDir, loadDataset } from '../src/eval/datasets';
import { ExecEvalJudge } from '../src/eval/judge/execeval';
import { runPool } from '../src/eval/pool';
import { canonicalCases } from '../src/eval/verify-canonical';
import { startRealExecEval } from '../test/execeval/real-execeval';

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

async function main(): Promise<void> {
  const data = flag('data', defaultDataDir());
  const human = canonicalCases('humaneval', data);
  // APPS stdio problems, judged with a program that reads its input and prints nothing useful: every test runs
  const stdio = loadDataset('apps', data).problems.filter((p) => p.hidden.kind === 'stdio').slice(0, 20);
  for (const workers of [1, 2]) {
    const server = await startRealExecEval(workers);
    try {
      const judge = new ExecEvalJudge([server.url], { concurrency: workers });
      await judge.ready('python3');
      let t = Date.now();
      await runPool(human, workers, async (c) => void (await judge.judgeHidden(c.code, 'python3', c.ep)));
      const he = (Date.now() - t) / 1000;
      t = Date.now();
      let tests = 0;
      await runPool(stdio, workers, async (p) => {
        const r = await judge.judgeHidden('import sys\nsys.stdin.read()\nprint(0)\n', 'python3', p);
        tests += r.total;
      });
      const apps = (Date.now() - t) / 1000;
      process.stdout.write(`${workers} worker(s): HumanEval 164 references ${he.toFixed(1)} s (${(164 / he).toFixed(2)} problems/s); APPS ${stdio.length} stdio problems, ${tests} tests, ${apps.toFixed(1)} s (${(tests / apps).toFixed(1)} tests/s)\n`);
    } finally {
      await server.close();
    }
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
