import { strict as assert } from 'node:assert';
import { AgentRunner, clipLongest, DEFAULT_CALL_POLICY } from '../../../src/core/agents/call';
import { codingCall } from '../../../src/core/agents/coding';
import { PromptSet } from '../../../src/core/agents/prompts';
import type { PipelineEvent } from '../../../src/core/events';
import { LlmError, type Completion, type CompletionRequest } from '../../../src/core/llm';
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
