import { strict as assert } from 'node:assert';
import { defaultEndpointConfig, LlmClient, LlmError, type EndpointConfig, type LlmErrorCode } from '../../../src/core/llm';
import type { ChatMessage } from '../../../src/core/types';
import { startScriptedServer, scriptByAgent, type ScriptedServer } from '../../fixtures/llm-server/server';
import { Gbnf } from '../parse/gbnf';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a careful programmer.' },
  { role: 'user', content: 'Write hello world.' },
];

function config(srv: ScriptedServer, overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  return defaultEndpointConfig({ baseUrl: srv.url, idleTimeoutMs: 5000, requestTimeoutMs: 20_000, retryBaseMs: 5, ...overrides });
}

async function failure(p: Promise<unknown>, code: LlmErrorCode): Promise<LlmError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof LlmError, `expected LlmError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected an LlmError '${code}'`);
}

describe('llm/LlmClient.complete', () => {
  let srv: ScriptedServer;
  beforeEach(async () => {
    srv = await startScriptedServer();
  });
  afterEach(() => srv.close());

  it('streams the reply through onToken in order and reads usage from the final chunk', async () => {
    const text = 'def main():\n    print("hello")\n\nmain()\n';
    srv.setHandler(scriptByAgent({ coding: [{ text, chunkChars: 5 }] }));
    const deltas: string[] = [];
    const c = await new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES, onToken: (d) => deltas.push(d) });
    assert.equal(c.text, text);
    assert.equal(deltas.join(''), text);
    assert.equal(deltas.length, Math.ceil(text.length / 5));
    const promptChars = MESSAGES.reduce((n, m) => n + m.content.length, 0);
    assert.deepEqual(c.usage, { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(text.length / 4) });
    assert.equal(c.usageEstimated, undefined);
    assert.equal(c.model, 'coding');
    assert.equal(c.finishReason, 'stop');
    assert.equal(c.retries, 0);
    assert.ok(c.ttftMs <= c.ms);
    const req = srv.requests[0];
    assert.equal(req.model, 'coding');
    assert.equal(req.stream, true);
    assert.deepEqual(req.body.stream_options, { include_usage: true });
    assert.deepEqual(req.messages, MESSAGES);
  });

  it('estimates usage (chars/4) and says so when the server sends none', async () => {
    srv.setHandler(() => ({ text: 'abcdefghij', noUsage: true }));
    const c = await new LlmClient(config(srv)).complete({ agent: 'planning', messages: MESSAGES });
    assert.equal(c.usageEstimated, true);
    assert.equal(c.usage.completionTokens, 3);
  });

  it('sends the configured sampling, with per-call overrides', async () => {
    srv.setHandler(() => ({ text: 'ok' }));
    const client = new LlmClient(config(srv, { sampling: { temperature: 0, topP: 0.9, maxTokens: 123, seed: 7 } }));
    await client.complete({ agent: 'planning', messages: MESSAGES, sampling: { temperature: 0.4, maxTokens: undefined } });
    const b = srv.requests[0].body;
    assert.deepEqual([b.temperature, b.top_p, b.max_tokens, b.seed], [0.4, 0.9, 123, 7]);
  });

  it('uses one plain model for every agent when plainModel is set', async () => {
    srv.setHandler(() => ({ text: 'ok' }));
    const client = new LlmClient(config(srv, { plainModel: 'base' }));
    await client.complete({ agent: 'retrieval', messages: MESSAGES });
    await client.complete({ agent: 'debugging', messages: MESSAGES });
    assert.deepEqual(srv.requests.map((r) => r.model), ['base', 'base']);
  });

  it('records the model the server says answered', async () => {
    srv.setHandler(() => ({ text: 'ok', model: 'some-other-model' }));
    const c = await new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES });
    assert.equal(c.model, 'some-other-model');
  });

  it('names the models the server has when an adapter is missing (404)', async () => {
    srv.setModels(['retrieval', 'planning']);
    srv.setHandler(() => ({ text: 'never' }));
    const err = await failure(new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES }), 'adapter-missing');
    assert.equal(err.agent, 'coding');
    assert.equal(err.status, 404);
    assert.match(err.message, /no model\/adapter 'coding'; it has: base, retrieval, planning\./);
    assert.match(err.message, /--lora-modules coding=DIR/);
    assert.equal(srv.requests.length, 0, 'the server turned the request away before recording it');
  });

  it('says which plain model is missing without blaming an agent adapter', async () => {
    const err = await failure(new LlmClient(config(srv, { plainModel: 'qwen2.5-7b' })).complete({ agent: 'coding', messages: MESSAGES }), 'adapter-missing');
    assert.match(err.message, /'qwen2\.5-7b'.*Set the model to one of those/);
  });

  it('fails fast with "unreachable" when nothing listens on the port', async () => {
    const closed = await startScriptedServer();
    await closed.close();
    const err = await failure(
      new LlmClient(config(closed, { maxRetries: 3, retryBaseMs: 10_000 })).complete({ agent: 'coding', messages: MESSAGES }),
      'unreachable',
    );
    assert.equal(err.message, `No server is listening at ${closed.url} (connection refused). Start vLLM/llama.cpp/Ollama or set the endpoint URL.`);
    assert.equal(err.retryable, false);
  });

  it('gives up with "idle-timeout" when no byte comes before the first token', async () => {
    srv.setHandler(() => ({ text: 'late', firstByteDelayMs: 3000 }));
    const err = await failure(
      new LlmClient(config(srv, { idleTimeoutMs: 200 })).complete({ agent: 'planning', messages: MESSAGES }),
      'idle-timeout',
    );
    assert.equal(err.message, `No token for 0.2 s from 'planning' at ${srv.url}: the request was abandoned (idle time-out; raise the idle time-out).`);
    assert.equal(await srv.replyOutcome(0), 'closed');
    assert.equal(srv.requests.length, 1, 'an idle time-out is not retried');
  });

  it('gives up with "idle-timeout" when the stream stalls mid-way', async () => {
    srv.setHandler(() => ({ text: 'x'.repeat(100), stallAfterChars: 16 }));
    const deltas: string[] = [];
    await failure(
      new LlmClient(config(srv, { idleTimeoutMs: 200 })).complete({ agent: 'coding', messages: MESSAGES, onToken: (d) => deltas.push(d) }),
      'idle-timeout',
    );
    assert.equal(deltas.join('').length, 16);
    assert.equal(await srv.replyOutcome(0), 'closed');
  });

  // Some servers and proxies end a reply with its finish reason and usage but never send [DONE], or keep
  // the connection open after it. The idle time-out here is 10 minutes: a client that waited for the
  // socket would fail on mocha's time-out instead.
  for (const [what, end] of [['without [DONE], the socket left open', { noDone: true, keepOpen: true }], ['[DONE], then the socket left open', { keepOpen: true }]] as const) {
    it(`a reply that ends with its finish reason and usage, ${what}, is complete at once`, async function () {
      this.timeout(5000);
      srv.setHandler(() => ({ text: 'print(42)\n', ...end }));
      const c = await new LlmClient(config(srv, { idleTimeoutMs: 600_000, requestTimeoutMs: 600_000 })).complete({ agent: 'coding', messages: MESSAGES });
      assert.deepEqual([c.text, c.finishReason, c.usageEstimated, c.retries], ['print(42)\n', 'stop', undefined, 0]);
      assert.equal(await srv.replyOutcome(0), 'closed', 'the client closed the connection it no longer needs');
    });
  }

  it('a reply with a finish reason but no usage and no end is complete after the idle time-out, not a failure', async () => {
    srv.setHandler(() => ({ text: 'print(42)\n', noUsage: true, noDone: true, keepOpen: true }));
    const c = await new LlmClient(config(srv, { idleTimeoutMs: 200 })).complete({ agent: 'coding', messages: MESSAGES });
    assert.deepEqual([c.text, c.finishReason, c.usageEstimated, c.retries], ['print(42)\n', 'stop', true, 0]);
    assert.equal(srv.requests.length, 1);
  });

  it('gives up with "timeout" when the whole request takes too long though tokens keep coming', async () => {
    srv.setHandler(() => ({ text: 'y'.repeat(400), chunkChars: 1, tokenDelayMs: 5 }));
    const err = await failure(
      new LlmClient(config(srv, { requestTimeoutMs: 300, idleTimeoutMs: 2000 })).complete({ agent: 'coding', messages: MESSAGES }),
      'timeout',
    );
    assert.match(err.message, /'coding' at .* did not finish within 0\.3 s/);
    assert.equal(await srv.replyOutcome(0), 'closed');
  });

  it('reports a stream cut after tokens as "stream-cut" and does not retry it itself', async () => {
    srv.setHandler(() => ({ text: 'z'.repeat(64), dropAfterChars: 16 }));
    const err = await failure(new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES }), 'stream-cut');
    assert.equal(err.message, "The stream from 'coding' was cut after 16 characters.");
    assert.equal(err.retryable, true);
    assert.equal(srv.requests.length, 1);
  });

  it('retries a connection cut before the first token', async () => {
    srv.setHandler(scriptByAgent({ coding: [{ text: 'lost', dropAfterChars: 0 }, { text: 'second try' }] }));
    const c = await new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES });
    assert.equal(c.text, 'second try');
    assert.equal(c.retries, 1);
  });

  it('retries 429 after the Retry-After the server asks for, then succeeds', async () => {
    srv.setHandler(scriptByAgent({
      planning: [{ status: 429, text: 'slow down', headers: { 'Retry-After': '1' } }, { text: 'planned' }],
      coding: [{ status: 429, headers: { 'Retry-After': '0' } }, { text: 'coded' }],
    }));
    const client = new LlmClient(config(srv, { retryBaseMs: 60_000 }));
    const started = Date.now();
    const planned = await client.complete({ agent: 'planning', messages: MESSAGES });
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After: 1');
    assert.deepEqual([planned.text, planned.retries], ['planned', 1]);
    // Retry-After: 0 overrides the (huge) backoff base: an immediate retry.
    const coded = await client.complete({ agent: 'coding', messages: MESSAGES });
    assert.deepEqual([coded.text, coded.retries], ['coded', 1]);
    assert.equal(srv.requests.length, 4);
  });

  it('gives up with "http" after maxRetries answers of 500', async () => {
    srv.setHandler(() => ({ status: 500, text: 'engine overloaded' }));
    const err = await failure(new LlmClient(config(srv, { maxRetries: 2 })).complete({ agent: 'debugging', messages: MESSAGES }), 'http');
    assert.equal(err.message, "The server answered 500 three times for 'debugging'; giving up (engine overloaded).");
    assert.equal(err.status, 500);
    assert.equal(srv.requests.length, 3);
  });

  it('gives up with "rate-limited" when 429 persists', async () => {
    srv.setHandler(() => ({ status: 429, headers: { 'Retry-After': '0' } }));
    const err = await failure(new LlmClient(config(srv, { maxRetries: 1 })).complete({ agent: 'coding', messages: MESSAGES }), 'rate-limited');
    assert.match(err.message, /rate-limited 'coding' \(429\) twice/);
  });

  it('does not retry a 400 and keeps the message of a flat (older vLLM) error body', async () => {
    srv.setHandler(() => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      rawBody: JSON.stringify({ object: 'error', message: 'temperature must be non-negative, got -1.', type: 'BadRequestError', param: null, code: 400 }),
    }));
    const err = await failure(new LlmClient(config(srv)).complete({ agent: 'retrieval', messages: MESSAGES }), 'http');
    assert.match(err.message, /\(400: temperature must be non-negative, got -1\.\)/);
    assert.equal(srv.requests.length, 1);
  });

  it('a context-length refusal (vLLM, llama.cpp) asks again for a smaller reply, then says the prompt does not fit', async () => {
    const bodies = [
      { object: 'error', message: "This model's maximum context length is 32768 tokens. However, you requested 33000 tokens.", type: 'BadRequestError', code: 400 },
      { error: { code: 400, message: 'request (4400 tokens) exceeds the available context size (4096 tokens), try increasing it', type: 'exceed_context_size_error' } },
    ];
    for (const body of bodies) {
      const server = await startScriptedServer({ models: ['retrieval'] });
      try {
        // Two smaller replies are asked for: the refusal says the request, not just the reply, is too long.
        server.setHandler((r, i) => (i < 2 ? { status: 400, headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify(body) } : { text: 'fits' }));
        const c = await new LlmClient(config(server, { sampling: { temperature: 0, topP: 1, maxTokens: 4096 } })).complete({ agent: 'retrieval', messages: MESSAGES });
        assert.equal(c.text, 'fits');
        assert.deepEqual(server.requests.map((r) => r.body.max_tokens), [4096, 2048, 1024]);
        server.setHandler(() => ({ status: 400, headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify(body) }));
        const err = await failure(new LlmClient(config(server, { sampling: { temperature: 0, topP: 1, maxTokens: 512 } })).complete({ agent: 'retrieval', messages: MESSAGES }), 'context');
        assert.match(err.message, /The prompt for 'retrieval' \(about \d+ tokens\) leaves no room for a reply/);
        assert.equal(err.retryable, true);
      } finally {
        await server.close();
      }
    }
  });

  it('keeps an HTML error page out of the message but for one short line', async () => {
    srv.setHandler(() => ({ status: 502, rawBody: `<html>\n<head><title>502 Bad Gateway</title></head>\n${'<p>padding</p>\n'.repeat(50)}</html>`, headers: { 'content-type': 'text/html' } }));
    const err = await failure(new LlmClient(config(srv, { maxRetries: 0 })).complete({ agent: 'coding', messages: MESSAGES }), 'http');
    assert.match(err.message, /^The server answered 502 for 'coding'; giving up \(<html> <head><title>502 Bad Gateway/);
    assert.ok(err.message.length < 300);
  });

  it('reports 401 as "auth"', async () => {
    srv.setHandler(() => ({ status: 401, text: 'Unauthorized' }));
    const err = await failure(new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES }), 'auth');
    assert.match(err.message, /wants an API key \(401\)/);
  });

  it('reports a 200 answer that is not an SSE stream as "bad-response"', async () => {
    srv.setHandler(() => ({ rawBody: '<html><body>Welcome to nginx!</body></html>', headers: { 'content-type': 'text/html' } }));
    const err = await failure(new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES }), 'bad-response');
    assert.match(err.message, /text\/html: "<html><body>Welcome to nginx!/);
  });

  it('reports an SSE event that is not JSON as "bad-response"', async () => {
    srv.setHandler(() => ({ rawBody: 'data: {"choices": [oops\n\n', headers: { 'content-type': 'text/event-stream' } }));
    await failure(new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES }), 'bad-response');
  });

  it('reports an error event inside the stream with the server\'s message', async () => {
    srv.setHandler(() => ({ rawBody: 'data: {"error": {"message": "CUDA out of memory", "code": 500}}\n\n', headers: { 'content-type': 'text/event-stream' } }));
    const err = await failure(new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES }), 'http');
    assert.match(err.message, /CUDA out of memory/);
  });

  it('parses SSE events split at odd byte boundaries, multi-byte characters included', async () => {
    const text = 'naïve café → 日本語 ✓ 🚀 end\n'.repeat(8);
    srv.setHandler(() => ({ text, chunkChars: 7, splitSse: true }));
    const deltas: string[] = [];
    const c = await new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES, onToken: (d) => deltas.push(d) });
    assert.equal(c.text, text);
    assert.equal(deltas.join(''), text);
  });

  it('streams a 1 MB reply intact', async () => {
    const line = 'for (int i = 0; i < n; ++i) { a[i] = b[i] * 31 + 7; }\n';
    const text = line.repeat(Math.ceil(1_048_576 / line.length));
    srv.setHandler(() => ({ text, chunkChars: 4096 }));
    let streamed = 0;
    const c = await new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES, onToken: (d) => (streamed += d.length) });
    assert.equal(c.text.length, text.length);
    assert.ok(c.text === text);
    assert.equal(streamed, text.length);
  });

  it('cancels promptly via the caller\'s signal and closes the HTTP stream', async function () {
    this.timeout(5000);
    srv.setHandler(() => ({ text: 'w'.repeat(10_000), chunkChars: 4, tokenDelayMs: 10 }));
    const ac = new AbortController();
    let tokens = 0;
    const client = new LlmClient(config(srv, { idleTimeoutMs: 60_000, requestTimeoutMs: 600_000 }));
    const p = client.complete({ agent: 'coding', messages: MESSAGES, signal: ac.signal, onToken: () => ++tokens === 3 && ac.abort() });
    const err = await failure(p, 'cancelled');
    assert.equal(err.message, "The request to 'coding' was cancelled.");
    assert.equal(tokens, 3);
    assert.equal(await srv.replyOutcome(0), 'closed');
  });

  it('rejects at once with "cancelled" when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await failure(new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES, signal: ac.signal }), 'cancelled');
    assert.equal(srv.requests.length, 0);
  });

  it('cancels during a retry backoff', async () => {
    srv.setHandler(() => ({ status: 503 }));
    const ac = new AbortController();
    const client = new LlmClient(config(srv, { retryBaseMs: 60_000 }));
    const p = client.complete({ agent: 'coding', messages: MESSAGES, signal: ac.signal });
    while (srv.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    await failure(p, 'cancelled');
    assert.equal(srv.requests.length, 1);
  });

  it('lets an error thrown by onToken through unchanged', async () => {
    srv.setHandler(() => ({ text: 'hello world' }));
    const boom = new Error('listener broke');
    await assert.rejects(
      new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES, onToken: () => { throw boom; } }),
      (e) => e === boom,
    );
  });

  it('serves parallel calls to different agents', async () => {
    srv.setHandler(scriptByAgent({ planning: [{ text: 'plan A', tokenDelayMs: 5, chunkChars: 1 }], coding: [{ text: 'code B', tokenDelayMs: 5, chunkChars: 1 }] }));
    const client = new LlmClient(config(srv));
    const [a, b] = await Promise.all([
      client.complete({ agent: 'planning', messages: MESSAGES }),
      client.complete({ agent: 'coding', messages: MESSAGES }),
    ]);
    assert.deepEqual([a.text, b.text], ['plan A', 'code B']);
  });

  describe('API key', () => {
    const saved = process.env.OPENAI_API_KEY;
    before(() => {
      process.env.OPENAI_API_KEY = 'sk-from-environment';
    });
    after(() => {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    });

    it('is sent as a Bearer token only when configured, never taken from OPENAI_API_KEY', async () => {
      srv.setHandler(() => ({ text: 'ok' }));
      await new LlmClient(config(srv)).complete({ agent: 'coding', messages: MESSAGES });
      await new LlmClient(config(srv, { apiKey: 'sk-local' })).complete({ agent: 'coding', messages: MESSAGES });
      assert.equal(srv.requests[0].headers.authorization, undefined);
      assert.equal(srv.requests[1].headers.authorization, 'Bearer sk-local');
    });
  });
});

describe('llm/LlmClient with llama.cpp', () => {
  let srv: ScriptedServer;
  beforeEach(async () => {
    srv = await startScriptedServer({ llamacpp: true, baseModel: 'qwen2.5-7b-instruct-q4_k_m.gguf' });
  });
  afterEach(() => srv.close());

  it('selects the agent\'s adapter with the lora field and names the listed model', async () => {
    srv.setHandler(scriptByAgent({ coding: [{ text: 'code' }], planning: [{ text: 'plan' }] }));
    const client = new LlmClient(config(srv, { backend: 'llamacpp' }));
    const c = await client.complete({ agent: 'coding', messages: MESSAGES });
    const p = await client.complete({ agent: 'planning', messages: MESSAGES });
    assert.deepEqual([c.text, p.text], ['code', 'plan']);
    assert.deepEqual(srv.requests[0].body.lora, [{ id: 0, scale: 0 }, { id: 1, scale: 0 }, { id: 2, scale: 1 }, { id: 3, scale: 0 }]);
    assert.deepEqual(srv.requests[1].body.lora, [{ id: 0, scale: 0 }, { id: 1, scale: 1 }, { id: 2, scale: 0 }, { id: 3, scale: 0 }]);
    assert.equal(srv.requests[0].model, 'qwen2.5-7b-instruct-q4_k_m.gguf');
    assert.equal(srv.hits['GET /lora-adapters'], 1, 'adapters are looked up once per client');
  });

  it('turns every adapter off for the plain model', async () => {
    srv.setHandler(() => ({ text: 'plain' }));
    await new LlmClient(config(srv, { backend: 'llamacpp', plainModel: 'qwen' })).complete({ agent: 'coding', messages: MESSAGES });
    assert.ok(srv.requests[0].body.lora.every((l: { scale: number }) => l.scale === 0));
    assert.equal(srv.requests[0].adapter, undefined);
  });

  it('treats a server without /lora-adapters as one without adapters', async () => {
    const plain = await startScriptedServer({ handler: () => ({ text: 'plain' }) });
    try {
      const c = await new LlmClient(config(plain, { backend: 'llamacpp', plainModel: 'base' })).complete({ agent: 'coding', messages: MESSAGES });
      assert.equal(c.text, 'plain');
      assert.equal(plain.requests[0].body.lora, undefined);
    } finally {
      await plain.close();
    }
  });

  it('says which adapter file is missing', async () => {
    srv.setModels(['retrieval', 'planning']);
    const err = await failure(new LlmClient(config(srv, { backend: 'llamacpp' })).complete({ agent: 'debugging', messages: MESSAGES }), 'adapter-missing');
    assert.equal(
      err.message,
      "llama.cpp has no LoRA adapter whose file name contains 'debugging'; it has: retrieval.gguf, planning.gguf. Start llama-server with --lora FILE for it or set the debugging model.",
    );
  });
});

describe('llm/LlmClient: sizing requests to the server\'s context', () => {
  it('learns the per-slot context from llama.cpp\'s /props and caps max_tokens to what fits after the prompt', async () => {
    const srv = await startScriptedServer({ llamacpp: true, contextTokens: 2048, slots: 2, handler: () => ({ text: 'ok' }) });
    try {
      const client = new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'llamacpp', plainModel: 'base' }));
      assert.deepEqual(await client.limits(), { contextTokens: 2048, slots: 2 });
      await client.complete({ agent: 'coding', messages: [{ role: 'user', content: 'x'.repeat(3000) }] });
      const sent = srv.requests[0].body.max_tokens as number;
      assert.ok(sent < 2048 - 1000 && sent >= 128, `max_tokens ${sent}`);
      // A prompt that leaves no room is not sent at all: the caller cuts it.
      await assert.rejects(client.complete({ agent: 'coding', messages: [{ role: 'user', content: 'x'.repeat(8000) }] }), (e) => e instanceof LlmError && e.code === 'context');
      assert.equal(srv.requests.length, 1);
    } finally {
      await srv.close();
    }
  });

  it('counts the prompt as llama.cpp does (its template, then /tokenize), once per prompt, and sizes max_tokens and the grammar from the count', async () => {
    const srv = await startScriptedServer({ llamacpp: true, contextTokens: 2048, charsPerToken: 4, handler: () => ({ text: '```cpp\nint main() {}\n```' }) });
    try {
      const client = new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'llamacpp', plainModel: 'base' }));
      const messages: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(4000) }];
      const shape = { kind: 'code', lang: 'cpp' } as const;
      // The template adds 50 characters: 4050 / 4 = 1013 tokens; the reply keeps a quarter of the context, so nothing must go.
      assert.deepEqual(await client.promptFit({ agent: 'coding', messages, shape }), { promptTokens: 1013, excess: 0, contextTokens: 2048 });
      const c = await client.complete({ agent: 'coding', messages, shape });
      assert.equal(c.constrained, true);
      const body = srv.requests[0].body;
      assert.equal(body.max_tokens, 2048 - 1013 - 16);
      const longest = new Gbnf(String(body.grammar)).maxBytes();
      assert.ok(longest <= body.max_tokens && longest > 0.9 * body.max_tokens, `grammar allows ${longest} bytes for max_tokens ${body.max_tokens}`);
      assert.deepEqual([srv.hits['POST /apply-template'], srv.hits['POST /tokenize']], [1, 1], 'fitted, then sent: counted once');
      // Twice as long: what must go for the reply to keep its 512 tokens.
      const long: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(8000) }];
      assert.equal((await client.promptFit({ agent: 'coding', messages: long, shape })).excess, 2013 + 16 + 512 - 2048);
    } finally {
      await srv.close();
    }
  });

  it('vLLM counts the messages in one /tokenize; a server that cannot count is estimated, and not asked again', async () => {
    const vllm = await startScriptedServer({ models: ['coding'], charsPerToken: 2, handler: () => ({ text: 'ok' }) });
    const other = await startScriptedServer({ llamacpp: true, contextTokens: 4096, handler: () => ({ text: 'ok' }) });
    try {
      const fit = await new LlmClient(defaultEndpointConfig({ baseUrl: vllm.url })).promptFit({ agent: 'coding', messages: MESSAGES });
      const templated = MESSAGES.reduce((n, m) => n + m.content.length + m.role.length + 24, 22);
      assert.deepEqual(fit, { promptTokens: Math.ceil(templated / 2), excess: 0, contextTokens: 32768 });
      assert.equal(vllm.hits['POST /tokenize'], 1);
      const client = new LlmClient(defaultEndpointConfig({ baseUrl: other.url, backend: 'llamacpp', plainModel: 'base' }));
      const first = await client.promptFit({ agent: 'coding', messages: [{ role: 'user', content: 'x'.repeat(300) }] });
      await client.promptFit({ agent: 'coding', messages: MESSAGES });
      assert.equal(first.promptTokens, 100 + 16, 'estimated: 3 characters a token, and the template');
      assert.equal(other.hits['POST /apply-template'], 1);
    } finally {
      await Promise.all([vllm.close(), other.close()]);
    }
  });

  it('takes vLLM\'s max_model_len from the model list', async () => {
    const srv = await startScriptedServer({ handler: () => ({ text: 'ok' }) });
    try {
      assert.deepEqual(await new LlmClient(defaultEndpointConfig({ baseUrl: srv.url })).limits(), { contextTokens: 32768 });
    } finally {
      await srv.close();
    }
  });
});

describe('llm/LlmClient: constrained replies', () => {
  const shape = { kind: 'confidence' } as const;
  const ask = (client: LlmClient) => client.complete({ agent: 'planning', messages: MESSAGES, shape });

  it('sends the grammar where the backend takes one: llama.cpp `grammar`, vLLM `structured_outputs.grammar`; none on Ollama or when off', async () => {
    const srv = await startScriptedServer({ llamacpp: true, models: ['planning'], handler: () => ({ text: '<root><explanation>x</explanation><confidence>5</confidence></root>' }) });
    const vllm = await startScriptedServer({ models: ['planning'], handler: () => ({ text: 'ok' }) });
    try {
      const c = await ask(new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'llamacpp' })));
      assert.equal(c.constrained, true);
      assert.match(String(srv.requests[0].body.grammar), /^root ::= .*"<confidence>" score "<\/confidence>"/m);
      await ask(new LlmClient(defaultEndpointConfig({ baseUrl: vllm.url, backend: 'vllm' })));
      assert.match(String((vllm.requests[0].body.structured_outputs as { grammar: string }).grammar), /^score ::= "100"/m);
      for (const cfg of [{ backend: 'vllm' as const, constrain: 'off' as const }, { backend: 'openai' as const }]) {
        const free = await ask(new LlmClient(defaultEndpointConfig({ baseUrl: vllm.url, ...cfg })));
        assert.equal(free.constrained, false);
        const body = vllm.requests.at(-1)!.body;
        assert.deepEqual([body.grammar, body.structured_outputs], [undefined, undefined], JSON.stringify(cfg));
      }
      await ask(new LlmClient(defaultEndpointConfig({ baseUrl: vllm.url, backend: 'openai', constrain: 'on' })));
      assert.ok(vllm.requests.at(-1)!.body.grammar);
      const ollama = await startScriptedServer({ ollama: true, models: ['planning:latest'], handler: () => ({ text: 'ok' }) });
      try {
        assert.equal((await ask(new LlmClient(defaultEndpointConfig({ baseUrl: ollama.url, backend: 'ollama', constrain: 'on' })))).constrained, false);
        assert.deepEqual([ollama.requests[0].body.grammar, ollama.requests[0].body.format], [undefined, undefined]);
      } finally {
        await ollama.close();
      }
    } finally {
      await Promise.all([srv.close(), vllm.close()]);
    }
  });

  it('a smaller reply after a context refusal gets a grammar sized to it', async () => {
    const refusal = { error: { code: 400, message: 'request (4400 tokens) exceeds the available context size (4096 tokens), try increasing it', type: 'exceed_context_size_error' } };
    const srv = await startScriptedServer({ llamacpp: true, models: ['planning'], handler: (r, i) => (i === 0 ? { status: 400, headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify(refusal) } : { text: 'ok' }) });
    try {
      await ask(new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'llamacpp' })));
      const [first, second] = srv.requests.map((r) => ({ max: r.body.max_tokens as number, longest: new Gbnf(String(r.body.grammar)).maxBytes() }));
      assert.equal(second.max, first.max / 2);
      assert.ok(first.longest <= first.max && second.longest <= second.max && second.longest < first.max / 2 + 1, JSON.stringify([first, second]));
    } finally {
      await srv.close();
    }
  });

  it('max_tokens too small for the reply\'s tags and fences: no grammar that could not close; said once, the reply is free', async () => {
    const srv = await startScriptedServer({ llamacpp: true, models: ['retrieval'], handler: () => ({ text: 'free' }) });
    try {
      const client = new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'llamacpp', sampling: { temperature: 0, topP: 1, maxTokens: 200 } }));
      const retrieval = () => client.complete({ agent: 'retrieval', messages: MESSAGES, shape: { kind: 'retrieval', k: 3 } });
      const first = await retrieval();
      assert.equal(first.constrained, false);
      assert.match(first.notice ?? '', /^max_tokens 200 cannot hold retrieval's reply \(k = 3\) \(its tags and fences alone need \d+ tokens\), so it is not constrained/);
      assert.equal((await retrieval()).notice, undefined, 'said once');
      assert.equal(srv.requests[0].body.grammar, undefined);
      // A program fits in 200 tokens: that reply is held to its shape.
      assert.equal((await client.complete({ agent: 'retrieval', messages: MESSAGES, shape: { kind: 'code', lang: 'cpp' } })).constrained, true);
    } finally {
      await srv.close();
    }
  });

  it('a server that refuses the grammar field: the same request again without it, said once, free from then on', async () => {
    // What vLLM before 0.12 (or a proxy) answers for a field it does not know.
    const srv = await startScriptedServer({
      models: ['planning'],
      handler: (r) => (r.body.structured_outputs
        ? { status: 400, headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify({ object: 'error', message: '[{\'type\': \'extra_forbidden\', \'loc\': (\'body\', \'structured_outputs\'), \'msg\': \'Extra inputs are not permitted\'}]', type: 'BadRequestError', code: 400 }) }
        : { text: 'free' }),
    });
    try {
      const client = new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'vllm' }));
      const first = await ask(client);
      assert.deepEqual([first.text, first.constrained], ['free', false]);
      assert.match(first.notice ?? '', /refused constrained replies .*Extra inputs are not permitted.*replies are free from now on/);
      const second = await ask(client);
      assert.equal(second.notice, undefined, 'said once');
      assert.deepEqual(srv.requests.map((r) => r.body.structured_outputs !== undefined), [true, false, false]);
    } finally {
      await srv.close();
    }
  });
});

describe('llm/LlmClient: redirects', () => {
  it('follows a redirect within the server, never to another host: the statement is not sent there', async () => {
    const elsewhere = await startScriptedServer({ handler: () => ({ text: 'stolen' }) });
    const { createServer } = await import('node:http');
    const target = (path: string) => (path.startsWith('/v1/chat') ? `${elsewhere.url}/chat/completions` : `${elsewhere.url}/models`);
    const redirecting = createServer((req, res) => {
      res.writeHead(307, { location: target(req.url ?? '') });
      res.end();
    });
    await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(redirecting.address() as { port: number }).port}/v1`;
    try {
      const err = await failure(new LlmClient(defaultEndpointConfig({ baseUrl: url, maxRetries: 0 })).complete({ agent: 'coding', messages: MESSAGES }), 'http');
      assert.match(err.message, /redirected the request to another host \(http:\/\/127\.0\.0\.1:\d+\); not followed/);
      assert.equal(elsewhere.requests.length, 0, 'the other host never got the prompt');
    } finally {
      redirecting.close();
      await elsewhere.close();
    }
  });
});

describe('llm/LlmClient: Ollama through its native API', () => {
  it('streams /api/chat with num_ctx sized to hold the prompt and the reply, growing only, and keep_alive', async () => {
    const srv = await startScriptedServer({ ollama: true, models: ['coding:latest'], handler: () => ({ text: 'print(1)' }) });
    try {
      const client = new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'ollama', models: { retrieval: 'coding', planning: 'coding', coding: 'coding', debugging: 'coding' } }));
      const streamed: string[] = [];
      const c = await client.complete({ agent: 'coding', messages: [{ role: 'user', content: 'x'.repeat(30_000) }], onToken: (d) => streamed.push(d) });
      assert.equal(c.text, 'print(1)');
      assert.ok(streamed.length > 1);
      const first = srv.requests[0];
      assert.equal(first.path, '/api/chat');
      const opts = first.body.options as { num_ctx: number; num_predict: number };
      assert.ok(opts.num_ctx >= 10_000 + 4096, `num_ctx ${opts.num_ctx} holds a 30,000-character prompt and max_tokens 4096`);
      assert.equal(first.body.keep_alive, '30m');
      await client.complete({ agent: 'coding', messages: [{ role: 'user', content: 'short' }] });
      assert.equal((srv.requests[1].body.options as { num_ctx: number }).num_ctx, opts.num_ctx, 'never shrunk: a change reloads the model');
      assert.ok(c.usage.promptTokens > 0 && c.usage.completionTokens > 0);
    } finally {
      await srv.close();
    }
  });

  it('an unknown model is named with what the server has; a 500 is Ollama\'s {error} message', async () => {
    const srv = await startScriptedServer({ ollama: true, models: ['coding:latest'], handler: () => ({ status: 500, text: 'llama runner process has terminated' }) });
    try {
      const client = new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, backend: 'ollama', maxRetries: 0 }));
      const missing = await failure(client.complete({ agent: 'planning', messages: MESSAGES }), 'adapter-missing');
      assert.match(missing.message, /no model\/adapter 'planning'; it has: .*coding:latest.*ollama create planning/);
      const broken = await failure(client.complete({ agent: 'coding', messages: MESSAGES }), 'http');
      assert.match(broken.message, /500.*llama runner process has terminated/);
    } finally {
      await srv.close();
    }
  });
});
