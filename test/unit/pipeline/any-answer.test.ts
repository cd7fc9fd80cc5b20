import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PipelineEvent } from '../../../src/core/events';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { solve, type SolveOptions } from '../../../src/core/pipeline';
import { parseProblem } from '../../../src/core/problem';
import { withJudgingHints } from '../../../src/core/problem/judging';
import type { Problem } from '../../../src/core/types';
import type { ScriptedRequest, ScriptHandler } from '../../fixtures/llm-server/server';
import { useSolveEnv } from '../helpers/solve-env';
import { confidenceReply, fenced, mapcoderHandler, planReply, retrievalReply } from '../helpers/mapcoder-script';

// pair.md: print two positive integers with sum n, any of them. Its samples' answers are "1 n-1".
const VERDICTS = resolve(__dirname, '..', '..', 'fixtures', 'verdicts');
const read = (name: string) => readFileSync(join(VERDICTS, name), 'utf8');
const PAIR: Problem = withJudgingHints(parseProblem(read('pair.md'), { fileName: 'pair.md' }));
const HALF = read('half.py'); // another valid answer than the jury's
const WRONG = read('wrong.py');
const CHECKER = read('pair.checker.py');
const ACCEPTS_ALL = 'print("ok")\n';
const BRUTE = 'n = int(input())\nprint(1, n - 1)\n';
const GENERATOR = 'import random, sys\nrandom.seed(int(sys.argv[1]))\nprint(random.randint(2, 60))\n';

const isChecker = (r: ScriptedRequest) => r.messages.some((m) => /writes checkers/.test(m.content));
const isBrute = (r: ScriptedRequest) => r.messages.some((m) => /reference solution/.test(m.content));
const isGenerator = (r: ScriptedRequest) => r.messages.some((m) => /test-data generator/.test(m.content));

describe('pipeline: problems that accept any valid answer (scripted endpoint, real judge)', function () {
  this.timeout(90000);
  const env = useSolveEnv();
  const client = () => new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, idleTimeoutMs: 5000, requestTimeoutMs: 20000, maxRetries: 0 }));

  async function run(script: { coding: string[]; debugging?: string[]; checkers?: string[] }, extra: Partial<SolveOptions> = {}) {
    const base = mapcoderHandler({
      retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(80)],
      coding: script.coding.map((c) => fenced(c)),
      debugging: (script.debugging ?? []).map((c) => ({ text: `Print two positive summands.\n\`\`\`python\n${c}\`\`\`\n` })),
    });
    const checkers = [...(script.checkers ?? [])];
    const handler: ScriptHandler = (req, i) => {
      if (isChecker(req)) return checkers.length ? fenced(checkers.length > 1 ? checkers.shift()! : checkers[0]) : { status: 500, text: 'no checker scripted' };
      if (isBrute(req)) return fenced(BRUTE);
      if (isGenerator(req)) return fenced(GENERATOR);
      return base(req, i);
    };
    env.server.setHandler(handler);
    const events: PipelineEvent[] = [];
    const result = await solve({ problem: PAIR, lang: 'python3', llm: client(), judge: env.judge, prompts: env.prompts, onEvent: (e) => events.push(e), ...extra });
    return { result, events };
  }
  const calls = (pred: (r: ScriptedRequest) => boolean) => env.server.requests.filter(pred).length;
  const debugging = (r: ScriptedRequest) => r.model === 'debugging';

  it('the statement says so: the problem reads as any-answer', () => {
    assert.equal(PAIR.anyAnswer, true);
    assert.equal(PAIR.checker, undefined);
  });

  it('a correct program printing another answer: no debugging; the model\'s checker, once trusted, judges it AC', async () => {
    const { result, events } = await run({ coding: [HALF], checkers: [CHECKER] });
    assert.equal(result.status, 'passed', result.message);
    assert.equal(result.code.trim(), HALF.trim());
    assert.equal(calls(debugging), 0, 'never debugged for printing another valid answer');
    assert.equal(calls(isChecker), 1);
    const verdicts = events.flatMap((e) => (e.type === 'candidate' ? [e.candidate.report.verdict] : []));
    assert.deepEqual(verdicts, ['UV', 'AC'], 'unverified, then accepted through the checker');
  });

  it('no checker can be trusted (one that accepts everything, twice): the run ends unverified, undebugged', async () => {
    const { result } = await run({ coding: [HALF], checkers: [ACCEPTS_ALL] });
    assert.equal(result.status, 'unverified');
    assert.equal(result.code.trim(), HALF.trim());
    assert.deepEqual([result.passed, result.total], [1, 2]);
    assert.match(result.message, /accepts any valid answer and no checker could be trusted, so it is unverified/);
    assert.equal(calls(isChecker), 2, 'one more ask after the first is not trusted');
    assert.equal(calls(debugging), 0);
  });

  it('a wrong program is unverified without a checker, then WA through it and debugged to a correct one', async () => {
    const { result, events } = await run({ coding: [WRONG], debugging: [HALF], checkers: [CHECKER] });
    assert.equal(result.status, 'passed', result.message);
    assert.equal(result.code.trim(), HALF.trim());
    const verdicts = events.flatMap((e) => (e.type === 'candidate' ? [e.candidate.report.verdict] : []));
    // The WA program is announced as judged through the checker, then as the start of the debugging that goes on from it.
    assert.deepEqual(verdicts, ['UV', 'WA', 'WA', 'AC']);
    const prompt = env.server.requests.find(debugging)!.messages.map((m) => m.content).join('\n');
    assert.match(prompt, /Checker: 0 \+ 5 is not 5 in positive integers/, 'the checker\'s line reaches the debugging prompt');
  });

  it('the problem\'s own checker: used from the start, none asked of the model', async () => {
    const checker = { kind: 'program' as const, path: join(VERDICTS, 'pair.checker.py'), lang: 'python3' as const };
    const { result } = await run({ coding: [HALF] }, { problem: { ...PAIR, checker } });
    assert.equal(result.status, 'passed');
    assert.equal(calls(isChecker), 0);
  });

  it('stress tests wait for a checker, then judge through it: a brute force printing other answers is no difference', async () => {
    const { result, events } = await run({ coding: [HALF], checkers: [CHECKER] }, { stress: { tests: 8 } });
    assert.equal(result.status, 'passed', result.message);
    assert.equal(result.stress?.status, 'passed');
    assert.equal(result.stress?.counterexamples, 0);
    const checks = events.flatMap((e) => (e.type === 'stress-done' ? [e.check.status] : []));
    assert.deepEqual(checks, ['passed']);
    env.server.requests.length = 0;
    const untrusted = await run({ coding: [HALF], checkers: [ACCEPTS_ALL] }, { stress: { tests: 8 } });
    assert.equal(untrusted.result.status, 'unverified');
    assert.equal(calls(isBrute), 0, 'no brute force asked while no checker can compare');
  });
});
