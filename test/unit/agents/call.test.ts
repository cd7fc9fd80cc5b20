import { strict as assert } from 'node:assert';
import { AgentRunner, clipChars, clipLongest, clipNote, DEFAULT_CALL_POLICY } from '../../../src/core/agents/call';
import { codingCall } from '../../../src/core/agents/coding';
import { PromptSet } from '../../../src/core/agents/prompts';
import type { PipelineEvent } from '../../../src/core/events';
import { LlmError, type Completion, type CompletionRequest, type PromptFit } from '../../../src/core/llm';
import { parseProblem } from '../../../src/core/problem';

// One agent call when the server fails it: the reply, not the run.
const problem = parseProblem('# Sum\n\nPrint a + b.\n\n## Input\n\n```input\n1 2\n```\n\n## Output\n\n```output\n3\n```\n', { fileName: 'sum.md' });
const midStream = () => new LlmError('http', "The server reported an error in the middle of 'coding''s reply: The model produced output that does not match the expected peg-native format", { retryable: true, agent: 'coding' });
const reply = (text: string): Completion => ({ text, usage: { promptTokens: 10, completionTokens: 5 }, model: 'coding', ms: 1, ttftMs: 1, finishReason: 'stop', retries: 0 });

function runner(answer: (req: CompletionRequest, i: number) => Completion) {
  const requests: CompletionRequest[] = [];
  const events: PipelineEvent[] = [];
  const r = new AgentRunner({ complete: async (req) => answer(req, requests.push(req) - 1) }, PromptSet.load(), (e) => events.push(e), DEFAULT_CALL_POLICY);
  return { r, requests, events };
}

describe('agents/AgentRunner: replies the server fails', () => {
  const call = () => codingCall(problem, 'python3', 'add them', 'read a and b, print a + b', 0);

  it('an error in the middle of a reply is retried like a format failure, then falls back and is counted', async () => {
    const { r, requests, events } = runner(() => {
      throw midStream();
    });
    // Failing replies mid-stream, however often, cost those replies only: each call falls back.
    for (let i = 0; i < 3; i++) assert.equal((await r.run(call(), new AbortController().signal)).ok, false);
    assert.equal(requests.length, 6);
    // A server that refuses every request (an error status before any token) ends the run on the third.
    const refusing = runner(() => {
      throw new LlmError('http', 'The server answered 500 three times', { retryable: true, status: 500, agent: 'coding' });
    });
    assert.equal((await refusing.r.run(call(), new AbortController().signal)).ok, false);
    await assert.rejects(refusing.r.run(call(), new AbortController().signal), (e) => e instanceof LlmError && e.status === 500);
    assert.equal(refusing.requests.length, 3);
    // Once a reply has come, a server that fails some replies costs those replies only.
    const ok = runner((_q, i) => {
      if (i === 0) return reply('```python\nprint(sum(map(int, input().split())))\n```');
      throw midStream();
    });
    assert.equal((await ok.r.run(call(), new AbortController().signal)).ok, true);
    const parsed = await ok.r.run(call(), new AbortController().signal);
    assert.equal(parsed.ok, false, 'the fallback');
    assert.equal(ok.requests.length, 3, 'one reply, then the failed one and its retry');
    assert.deepEqual([ok.r.tallies.coding.calls, ok.r.tallies.coding.formatUnrecovered], [2, 1]);
    assert.equal(ok.events.filter((e) => e.type === 'agent-failed').length, 2);
    assert.equal(events.filter((e) => e.type === 'agent-failed').length, 6);
  });

  it('a prompt too long for the context is cut where it quotes, with a visible marker, and asked again', async () => {
    const plan = `${'step '.repeat(400)}END-OF-PLAN`;
    const { r, requests } = runner((req, i) => {
      if (i === 0) throw new LlmError('context', "The prompt for 'coding' leaves no room for a reply.", { retryable: true, agent: 'coding' });
      return reply(`\`\`\`python\nprint(1)\n\`\`\`\n${req.messages.length}`);
    });
    const parsed = await r.run(codingCall(problem, 'python3', 'add them', plan, 0), new AbortController().signal);
    assert.equal(parsed.ok, true);
    const second = requests[1].messages.map((m) => m.content).join('\n');
    assert.match(second, /\[\.\.\. \d+ characters cut to fit the model's context \.\.\.\]/);
    assert.match(second, /END-OF-PLAN/, 'the tail is kept');
    assert.match(second, /Print a \+ b\./, 'the statement is not cut while a quote can be');
  });

  it('a prompt too long for the slot is fitted before it is sent: one line says what was cut, no failure, no second attempt', async () => {
    const plan = `${'step '.repeat(2000)}END-OF-PLAN`;
    const fits: number[] = [];
    const requests: CompletionRequest[] = [];
    const events: PipelineEvent[] = [];
    // A 4096-token context of which the prompt may take 3000; 3 characters a token.
    const promptFit = async (req: Pick<CompletionRequest, 'messages'>): Promise<PromptFit> => {
      const promptTokens = Math.ceil(req.messages.reduce((n, m) => n + m.content.length, 0) / 3);
      fits.push(promptTokens);
      return { promptTokens, excess: Math.max(0, promptTokens - 3000), contextTokens: 4096 };
    };
    const complete = async (req: CompletionRequest) => (requests.push(req), reply('```python\nprint(1)\n```'));
    const r = new AgentRunner({ complete, promptFit }, PromptSet.load(), (e) => events.push(e), DEFAULT_CALL_POLICY);
    assert.equal((await r.run(codingCall(problem, 'python3', 'add them', plan, 0), new AbortController().signal)).ok, true);
    assert.equal(requests.length, 1);
    assert.ok(fits[0] > 3000 && fits.at(-1)! <= 3000, `prompt tokens measured: ${fits.join(', ')}`);
    assert.ok(fits.at(-1)! > 2700, 'cut by what was needed, not by half');
    const started = events.filter((e) => e.type === 'agent-started');
    assert.deepEqual(started.map((e) => [e.attempt, e.note]), [[1, 'clipped the quoted plan to fit the 4096-token context']]);
    assert.equal(events.filter((e) => e.type === 'agent-failed').length, 0);
    const sent = requests[0].messages.map((m) => m.content).join('\n');
    assert.match(sent, /END-OF-PLAN/);
    assert.match(sent, /\[\.\.\. \d+ characters cut to fit the model's context \.\.\.\]/);
    assert.equal(started[0].type === 'agent-started' && started[0].messages, requests[0].messages, 'the trace holds the prompt as sent');
  });

  it('errors that are the endpoint\'s, not a reply\'s, still end the call (nothing listening, adapter missing)', async () => {
    for (const e of [new LlmError('unreachable', 'No server is listening'), new LlmError('adapter-missing', 'no adapter')]) {
      const { r, requests } = runner(() => {
        throw e;
      });
      await assert.rejects(r.run(call(), new AbortController().signal), (x) => x === e);
      assert.equal(requests.length, 1);
    }
  });
});

describe('agents/clipChars, clipNote', () => {
  it('cuts at least what is asked from the longest quotes, the statement last, keeping head and tail; says it in one line', () => {
    const vars = { problem: 'p'.repeat(3000), plan: `${'a'.repeat(1000)}${'z'.repeat(1000)}`, code: 'c'.repeat(900), k: 3 };
    const small = clipChars(vars, 500)!;
    assert.deepEqual(small.keys, ['plan']);
    const plan = small.vars.plan as string;
    assert.ok(plan.startsWith('a'.repeat(700)) && plan.endsWith('z'.repeat(700)) && 2000 - plan.length >= 500, `${plan.length}`);
    const big = clipChars(vars, 2600)!;
    assert.deepEqual(big.keys, ['plan', 'code', 'problem']);
    const total = (v: Record<string, unknown>) => Object.values(v).reduce<number>((n, x) => n + (typeof x === 'string' ? x.length : 0), 0);
    assert.ok(total(vars) - total(big.vars) >= 2600);
    assert.equal(clipChars({ plan: 'short' }, 100), undefined);
    assert.equal(clipNote(['code'], 4096), 'clipped the quoted program to fit the 4096-token context');
    assert.equal(clipNote(['code', 'plan', 'report']), 'clipped the quoted program, the quoted plan and the test report to fit the context');
  });
});

describe('agents/clipLongest', () => {
  it('cuts the longest quote to half, keeps head and tail, and leaves short ones alone', () => {
    const out = clipLongest({ problem: 'p'.repeat(500), plan: `${'a'.repeat(1000)}${'z'.repeat(1000)}`, k: 3 })!;
    const plan = out.plan as string;
    assert.ok(plan.startsWith('a'.repeat(500)) && plan.endsWith('z'.repeat(500)));
    assert.match(plan, /\[\.\.\. 1000 characters cut/);
    assert.equal(out.problem, 'p'.repeat(500));
    assert.equal(clipLongest({ plan: 'short', k: 3 }), undefined);
    assert.match(clipLongest({ problem: 'p'.repeat(500), samples: 's' })!.problem as string, /cut to fit/);
  });
});
