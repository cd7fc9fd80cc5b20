import { strict as assert } from 'node:assert';
import type { PipelineEvent, SolveResult } from '../../../src/core/events';
import { defaultEndpointConfig, LlmClient, type EndpointConfig } from '../../../src/core/llm';
import { solve } from '../../../src/core/pipeline';
import { AGENTS, type AgentName } from '../../../src/core/types';
import { startScriptedServer, type ScriptedReply } from '../../fixtures/llm-server/server';
import { useSolveEnv } from '../helpers/solve-env';
import { confidenceReply, CORRECT, fenced, mapcoderHandler, planReply, retrievalReply, SUM_PROBLEM, type MapCoderScript } from '../helpers/mapcoder-script';

// Every endpoint fault at the pipeline level: solve() through the real LlmClient against the scripted
// server. Time-outs are small, so a run that hangs fails on mocha's time-out instead of passing late.
const IDLE_MS = 300;

describe('hostile endpoints: solve() through the real client', function () {
  this.timeout(15_000);
  const env = useSolveEnv();

  const script = (over: Partial<MapCoderScript> = {}): MapCoderScript => ({
    retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(80)], coding: [fenced(CORRECT)], ...over,
  });

  async function run(s: MapCoderScript, cfg: Partial<EndpointConfig> = {}): Promise<{ result: SolveResult; events: PipelineEvent[] }> {
    env.server.setHandler(mapcoderHandler(s));
    const events: PipelineEvent[] = [];
    const llm = new LlmClient(defaultEndpointConfig({
      baseUrl: env.server.url, idleTimeoutMs: IDLE_MS, requestTimeoutMs: 5000, maxRetries: 2, retryBaseMs: 10, ...cfg,
    }));
    const result = await solve({ problem: SUM_PROBLEM, lang: 'python3', k: 1, t: 1, llm, judge: env.judge, prompts: env.prompts, onEvent: (e) => events.push(e) });
    return { result, events };
  }

  const requestsTo = (agent: AgentName) => env.server.requests.filter((r) => r.model === agent).length;

  /** The run ended in one sentence naming the failure, and its last agent event is a failure of `agent`. */
  function stoppedAt(result: SolveResult, events: PipelineEvent[], agent: AgentName, code: string, message: RegExp): void {
    assert.equal(result.status, 'error', result.message);
    assert.match(result.error!, message);
    assert.doesNotMatch(result.message, /\n/);
    assert.match(result.message, /^Stopped: .*\.$/);
    const agentEvents = events.filter((e) => e.type === 'agent-started' || e.type === 'agent-failed' || e.type === 'agent-finished');
    const last = agentEvents.at(-1);
    assert.equal(last?.type, 'agent-failed', JSON.stringify(agentEvents.map((e) => e.type)));
    if (last?.type !== 'agent-failed') return;
    assert.equal(last.step.agent, agent);
    assert.equal(last.code, code);
    assert.equal(events.at(-1)?.type, 'done');
  }

  it('connection refused: reported at once, at the first agent', async () => {
    const dead = await startScriptedServer();
    const url = dead.url;
    await dead.close();
    const { result, events } = await run(script(), { baseUrl: url });
    stoppedAt(result, events, 'retrieval', 'unreachable', /No server is listening at .* \(connection refused\)/);
  });

  it('no first byte within the idle time-out: abandoned, not waited for', async () => {
    const { result, events } = await run(script({ retrieval: [{ ...retrievalReply(1), firstByteDelayMs: 3000 }] }));
    stoppedAt(result, events, 'retrieval', 'idle-timeout', /No token for 0\.3 s from 'retrieval'/);
  });

  it('a stream that stalls mid-reply: abandoned after the idle time-out', async () => {
    const { result, events } = await run(script({ coding: [{ ...fenced(CORRECT), stallAfterChars: 12 }] }));
    stoppedAt(result, events, 'coding', 'idle-timeout', /No token for 0\.3 s from 'coding'/);
  });

  it('a stream cut mid-reply once: the call is made again and the run passes', async () => {
    const { result, events } = await run(script({ coding: [{ ...fenced(CORRECT), dropAfterChars: 12 }, fenced(CORRECT)] }));
    assert.equal(result.status, 'passed', result.message);
    assert.equal(requestsTo('coding'), 2);
    const failed = events.find((e) => e.type === 'agent-failed');
    assert.equal(failed?.type === 'agent-failed' && failed.code, 'stream-cut');
  });

  /** The run went on past failed replies of `agent`: each failure said what happened, the parser's fallback counted. */
  function wentOn(result: SolveResult, events: PipelineEvent[], agent: AgentName, code: string, message: RegExp): void {
    assert.equal(result.status, 'failed', result.message);
    const failed = events.filter((e) => e.type === 'agent-failed' && e.step.agent === agent);
    assert.ok(failed.length >= 2, `${failed.length} failures of ${agent}`);
    for (const e of failed) if (e.type === 'agent-failed') assert.deepEqual([e.code, message.test(e.error)], [code, true], e.error);
    assert.ok(result.agents[agent].formatUnrecovered >= 1, 'counted as unrecovered replies');
    assert.equal(events.at(-1)?.type, 'done');
  }

  it('a stream cut mid-reply every time: one more try, then the reply is a format failure and the run goes on', async () => {
    const { result, events } = await run(script({ coding: [{ ...fenced(CORRECT), dropAfterChars: 12 }] }));
    wentOn(result, events, 'coding', 'stream-cut', /The stream from 'coding' was cut after \d+ characters\./);
    assert.ok(requestsTo('coding') > 2);
  });

  for (const status of [429, 503]) {
    it(`${status} with Retry-After: waits what the server asks (not the huge backoff), then passes`, async () => {
      const busy: ScriptedReply = { status, text: 'busy', headers: { 'retry-after': '1' } };
      // A backoff base of 10 minutes: only the Retry-After of 1 s lets the retry come within the test's time-out.
      const { result } = await run(script({ retrieval: [busy, retrievalReply(1)] }), { retryBaseMs: 600_000 });
      assert.equal(result.status, 'passed', result.message);
      assert.equal(requestsTo('retrieval'), 2);
    });
  }

  it('429 on every attempt: gives up after the retries in one sentence', async () => {
    const { result, events } = await run(script({ retrieval: [{ status: 429, text: 'slow down', headers: { 'retry-after': '0' } }] }));
    stoppedAt(result, events, 'retrieval', 'rate-limited', /The server rate-limited 'retrieval' \(429\) three times; giving up\./);
    assert.equal(requestsTo('retrieval'), 3);
  });

  it('500 on every attempt of one agent: retried, then counted as a failed reply with the server\'s message; the run goes on', async () => {
    const { result, events } = await run(script({ coding: [{ status: 500, text: 'CUDA out of memory' }] }));
    wentOn(result, events, 'coding', 'http', /The server answered 500 three times for 'coding'; giving up \(CUDA out of memory\)\./);
  });

  it('500 on every request from the start: the server refuses everything and the run stops', async () => {
    const down = { status: 500, text: 'CUDA out of memory' };
    const { result, events } = await run({ retrieval: [down], plans: [down], confidences: [down], coding: [down] });
    stoppedAt(result, events, 'planning', 'http', /The server answered 500 three times for 'planning'; giving up \(CUDA out of memory\)\./);
  });

  it('500 once: retried and passes', async () => {
    const { result } = await run(script({ coding: [{ status: 500, text: 'oops' }, fenced(CORRECT)] }));
    assert.equal(result.status, 'passed', result.message);
    assert.equal(requestsTo('coding'), 2);
  });

  it('a reply that is not JSON (an HTML page): says the endpoint is not OpenAI-compatible', async () => {
    const html: ScriptedReply = { rawBody: '<html><body>502 Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } };
    const { result, events } = await run(script({ retrieval: [html] }));
    stoppedAt(result, events, 'retrieval', 'bad-response', /did not answer 'retrieval' with an OpenAI-style reply \(text\/html: "<html><body>502 Bad Gateway/);
  });

  it('an event stream whose events are not JSON: the same clear error, no crash', async () => {
    const garbage: ScriptedReply = { rawBody: 'data: {not json\n\ndata: [DONE]\n\n', headers: { 'content-type': 'text/event-stream' } };
    const { result, events } = await run(script({ coding: [garbage] }));
    stoppedAt(result, events, 'coding', 'bad-response', /did not answer 'coding' with an OpenAI-style reply/);
  });

  it('SSE events and UTF-8 characters split across network chunks: read whole', async () => {
    const split = (r: ScriptedReply): ScriptedReply => ({ ...r, splitSse: true });
    const code = 'a, b = map(int, input().split())\nprint(a + b)  # 和 ✓ 𝄞\n';
    const { result, events } = await run({
      retrieval: [split(retrievalReply(1))], plans: [split(planReply(0))], confidences: [split(confidenceReply(80))], coding: [split(fenced(code))],
    });
    assert.equal(result.status, 'passed', result.message);
    assert.equal(result.code.trim(), code.trim());
    const finished = events.filter((e) => e.type === 'agent-finished');
    assert.equal(finished.length, 4);
  });

  // Servers and proxies that end a reply with its finish reason and usage, then send no [DONE] or keep
  // the connection open after it: the reply is complete (it was thrown away at the idle time-out).
  for (const [what, end] of [['no [DONE], the socket left open', { noDone: true, keepOpen: true }], ['[DONE], then the socket left open', { keepOpen: true }]] as const) {
    it(`every reply ends with its finish reason and usage, ${what}: the run passes, no call repeated, no connection left`, async () => {
      const open = (r: ScriptedReply): ScriptedReply => ({ ...r, ...end });
      const { result, events } = await run({ retrieval: [open(retrievalReply(1))], plans: [open(planReply(0))], confidences: [open(confidenceReply(80))], coding: [open(fenced(CORRECT))] });
      assert.equal(result.status, 'passed', result.message);
      assert.equal(events.filter((e) => e.type === 'agent-failed').length, 0);
      assert.equal(env.server.requests.length, events.filter((e) => e.type === 'agent-finished').length, 'one request per answered call');
      const outcomes = await Promise.all(env.server.requests.map((_, i) => env.server.replyOutcome(i)));
      assert.deepEqual(new Set(outcomes), new Set(['closed']), 'the client hung up each one itself');
    });
  }

  it('a reply of 1 MB: streamed, parsed and judged', async () => {
    const noise = `${'Let me think about this step by step. '.repeat(27_000)}\n`;
    const big: ScriptedReply = { text: `${noise}${fenced(CORRECT).text}`, chunkChars: 4096 };
    assert.ok(big.text!.length >= 1_000_000);
    const { result, events } = await run(script({ coding: [big] }));
    assert.equal(result.status, 'passed', result.message);
    const coding = events.find((e) => e.type === 'agent-finished' && e.step.agent === 'coding');
    assert.equal(coding?.type === 'agent-finished' && coding.raw.length, big.text!.length);
  });

  it('an adapter unloaded between two calls: names the missing adapter and what the server has', async () => {
    const s = script();
    const handler = mapcoderHandler(s);
    const events: PipelineEvent[] = [];
    env.server.setHandler((req, i) => {
      // The coding adapter goes away once planning has been asked (before the coding call).
      if (req.model === 'planning') env.server.setModels(AGENTS.filter((a) => a !== 'coding'));
      return handler(req, i);
    });
    const llm = new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, idleTimeoutMs: IDLE_MS, requestTimeoutMs: 5000, maxRetries: 2, retryBaseMs: 10 }));
    const result = await solve({ problem: SUM_PROBLEM, lang: 'python3', k: 1, t: 1, llm, judge: env.judge, prompts: env.prompts, onEvent: (e) => events.push(e) });
    stoppedAt(result, events, 'coding', 'adapter-missing', /The server has no model\/adapter 'coding'; it has: base, retrieval, planning, debugging\. Load it with --lora-modules coding=DIR/);
    // The scripted server records only requests for models it has; the 404 shows in the route count.
    assert.equal(env.server.hits['POST /v1/chat/completions'], 4, 'retrieval, plan, confidence, one coding call: 404 is not retried');
  });

  it('an endpoint that answers with another model: the run goes on, and every event names the model that answered', async () => {
    const other = (r: ScriptedReply): ScriptedReply => ({ ...r, model: 'some-other-model' });
    const { result, events } = await run({
      retrieval: [other(retrievalReply(1))], plans: [planReply(0)], confidences: [confidenceReply(80)], coding: [other(fenced(CORRECT))],
    });
    assert.equal(result.status, 'passed', result.message);
    const models = events.filter((e) => e.type === 'agent-finished').map((e) => (e.type === 'agent-finished' ? `${e.step.agent}:${e.model}` : ''));
    assert.deepEqual(models, ['retrieval:some-other-model', 'planning:planning', 'planning:planning', 'coding:some-other-model']);
  });
});
