import { strict as assert } from 'node:assert';
import { defaultEndpointConfig, LlmClient, LlmError, type EndpointConfig } from '../../../src/core/llm';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';

function client(srv: ScriptedServer, overrides: Partial<EndpointConfig> = {}): LlmClient {
  return new LlmClient(defaultEndpointConfig({ baseUrl: srv.url, idleTimeoutMs: 2000, ...overrides }));
}

describe('llm/LlmClient.check', () => {
  let srv: ScriptedServer;
  afterEach(() => srv?.close());

  it('finds all four vLLM LoRA modules and notes the base they sit on', async () => {
    srv = await startScriptedServer({ baseModel: 'Qwen/Qwen2.5-7B-Instruct' });
    const c = await client(srv).check();
    assert.equal(c.ok, true);
    assert.equal(c.reachable, true);
    assert.deepEqual(c.serverModels, ['Qwen/Qwen2.5-7B-Instruct', 'retrieval', 'planning', 'coding', 'debugging']);
    assert.deepEqual(c.agents.map((a) => [a.agent, a.model, a.available]), [
      ['retrieval', 'retrieval', true], ['planning', 'planning', true], ['coding', 'coding', true], ['debugging', 'debugging', true],
    ]);
    assert.ok(c.agents.every((a) => a.note === 'LoRA adapter on Qwen/Qwen2.5-7B-Instruct'));
    assert.match(c.message, /^Ready/);
  });

  it('names the missing adapter and what the server has', async () => {
    srv = await startScriptedServer({ models: ['retrieval', 'planning', 'debugging'] });
    const c = await client(srv).check();
    assert.equal(c.ok, false);
    assert.deepEqual(c.agents.filter((a) => !a.available).map((a) => a.agent), ['coding']);
    assert.equal(
      c.message,
      "The server has no model/adapter 'coding'; it has: base, retrieval, planning, debugging. Load it with --lora-modules coding=DIR or set the coding model.",
    );
  });

  it('lists every missing agent', async () => {
    srv = await startScriptedServer({ models: ['retrieval'] });
    const c = await client(srv).check();
    assert.match(c.message, /'planning'.*Also missing: coding \('coding'\), debugging \('debugging'\)\./);
  });

  it('accepts a plain model for all agents and flags a base model used where an adapter was expected', async () => {
    srv = await startScriptedServer();
    const plain = await client(srv, { plainModel: 'base' }).check();
    assert.equal(plain.ok, true);
    assert.ok(plain.agents.every((a) => a.model === 'base' && a.available));
    assert.match(plain.message, /plain model 'base'/);
    const mapped = await client(srv, { models: { retrieval: 'base', planning: 'planning', coding: 'coding', debugging: 'debugging' } }).check();
    assert.equal(mapped.agents[0].note, 'a base model, not a LoRA adapter');
  });

  it('reports a missing plain model', async () => {
    srv = await startScriptedServer();
    const c = await client(srv, { plainModel: 'llama3' }).check();
    assert.equal(c.ok, false);
    assert.match(c.message, /no model\/adapter 'llama3'; it has: base, retrieval/);
  });

  it('matches Ollama model names with their :latest tag', async () => {
    srv = await startScriptedServer({ models: ['retrieval:latest', 'planning:latest', 'coding:latest', 'debugging:v2'] });
    const c = await client(srv, { backend: 'ollama' }).check();
    assert.deepEqual(c.agents.map((a) => a.available), [true, true, true, false]);
    assert.match(c.message, /ollama create debugging/);
  });

  it('checks llama.cpp adapters by file name', async () => {
    srv = await startScriptedServer({ llamacpp: true, models: ['retrieval', 'planning-r32', 'coding'] });
    const c = await client(srv, { backend: 'llamacpp' }).check();
    assert.deepEqual(c.serverModels, ['base']);
    assert.deepEqual(c.agents.map((a) => a.available), [true, true, true, false]);
    assert.equal(c.agents[1].note, 'adapter 1: planning-r32.gguf');
    assert.match(c.message, /no LoRA adapter whose file name contains 'debugging'; it has: retrieval\.gguf, planning-r32\.gguf, coding\.gguf/);
  });

  it('checks a plain model on llama.cpp against the model it loaded, naming it', async () => {
    srv = await startScriptedServer({ llamacpp: true, baseModel: '/models/qwen2.5-7b-instruct-q4_k_m.gguf' });
    const ok = await client(srv, { backend: 'llamacpp', plainModel: 'qwen2.5-7b' }).check();
    assert.equal(ok.ok, true);
    assert.equal(ok.agents[0].note, 'the loaded model qwen2.5-7b-instruct-q4_k_m.gguf, adapters off');
    const wrong = await client(srv, { backend: 'llamacpp', plainModel: 'llama3' }).check();
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /no model\/adapter 'llama3'; it has: \/models\/qwen2\.5-7b-instruct-q4_k_m\.gguf/);
  });

  it('says nothing is listening instead of throwing', async () => {
    srv = await startScriptedServer();
    await srv.close();
    const c = await client(srv).check();
    assert.equal(c.ok, false);
    assert.equal(c.reachable, false);
    assert.deepEqual(c.agents, []);
    assert.match(c.message, /^No server is listening at http:\/\/127\.0\.0\.1:\d+\/v1 \(connection refused\)/);
  });

  it('reports a wrong base URL (404 on /models) as reachable but not ok', async () => {
    srv = await startScriptedServer();
    const c = await new LlmClient(defaultEndpointConfig({ baseUrl: srv.url.replace(/\/v1$/, '/api'), idleTimeoutMs: 2000 })).check();
    assert.equal(c.ok, false);
    assert.equal(c.reachable, true);
    assert.match(c.message, /answered 404 for the model list .*usually ends in \/v1/);
  });

  it('throws "cancelled" when its signal aborts', async () => {
    srv = await startScriptedServer();
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(client(srv).check(ac.signal), (e) => e instanceof LlmError && e.code === 'cancelled');
  });

  it('lists model ids', async () => {
    srv = await startScriptedServer({ models: ['coding'] });
    assert.deepEqual(await client(srv).listModels(), ['base', 'coding']);
  });
});
