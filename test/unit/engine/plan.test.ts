import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localEndpoint } from '../../../src/core/engine/endpoint';
import { readGguf } from '../../../src/core/engine/gguf';
import { llamaServerArgs } from '../../../src/core/engine/llama-server';
import { availableMemory, planMemory } from '../../../src/core/engine/memory';
import { suggestModels } from '../../../src/core/engine/suggest';
import { chooseAdapter, type ServedModels } from '../../../src/core/engine/serve/openai';
import { RequestError } from '../../../src/core/engine/serve/llama';
import { describeSpec, sizingFor, specKey, type EngineSpec } from '../../../src/core/engine/spec';
import { defaultEndpointConfig } from '../../../src/core/llm';
import { tinyModel, writeGguf } from '../../fixtures/gguf';

describe('engine: sizing, memory, and how clients reach it', () => {
  it('sizing for k plans: room for a prompt and the reply per slot, k slots', () => {
    assert.deepEqual(sizingFor(3, 4096), { ctx: 7168, parallel: 3 });
    assert.deepEqual(sizingFor(1, 48), { ctx: 3072, parallel: 1 });
    assert.deepEqual(sizingFor(5, 1), { ctx: 3072, parallel: 5 });
  });

  it('two specs are the same engine whatever the order of their adapters', () => {
    const a: EngineSpec = { model: 'm', adapters: { coding: 'c', planning: 'p' }, ctx: 1, parallel: 1, threads: 0 };
    const b: EngineSpec = { ...a, adapters: { planning: 'p', coding: 'c' } };
    assert.equal(specKey(a), specKey(b));
    assert.notEqual(specKey(a), specKey({ ...a, llamaServer: '/bin/llama-server' }));
    assert.match(describeSpec(a), /^m with adapters coding=c, planning=p, 1 x 1 tokens$/);
  });

  it('llama-server gets -c for all slots, -np, its key from a file, every adapter in one --lora, none applied', () => {
    const args = llamaServerArgs({ binary: 'ls', model: '/m.gguf', adapters: ['/r.gguf', '/c.gguf'], ctx: 8192, parallel: 3, threads: 1, port: 9, apiKeyFile: '/k' });
    assert.deepEqual(args, ['-m', '/m.gguf', '--host', '127.0.0.1', '--port', '9', '-c', '24576', '-np', '3', '--api-key-file', '/k', '--metrics', '--no-webui',
      '-t', '1', '-tb', '1', '--lora', '/r.gguf,/c.gguf', '--lora-init-without-apply']);
    assert.ok(!llamaServerArgs({ binary: 'ls', model: '/m', adapters: [], ctx: 1, parallel: 1, threads: 0, port: 9, apiKeyFile: '/k' }).includes('--lora'));
  });

  describe('memory, estimated from the header', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'mcl-mem-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('every adapter\'s context when they fit, fewer when not, a refusal with figures when not even one does', async () => {
      const m = tinyModel(8, 1);
      writeGguf(join(dir, 'm.gguf'), m.meta, m.tensors);
      const info = await readGguf(join(dir, 'm.gguf'));
      const plenty = planMemory(info, 1024, 2, 4, 64e9);
      assert.ok(typeof plenty !== 'string' && plenty.contexts === 4);
      const one = planMemory(info, 1024, 2, 4, (plenty as { base: number }).base + 1.5 * (plenty as { perContext: number }).perContext);
      assert.ok(typeof one !== 'string' && one.contexts === 1);
      assert.match(planMemory(info, 1024, 2, 4, 100e6) as string, /the model needs about [\d.]+ MB of memory .* 100 MB is free: choose a smaller model, or fewer or shorter slots/);
    });
  });

  it('the local endpoint is a llama.cpp one: the token as key, each agent by its adapter file, or the plain model', () => {
    const base = defaultEndpointConfig({ backend: 'vllm' });
    const ready = { kind: 'node' as const, baseUrl: 'http://127.0.0.1:5/v1', model: 'tiny', ctx: 1, parallel: 1, notices: [], pid: 1 };
    const adapters = { retrieval: '/a/r1.gguf', planning: '/a/p.gguf', coding: '/b/code-lora.gguf', debugging: '/b/d.gguf' };
    const cfg = localEndpoint(base, { baseUrl: ready.baseUrl, token: 'tok', started: true, ready: { ...ready, adapters } });
    assert.equal(cfg.backend, 'llamacpp');
    assert.equal(cfg.apiKey, 'tok');
    assert.deepEqual(cfg.models, { retrieval: 'r1', planning: 'p', coding: 'code-lora', debugging: 'd' });
    assert.equal(cfg.plainModel, undefined);
    const plain = localEndpoint(base, { baseUrl: ready.baseUrl, token: 'tok', started: true, ready: { ...ready, adapters: {} } });
    assert.equal(plain.plainModel, 'tiny');
  });

  it('a request picks its adapter by the lora field (llama.cpp) or by model name', () => {
    const served: ServedModels = { base: 'tiny', modelPath: '/m', adapters: [{ name: 'retrieval', path: '/r' }, { name: 'coding', path: '/c' }], ctx: 1, parallel: 1, buildInfo: '' };
    assert.equal(chooseAdapter(served, { model: 'tiny', lora: [{ id: 0, scale: 0 }, { id: 1, scale: 1 }] }), 1);
    assert.equal(chooseAdapter(served, { model: 'tiny', lora: [{ id: 0, scale: 0 }, { id: 1, scale: 0 }] }), undefined);
    assert.equal(chooseAdapter(served, { model: 'coding' }), 1);
    assert.equal(chooseAdapter(served, { model: 'tiny' }), undefined);
    assert.equal(chooseAdapter(served, {}), undefined);
    const refused = [
      chooseAdapter(served, { model: 'planning' }),
      chooseAdapter(served, { lora: [{ id: 0, scale: 1 }, { id: 1, scale: 1 }] }),
      chooseAdapter(served, { lora: [{ id: 0, scale: 0.5 }] }),
      chooseAdapter(served, { lora: [{ id: 7, scale: 1 }] }),
      chooseAdapter(served, { lora: 'x' }),
    ];
    assert.ok(refused.every((r) => r instanceof RequestError), String(refused));
    assert.match((refused[0] as RequestError).message, /does not exist; this engine serves tiny, retrieval, coding/);
  });
});

describe('engine: what to offer, what memory to plan with', () => {
  it('suggests the 7B models where they fit, the 1.5B one always', () => {
    assert.deepEqual(suggestModels(16e9).map((m) => m.source), ['hf:Qwen/Qwen2.5-Coder-7B-Instruct-GGUF:Q4_K_M', 'hf:Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M', 'hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M']);
    assert.deepEqual(suggestModels(4e9).map((m) => m.source), ['hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M']);
    assert.equal(suggestModels(1e9).length, 1);
  });

  it('MAPCODER_ENGINE_MEMORY sets the budget, in bytes or with a unit', () => {
    assert.equal(availableMemory({ MAPCODER_ENGINE_MEMORY: '200M' }), 200e6);
    assert.equal(availableMemory({ MAPCODER_ENGINE_MEMORY: '1.5G' }), 1.5e9);
    assert.equal(availableMemory({ MAPCODER_ENGINE_MEMORY: '4096' }), 4096);
    assert.ok(availableMemory({}) > 0);
  });
});
