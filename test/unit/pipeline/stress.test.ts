import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../src/core/events';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { solve, type SolveOptions } from '../../../src/core/pipeline';
import type { Problem } from '../../../src/core/types';
import { debugRounds, newRunState, reduce } from '../../../src/run-state';
import type { ScriptedRequest } from '../../fixtures/llm-server/server';
import { useSolveEnv } from '../helpers/solve-env';
import { confidenceReply, fenced, mapcoderHandler, planReply, retrievalReply } from '../helpers/mapcoder-script';
import { FIRST_TWO, isBruteCall, isGeneratorCall, MAX_BRUTE, MAX_CORRECT, MAX_GENERATOR, MAX_SAMPLES, withStressReplies } from '../helpers/stress-script';

const MAX_PROBLEM: Problem = {
  title: 'Largest',
  statement: 'Given n and then n integers, print the largest.\nInput: n on the first line (1 <= n <= 10), then n integers from 1 to 100.\nOutput: the largest of them.',
  samples: MAX_SAMPLES,
  asserts: [],
  timeLimitMs: 2000,
  style: { kind: 'stdio' },
};
const CORRECT = MAX_CORRECT;
const GENERATOR = MAX_GENERATOR;
const WRONG_BRUTE = 'input()\nprint(0)\n';
const isBrute = isBruteCall;
const isGenerator = isGeneratorCall;

describe('pipeline: stress tests beyond the samples (scripted endpoint, real judge)', function () {
  this.timeout(60000);
  const env = useSolveEnv();
  const client = () => new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, idleTimeoutMs: 5000, requestTimeoutMs: 20000, maxRetries: 0 }));

  async function run(opts: { brute?: string[]; debugging?: string[] }, extra: Partial<SolveOptions> = {}) {
    const base = mapcoderHandler({
      retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(80)],
      coding: [fenced(FIRST_TWO)],
      debugging: (opts.debugging ?? [CORRECT]).map((c) => ({ text: `Take the largest of all n numbers, not of the first two.\n\`\`\`python\n${c}\`\`\`\n` })),
    });
    env.server.setHandler(withStressReplies(base, opts.brute));
    const events: PipelineEvent[] = [];
    const result = await solve({
      problem: MAX_PROBLEM, lang: 'python3', llm: client(), judge: env.judge, prompts: env.prompts, onEvent: (e) => events.push(e),
      stress: { tests: 12 }, ...extra,
    });
    return { result, events };
  }
  const requests = (pred: (r: ScriptedRequest) => boolean) => env.server.requests.filter(pred);

  it('a program that passes the samples but not other inputs is debugged on the input where it and the brute force differ', async () => {
    const { result, events } = await run({});
    assert.equal(result.status, 'passed');
    assert.equal(result.code.trim(), CORRECT.trim());
    assert.equal(result.stress?.status, 'passed');
    assert.equal(result.stress?.counterexamples, 1);
    assert.ok(result.stress!.tests >= 5, `${result.stress?.tests} distinct generated inputs`);
    assert.equal(result.stress?.samplesOnly?.code.trim(), FIRST_TWO.trim(), 'what the samples alone would have returned');
    assert.match(result.message, /^Passed all 2 sample tests and \d+ stress tests \(after fixing 1 input they found\)/);
    // Two extra calls for the whole run: the brute force and the generator, each once.
    assert.deepEqual([requests(isBrute).length, requests(isGenerator).length], [1, 1]);
    const checks = events.flatMap((e) => (e.type === 'stress-done' ? [e.check] : []));
    assert.deepEqual(checks.map((c) => c.status), ['difference', 'passed']);
    const x = checks[0].counterexample!;
    assert.equal(x.verdict, 'WA');
    // The debugging agent got the counterexample like a failing sample, the brute force's output as expected.
    const debugPrompt = requests((r) => r.model === 'debugging')[0].messages.map((m) => m.content).join('\n');
    assert.ok(debugPrompt.includes(x.input.trim()) && debugPrompt.includes(`Expected output:\n${x.expected.trim()}`), debugPrompt);
    assert.match(debugPrompt, /2 of 3 sample tests pass/);
    // The panel's state: a stress step with both checks, and the debugging round starting from the program as stress judged it.
    const state = events.reduce(reduce, newRunState({ runId: 'r', title: 't', lang: 'python3', mode: 'mapcoder', startedAt: 0 }));
    assert.equal(state.stressTests, 12);
    assert.deepEqual(state.stress?.map((s) => s.status), ['difference', 'passed']);
    assert.equal(state.steps.stress.status, 'done');
    const [round] = debugRounds(state);
    assert.equal(round.before?.report.verdict, 'WA', 'the round starts from the program the new test broke');
    assert.equal(round.after?.report.verdict, 'AC');
  });

  it('with stress off it ends as before: the first program that passes the samples, no extra call', async () => {
    const { result, events } = await run({}, { stress: { tests: 0 } });
    assert.equal(result.code.trim(), FIRST_TWO.trim());
    assert.equal(result.stress, undefined);
    assert.equal(requests((r) => isBrute(r) || isGenerator(r)).length, 0);
    assert.ok(!events.some((e) => e.type === 'stress-started'));
    assert.equal(result.message, 'Passed all 2 sample tests (plan 1, first program).');
  });

  it('a brute force that fails the samples is asked once more, then not trusted: samples only, said so', async () => {
    const { result } = await run({ brute: [WRONG_BRUTE] });
    assert.equal(result.code.trim(), FIRST_TWO.trim());
    assert.equal(result.stress?.status, 'untrusted');
    assert.equal(requests(isBrute).length, 2);
    assert.match(result.message, /samples only \(no trusted brute force\)/);
  });

  it('a second brute force that passes the samples is trusted', async () => {
    const { result } = await run({ brute: [WRONG_BRUTE, MAX_BRUTE] });
    assert.equal(result.code.trim(), CORRECT.trim());
    assert.equal(result.stress?.status, 'passed');
  });

  it('the user\'s own brute force and generator stand in for the model\'s, in another language', async () => {
    const cppBrute = '#include <cstdio>\nint main(){int n,x,b=0;scanf("%d",&n);for(int i=0;i<n;i++){scanf("%d",&x);if(x>b)b=x;}printf("%d\\n",b);}\n';
    const { result } = await run({}, { stress: { tests: 8, brute: { code: cppBrute, lang: 'cpp' }, generator: { code: GENERATOR, lang: 'python3' } } });
    assert.equal(result.code.trim(), CORRECT.trim());
    assert.equal(result.stress?.status, 'passed');
    assert.equal(requests((r) => isBrute(r) || isGenerator(r)).length, 0);
  });

  it('when debugging cannot fix the difference, the sample-passing program is returned and the message says so', async () => {
    const { result } = await run({ debugging: [FIRST_TWO] }, { t: 2 });
    assert.equal(result.status, 'passed');
    assert.equal(result.code.trim(), FIRST_TWO.trim());
    assert.equal(result.stress?.status, 'difference');
    assert.match(result.message, /^Passed the 2 sample tests; stress tests found a difference from the brute force that debugging did not fix/);
  });

  it('a function problem is not stress-tested, and its samples-only answer is the first to pass its asserts, not the first to compile', async () => {
    const problem: Problem = {
      title: 'Add', statement: 'Write add(a, b) returning a + b.', samples: [], asserts: ['assert add(1, 2) == 3', 'assert add(5, 7) == 12'],
      style: { kind: 'function', name: 'add' },
    };
    env.server.setHandler(mapcoderHandler({
      retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(80)],
      coding: [fenced('def add(a, b):\n    return a - b\n')],
      debugging: [{ text: 'Add, do not subtract.\n```python\ndef add(a, b):\n    return a + b\n```\n' }],
    }));
    const result = await solve({ problem, lang: 'python3', llm: client(), judge: env.judge, prompts: env.prompts, stress: { tests: 5 } });
    assert.equal(result.status, 'passed');
    assert.equal(result.stress?.status, 'unsupported');
    assert.equal(result.stress?.samplesOnly, undefined, 'the program that first passed the asserts is the chosen one');
  });
});
