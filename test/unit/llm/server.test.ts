// The scripted server is what every pipeline test stands on: check it speaks the protocol right.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { startScriptedServer, scriptByAgent, type ScriptedRequest, type ScriptedServer } from '../../fixtures/llm-server/server';

const post = (srv: ScriptedServer, body: object) =>
  fetch(`${srv.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const dataLines = (sse: string) => sse.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));

describe('fixtures/llm-server', () => {
  let srv: ScriptedServer;
  afterEach(() => srv?.close());

  it('lists the base model and its LoRA adapters like vLLM', async () => {
    srv = await startScriptedServer({ baseModel: 'Qwen/Qwen2.5-7B-Instruct', models: ['coding'] });
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const list = await (await fetch(`${srv.url}/models`)).json() as any;
    assert.equal(list.object, 'list');
    assert.deepEqual(
      list.data.map((m: any) => [m.id, m.object, m.owned_by, m.root, m.parent]),
      [
        ['Qwen/Qwen2.5-7B-Instruct', 'model', 'vllm', 'Qwen/Qwen2.5-7B-Instruct', null],
        ['coding', 'model', 'vllm', '/adapters/coding', 'Qwen/Qwen2.5-7B-Instruct'],
      ],
    );
  });

  it('answers an unknown model with vLLM\'s 404', async () => {
    srv = await startScriptedServer();
    const res = await post(srv, { model: 'nope', messages: [] });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: { message: 'The model `nope` does not exist.', type: 'NotFoundError', param: 'model', code: 404 } });
  });

  it('answers 500 "no script" by default', async () => {
    srv = await startScriptedServer();
    const res = await post(srv, { model: 'coding', messages: [] });
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as any).error.message, 'no script');
  });

  it('streams role, content, finish, usage and [DONE] chunks', async () => {
    srv = await startScriptedServer({ handler: () => ({ text: 'abcdefghij', chunkChars: 4 }) });
    const res = await post(srv, { model: 'coding', messages: [{ role: 'user', content: '12345678' }], stream: true, stream_options: { include_usage: true } });
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const events = dataLines(await res.text());
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'coding'));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
    assert.deepEqual(chunks.slice(1, 4).map((c) => c.choices[0].delta.content), ['abcd', 'efgh', 'ij']);
    assert.equal(chunks[4].choices[0].finish_reason, 'stop');
    assert.deepEqual(chunks[5].choices, []);
    assert.deepEqual(chunks[5].usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  });

  it('answers stream=false with a chat.completion', async () => {
    srv = await startScriptedServer({ handler: () => ({ text: 'whole', finishReason: 'length' }) });
    const body = await (await post(srv, { model: 'planning', messages: [] })).json() as any;
    assert.equal(body.object, 'chat.completion');
    assert.deepEqual(body.choices[0].message, { role: 'assistant', content: 'whole' });
    assert.equal(body.choices[0].finish_reason, 'length');
  });

  it('records requests with their headers and body', async () => {
    srv = await startScriptedServer({ handler: () => ({ text: 'ok' }) });
    await post(srv, { model: 'coding', messages: [{ role: 'user', content: 'hi' }], temperature: 0.3 });
    const [r] = srv.requests;
    assert.deepEqual([r.model, r.stream, r.path, r.adapter, r.body.temperature], ['coding', false, '/v1/chat/completions', 'coding', 0.3]);
    assert.deepEqual(r.messages, [{ role: 'user', content: 'hi' }]);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(await srv.replyOutcome(0), 'finished');
  });

  it('scriptByAgent serves each model its queue, repeating the last reply', async () => {
    const handler = scriptByAgent({
      coding: [{ text: 'c1' }, { text: 'c2' }],
      planning: (req) => ({ text: `plan for ${req.messages.length}` }),
    });
    const req = (model: string): ScriptedRequest => ({ model, messages: [], stream: true, body: {}, headers: {}, path: '/v1/chat/completions', adapter: model });
    const texts = [];
    for (const m of ['coding', 'planning', 'coding', 'coding']) texts.push((await handler(req(m), 0)).text);
    assert.deepEqual(texts, ['c1', 'plan for 0', 'c2', 'c2']);
    const missing = await handler(req('debugging'), 0);
    assert.equal(missing.status, 500);
    assert.match(missing.text ?? '', /no script for model 'debugging'/);
  });

  it('acts like llama.cpp: one listed model, /lora-adapters, lora field checked', async () => {
    srv = await startScriptedServer({ llamacpp: true, models: ['planning', 'coding'], handler: () => ({ text: 'ok' }) });
    const list = await (await fetch(`${srv.url}/models`)).json() as any;
    assert.deepEqual(list.data.map((m: any) => m.id), ['base']);
    const root = srv.url.replace(/\/v1$/, '');
    assert.deepEqual(await (await fetch(`${root}/lora-adapters`)).json(), [
      { id: 0, path: '/adapters/planning.gguf', scale: 1 },
      { id: 1, path: '/adapters/coding.gguf', scale: 1 },
    ]);
    assert.equal((await post(srv, { model: 'anything', messages: [], lora: [{ id: 1, scale: 1 }] })).status, 200);
    assert.equal(srv.requests[0].adapter, 'coding');
    const bad = await post(srv, { model: 'anything', messages: [], lora: [{ id: 9, scale: 1 }] });
    assert.equal(bad.status, 400);
  });

  it('closes stalled connections on close()', async () => {
    srv = await startScriptedServer({ handler: () => ({ text: 'abc', stallAfterChars: 0 }) });
    let ended!: Promise<void>;
    await new Promise<void>((firstData) => {
      const req = request(`${srv.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        ended = new Promise((resolve) => res.on('close', resolve));
        res.once('data', () => firstData());
        res.on('error', () => undefined);
      });
      req.end(JSON.stringify({ model: 'coding', messages: [], stream: true }));
    });
    await srv.close();
    await ended;
    assert.equal(await srv.replyOutcome(0), 'closed');
  });
});
