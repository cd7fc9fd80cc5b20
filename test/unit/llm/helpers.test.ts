import { strict as assert } from 'node:assert';
import { adapterFor, loraField, sameModel, serverRoot } from '../../../src/core/llm/backends';
import { defaultBaseUrl, defaultEndpointConfig, modelFor } from '../../../src/core/llm/config';
import { faultOf, normalizeErrorBody, seconds, times } from '../../../src/core/llm/errors';
import { MAX_RETRY_WAIT_MS, parseRetryAfter, retryDelayMs, sleep } from '../../../src/core/llm/retry';

describe('llm/config', () => {
  it('defaults to vLLM on port 8000 with one adapter per agent', () => {
    const cfg = defaultEndpointConfig();
    assert.equal(cfg.baseUrl, 'http://127.0.0.1:8000/v1');
    assert.equal(cfg.backend, 'vllm');
    assert.deepEqual(cfg.models, { retrieval: 'retrieval', planning: 'planning', coding: 'coding', debugging: 'debugging' });
    assert.deepEqual(cfg.sampling, { temperature: 0, topP: 1, maxTokens: 4096 });
    assert.deepEqual([cfg.requestTimeoutMs, cfg.idleTimeoutMs, cfg.maxRetries, cfg.retryBaseMs], [600_000, 60_000, 3, 500]);
    assert.equal(cfg.apiKey, undefined);
  });

  it('follows the backend for the default URL unless one is given', () => {
    assert.equal(defaultBaseUrl('ollama'), 'http://127.0.0.1:11434/v1');
    assert.equal(defaultEndpointConfig({ backend: 'ollama' }).baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(defaultEndpointConfig({ backend: 'ollama', baseUrl: 'http://gpu:1/v1' }).baseUrl, 'http://gpu:1/v1');
    assert.equal(defaultEndpointConfig({ baseUrl: undefined }).baseUrl, 'http://127.0.0.1:8000/v1');
  });

  it('maps agents to models, the plain model overriding all', () => {
    const cfg = defaultEndpointConfig({ models: { retrieval: 'r', planning: 'p', coding: 'c', debugging: 'd' } });
    assert.equal(modelFor(cfg, 'coding'), 'c');
    assert.equal(modelFor({ ...cfg, plainModel: 'qwen' }, 'coding'), 'qwen');
  });
});

describe('llm/retry', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter('1.5', now), 1500);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('backs off exponentially with jitter, lets Retry-After win, caps at 30 s', () => {
    assert.equal(retryDelayMs(0, 100, undefined, () => 1), 100);
    assert.equal(retryDelayMs(2, 100, undefined, () => 1), 400);
    assert.equal(retryDelayMs(2, 100, undefined, () => 0), 200);
    assert.equal(retryDelayMs(5, 100, '0'), 0);
    assert.equal(retryDelayMs(0, 100, '3600'), MAX_RETRY_WAIT_MS);
    assert.equal(retryDelayMs(20, 500, undefined, () => 1), MAX_RETRY_WAIT_MS);
  });

  it('sleep rejects as soon as the signal aborts, and at once when it already has', async () => {
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await assert.rejects(p, (e: Error) => e.name === 'AbortError' && (e.cause as Error).message === 'stop');
    await assert.rejects(sleep(60_000, ac.signal), { name: 'AbortError' });
    await sleep(1);
  });
});

describe('llm/backends', () => {
  const adapters = [
    { id: 0, path: '/models/lora/Retrieval-r32.gguf', scale: 1 },
    { id: 1, path: 'C:\\loras\\coding-old.gguf', scale: 1 },
    { id: 2, path: '/models/lora/coding.gguf', scale: 1 },
  ];

  it('finds an adapter by file name, preferring an exact stem', () => {
    assert.equal(adapterFor(adapters, 'retrieval')?.id, 0);
    assert.equal(adapterFor(adapters, 'coding')?.id, 2);
    assert.equal(adapterFor(adapters, 'debugging'), undefined);
    assert.equal(adapterFor(adapters, 'lora'), undefined, 'directories do not count');
  });

  it('builds a lora field with only the chosen adapter on', () => {
    assert.deepEqual(loraField(adapters, adapters[2]), [{ id: 0, scale: 0 }, { id: 1, scale: 0 }, { id: 2, scale: 1 }]);
    assert.deepEqual(loraField(adapters), [{ id: 0, scale: 0 }, { id: 1, scale: 0 }, { id: 2, scale: 0 }]);
  });

  it('matches names, with Ollama\'s implicit :latest', () => {
    assert.ok(sameModel('vllm', 'coding', 'coding'));
    assert.ok(!sameModel('vllm', 'coding', 'coding:latest'));
    assert.ok(sameModel('ollama', 'coding', 'coding:latest'));
    assert.ok(!sameModel('ollama', 'coding', 'coding:v2'));
    assert.ok(!sameModel('ollama', 'coding:v2', 'coding:latest'));
  });

  it('finds the server root under /v1', () => {
    assert.equal(serverRoot('http://127.0.0.1:8080/v1'), 'http://127.0.0.1:8080');
    assert.equal(serverRoot('http://127.0.0.1:8080/v1/'), 'http://127.0.0.1:8080');
    assert.equal(serverRoot('http://host/llama'), 'http://host/llama');
  });
});

describe('llm/errors', () => {
  it('normalizes the error bodies of vLLM, FastAPI and Ollama into the OpenAI shape', () => {
    assert.deepEqual(normalizeErrorBody('{"object":"error","message":"m","type":"NotFoundError","param":null,"code":404}'), {
      error: { message: 'm', type: 'NotFoundError', code: 404 },
    });
    assert.deepEqual(normalizeErrorBody('{"detail":"Not Found"}'), { error: { message: 'Not Found', type: undefined, code: undefined } });
    assert.deepEqual(normalizeErrorBody('{"error":"model \\"x\\" not found"}'), { error: { message: 'model "x" not found' } });
    assert.deepEqual(normalizeErrorBody('{"error":{"message":"kept"}}'), { error: { message: 'kept' } });
    assert.equal(normalizeErrorBody('<html>'), undefined);
  });

  it('classifies network errors by the codes along the cause chain', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), {}) });
    assert.deepEqual(faultOf(refused), { kind: 'connect', errno: 'ECONNREFUSED' });
    const reset = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    assert.deepEqual(faultOf(reset), { kind: 'broken', detail: 'UND_ERR_SOCKET' });
    assert.equal(faultOf(new SyntaxError('Unexpected token')).kind, 'malformed');
    const other = new RangeError('mine');
    assert.deepEqual(faultOf(other), { kind: 'foreign', error: other });
  });

  it('words durations and counts', () => {
    assert.deepEqual([seconds(200), seconds(1500), seconds(60_000)], ['0.2 s', '1.5 s', '60 s']);
    assert.deepEqual([times(1), times(2), times(3), times(4)], ['once', 'twice', 'three times', '4 times']);
  });
});
