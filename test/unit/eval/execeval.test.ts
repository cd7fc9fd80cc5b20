import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { loadDataset, type EvalProblem } from '../../../src/eval/datasets';
import { ExecEvalError, ExecEvalJudge } from '../../../src/eval/judge/execeval';
import { execEvalMatch, startFakeExecEval, type FakeExecEval } from '../../fixtures/eval/execeval-server';
import { dataDir, readJsonl } from '../helpers/data';

// The client against the unit layer's double of ExecEval (Python 3 only; test/execeval runs the same
// kinds of jobs on the real ExecEval).

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

describe('eval: ExecEval client against a double of ExecEval', function () {
  this.timeout(120000);
  let a: FakeExecEval;
  let b: FakeExecEval;
  before(async () => {
    [a, b] = await Promise.all([startFakeExecEval(), startFakeExecEval()]);
  });
  after(async () => Promise.all([a.close(), b.close()]));
  beforeEach(() => {
    for (const s of [a, b]) (s.bodies.length = 0), (s.paths.length = 0), (s.holdMs = 0), (s.maxRunning = 0);
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
    assert.deepEqual(await judge.judgeHidden(ADD.replace('a + b', 'a * b'), 'python3', SUM), { passed: 0, total: 2, verdict: 'WA' });
    assert.equal((await judge.judgeHidden('import sys\nsys.stderr.write("boom")\nraise SystemExit(3)\n', 'python3', SUM)).verdict, 'RE');
    // ExecEval's own rule: a nonzero exit with nothing on stderr is a memory-limit verdict
    assert.equal((await judge.judgeHidden('import os\nos._exit(3)\n', 'python3', SUM)).verdict, 'MLE');
    // a syntax error is one COMPILATION_ERROR unittest: every test is CE, none RE
    assert.deepEqual(await judge.judgeHidden('print(\n', 'python3', SUM), { passed: 0, total: 2, verdict: 'CE' });
  });

  it('the double compares outputs by ExecEval\'s rules', () => {
    assert.ok(execEvalMatch('1 2\n3', ' 1 2 \n3\n'));
    assert.ok(execEvalMatch('0.1000000000001', '0.1'));
    assert.ok(!execEvalMatch('0.100001', '0.1'));
    assert.ok(execEvalMatch('YES', 'yes'));
    assert.ok(!execEvalMatch('1 2', '1 3'));
  });

  it('judges function-style tests through the harness, its verdict per snippet, asserts kept under -OO', async () => {
    const he = loadDataset('humaneval', dataDir()).problems.slice(0, 2);
    const judge = new ExecEvalJudge([a.url]);
    const raw = readJsonl<{ prompt: string; canonical_solution: string }>('HumanEvalWST.jsonl');
    for (const [i, ep] of he.entries()) {
      assert.deepEqual(await judge.judgeHidden(raw[i].prompt + raw[i].canonical_solution, 'python3', ep), { passed: 1, total: 1, verdict: 'AC' });
    }
    const unit = a.bodies.at(-1).unittests;
    assert.equal(unit.length, 1);
    assert.equal(unit[0].input, '0');
    assert.match(unit[0].output[0], /^PASSED[0-9a-f]{16}$/, 'the expected output carries a nonce');
    const ep = he[0];
    const verdict = async (code: string, timeLimitMs?: number) => (await judge.judgeHidden(code, 'python3', timeLimitMs ? { ...ep, problem: { ...ep.problem, timeLimitMs } } : ep)).verdict;
    assert.equal(await verdict('def has_close_elements(numbers, threshold):\n    return None\n'), 'WA', '-OO must not strip the tests\' asserts');
    assert.equal(await verdict('def has_close_elements(numbers, threshold):\n    print("True")\n    return False\n'), 'WA', 'the program\'s own output cannot pass a test');
    assert.equal(await verdict('import os\ndef has_close_elements(numbers, threshold):\n    os.write(1, b"PASSED")\n    os._exit(0)\n'), 'RE', 'nor can writing the pass mark without the nonce');
    assert.equal(await verdict('def has_close_elements(numbers, threshold):\n    while True: pass\n', 500), 'TLE');
    assert.equal(await verdict('def has_close_elements(numbers, threshold):\n    raise ValueError()\n'), 'RE');
    assert.equal(await verdict('def has_close_elements(numbers:\n'), 'CE');
    // fd 3 is the only one nofile 4 leaves: the code under test still imports what it needs
    assert.equal(await verdict(`import fractions, decimal, statistics\n${raw[0].prompt}${raw[0].canonical_solution}`), 'AC');
  });

  it('checks each server once for the language\'s runtime before a run', async () => {
    const judge = new ExecEvalJudge([a.url, b.url]);
    await judge.ready('python3');
    await judge.ready('python3');
    assert.deepEqual([a.paths, b.paths], [['GET /api/all_runtimes'], ['GET /api/all_runtimes']]);
    await assert.rejects(new ExecEvalJudge([a.url]).ready('cpp'), /has no runtime "GNU C\+\+17" \(it lists Python 3\)/);
    await assert.rejects(new ExecEvalJudge([await deadUrl()]).ready('python3'), /does not answer \(ECONNREFUSED\)/);
    // without the check, ExecEval's answer to an unknown runtime is a compile error
    assert.equal((await new ExecEvalJudge([a.url]).judgeHidden('int main(){}', 'cpp', SUM)).verdict, 'CE');
  });

  it('spreads jobs over the servers, a number at a time on each, and skips a server that is down', async () => {
    const judge = new ExecEvalJudge([a.url, await deadUrl(), b.url], { concurrency: 2 });
    a.holdMs = b.holdMs = 300;
    const results = await Promise.all(Array.from({ length: 8 }, () => judge.judgeHidden(ADD, 'python3', SUM)));
    assert.ok(results.every((r) => r.verdict === 'AC'));
    assert.equal(a.bodies.length + b.bodies.length, 8);
    assert.ok(a.bodies.length >= 2 && b.bodies.length >= 2, `${a.bodies.length} / ${b.bodies.length}`);
    assert.ok(a.maxRunning <= 2 && b.maxRunning <= 2, 'never more than the concurrency on one server');
  });

  it('a job past its timeout is not sent to another server, and that server is busy until it answers', async () => {
    const judge = new ExecEvalJudge([a.url, b.url], { marginMs: 0 });
    const slow: EvalProblem = { ...SUM, problem: { ...SUM.problem, timeLimitMs: 500 }, hidden: { kind: 'stdio', tests: [SUM.hidden.kind === 'stdio' ? SUM.hidden.tests[0] : { input: '', outputs: [] }] } };
    a.holdMs = 5000; // longer than 1 test x (1 s x 3 + 1 s)
    await assert.rejects(judge.judgeHidden(ADD, 'python3', slow), (e: Error) => e instanceof ExecEvalError && /gave no answer within 4 s; the job may still run there, so it is not sent to another server/.test(e.message));
    assert.equal(b.bodies.length, 0, 'not resubmitted');
    // before its next job, a is asked GET /api/all_runtimes: it answers, so it takes jobs again
    a.holdMs = 0;
    assert.equal((await judge.judgeHidden(ADD, 'python3', SUM)).verdict, 'AC');
    assert.ok(a.paths.includes('GET /api/all_runtimes'), 'a was probed');
  });

  it('reports a server error, non-ASCII input and an unreachable pool', async () => {
    const uni: EvalProblem = { ...SUM, hidden: { kind: 'stdio', tests: [{ input: 'é\n', outputs: ['x'] }] } };
    await assert.rejects(new ExecEvalJudge([a.url]).judgeHidden(ADD, 'python3', uni), /hidden test 1 has non-ASCII input, which ExecEval refuses/);
    await assert.rejects(new ExecEvalJudge([a.url]).execute('python3', ADD, [{ input: 'é', output: [''] }], 1000, undefined), /answered 400: 'ascii' codec/);
    await assert.rejects(new ExecEvalJudge([await deadUrl()]).judgeHidden(ADD, 'python3', SUM), /no ExecEval server reachable \(.*ECONNREFUSED/);
  });
});
