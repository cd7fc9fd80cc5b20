import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { loadDataset, type EvalProblem } from '../../../src/eval/datasets';
import { ExecEvalError, ExecEvalJudge } from '../../../src/eval/judge/execeval';
import { startFakeExecEval, type FakeExecEval } from '../../fixtures/eval/execeval-server';
import { dataDir, readJsonl } from '../helpers/data';

/** A URL nothing listens on (a port bound and released again). */
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

const SUM: EvalProblem = {
  id: 'sum', dataset: 'mine', hiddenAvailable: true,
  problem: { title: 'sum', statement: 'add', samples: [], asserts: [], style: { kind: 'stdio' }, timeLimitMs: 2000, memoryLimitMb: 256 },
  hidden: { kind: 'stdio', tests: [{ input: '1 2\n', outputs: ['3'] }, { input: '5 7\n', outputs: ['12'] }] },
};
const ADD = 'a, b = map(int, input().split())\nprint(a + b)\n';

describe('eval: ExecEval client against a fake ExecEval server', function () {
  this.timeout(20000);
  let a: FakeExecEval;
  let b: FakeExecEval;
  before(async () => {
    [a, b] = await Promise.all([startFakeExecEval(), startFakeExecEval()]);
  });
  after(async () => Promise.all([a.close(), b.close()]));
  beforeEach(() => {
    a.bodies.length = 0;
    b.bodies.length = 0;
  });

  it('sends ExecEval\'s request shape and reads its outcomes', async () => {
    const judge = new ExecEvalJudge([a.url]);
    assert.deepEqual(await judge.judgeHidden(ADD, 'python3', SUM), { passed: 2, total: 2, verdict: 'AC' });
    const body = a.bodies[0];
    assert.equal(body.language, 'Python 3');
    assert.equal(body.source_code, ADD);
    assert.deepEqual(body.unittests, [{ input: '1 2\n', output: ['3'] }, { input: '5 7\n', output: ['12'] }]);
    assert.deepEqual(body.limits, { nofile: 4, cpu: 2, _as: 256 * 1024 * 1024 });
    assert.equal(body.stop_on_first_fail, false);
    assert.equal(body.block_network, true);
    const wrong = await judge.judgeHidden(ADD.replace('a + b', 'a * b'), 'python3', SUM);
    assert.deepEqual(wrong, { passed: 0, total: 2, verdict: 'WA' });
    const crash = await judge.judgeHidden('raise SystemExit(3)\n', 'python3', SUM);
    assert.equal(crash.verdict, 'RE');
  });

  it('judges function-style tests through the harness, one unittest per snippet', async () => {
    const he = loadDataset('humaneval', dataDir()).problems.slice(0, 2);
    const judge = new ExecEvalJudge([a.url]);
    const raw = readJsonl<{ prompt: string; canonical_solution: string }>('HumanEvalWST.jsonl');
    for (const [i, ep] of he.entries()) {
      assert.deepEqual(await judge.judgeHidden(raw[i].prompt + raw[i].canonical_solution, 'python3', ep), { passed: 1, total: 1, verdict: 'AC' });
    }
    const wrong = await judge.judgeHidden(`def has_close_elements(numbers, threshold):\n    print("True")\n    return False\n`, 'python3', he[0]);
    assert.deepEqual(wrong, { passed: 0, total: 1, verdict: 'WA' }, 'the program\'s own output cannot pass a test');
    assert.deepEqual(a.bodies.at(-1).unittests, [{ input: '0', output: ['PASSED'] }]);
  });

  it('spreads programs round-robin over the pool and skips a server that is down', async () => {
    const judge = new ExecEvalJudge([a.url, await deadUrl(), b.url]);
    for (let i = 0; i < 4; i++) assert.equal((await judge.judgeHidden(ADD, 'python3', SUM)).verdict, 'AC');
    // a, dead -> b, a, dead -> b: the dead server costs nothing but a refused connection
    assert.deepEqual([a.bodies.length, b.bodies.length], [2, 2]);
  });

  it('reports a server error and an unreachable pool', async () => {
    await assert.rejects(new ExecEvalJudge([a.url]).judgeHidden('int main(){}', 'cpp', SUM), (e: Error) => e instanceof ExecEvalError && /answered 400: unsupported language GNU C\+\+17/.test(e.message));
    await assert.rejects(new ExecEvalJudge([await deadUrl()]).judgeHidden(ADD, 'python3', SUM), /no ExecEval server reachable/);
  });
});
