import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findLocalServers } from '../../../src/core/llm/discover';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';

const portOf = (url: string) => Number(new URL(url).port);

/** A plain HTTP server answering `routes` (path -> JSON) and 404 otherwise. */
async function jsonServer(routes: Record<string, unknown>): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    const body = routes[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': body === undefined ? 'text/html' : 'application/json' });
    res.end(body === undefined ? '<h1>Not Found</h1>' : JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server };
}

describe('llm: finding model servers on the usual local ports', () => {
  let vllm: ScriptedServer;
  let llamacpp: ScriptedServer;
  let ollama: { port: number; server: Server };
  let web: { port: number; server: Server };
  let closedPort: number;
  before(async () => {
    vllm = await startScriptedServer();
    llamacpp = await startScriptedServer({ llamacpp: true, baseModel: '/models/qwen2.5-7b.gguf' });
    // Ollama's answers: its own /api/version, and the OpenAI-style list naming the model's namespace as owner.
    ollama = await jsonServer({ '/api/version': { version: '0.12.3' }, '/v1/models': { object: 'list', data: [{ id: 'qwen2.5-coder:7b', object: 'model', created: 1, owned_by: 'library' }] } });
    web = await jsonServer({});
    const gone = await jsonServer({});
    closedPort = gone.port;
    await new Promise((r) => gone.server.close(r));
  });
  after(async () => {
    await Promise.all([vllm.close(), llamacpp.close(), ...[ollama, web].map((s) => new Promise((r) => s.server.close(r)))]);
  });

  it('names each server, its backend and models, and skips ports with no model server', async () => {
    const found = await findLocalServers({ ports: [closedPort, portOf(vllm.url), web.port, portOf(llamacpp.url), ollama.port] });
    assert.deepEqual(found.map((f) => [f.product, f.backend, f.baseUrl, f.models]), [
      ['vLLM', 'vllm', vllm.url, ['base', 'retrieval', 'planning', 'coding', 'debugging']],
      ['llama.cpp', 'llamacpp', llamacpp.url, ['/models/qwen2.5-7b.gguf']],
      ['Ollama 0.12.3', 'ollama', `http://127.0.0.1:${ollama.port}/v1`, ['qwen2.5-coder:7b']],
    ]);
  });

  it('leaves out the endpoint already checked, however its host is spelt', async () => {
    const found = await findLocalServers({ ports: [portOf(vllm.url), portOf(llamacpp.url)], except: [vllm.url.replace('127.0.0.1', 'localhost')] });
    assert.deepEqual(found.map((f) => f.product), ['llama.cpp']);
  });

  it('gives up on a port that accepts and never answers, within its time-out', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const found = await findLocalServers({ ports: [(silent.address() as AddressInfo).port, portOf(vllm.url)], timeoutMs: 200 });
      assert.deepEqual(found.map((f) => f.product), ['vLLM']);
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
