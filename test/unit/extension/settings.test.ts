import { strict as assert } from 'node:assert';
import { speculates } from '../../../src/core/llm/config';
import { endpointConfigFrom, judgeOptionsFrom } from '../../../src/extension/settings/core-options';
import { readSettings } from '../../../src/extension/settings/read';

const getter = (values: Record<string, unknown>) => (key: string) => values[key];

describe('extension settings', () => {
  it('gives the documented defaults when nothing is set', () => {
    const { settings, problems } = readSettings(getter({}));
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      endpoint: 'http://127.0.0.1:8000/v1', backend: 'vllm', engine: 'auto', localModel: '', localAdapters: {}, localIdleMinutes: 15, llamaServerPath: '',
      plainModel: '', k: 3, t: 5, temperature: 0, maxTokens: 4096,
      requestTimeoutSeconds: 600, idleTimeoutSeconds: 60, defaultLanguage: undefined, timeLimitMs: 2000, memoryLimitMb: 256,
      promptsDir: '', traceDir: '', speculativePlans: 'auto', constrainedDecoding: 'auto', stressTests: 20, companion: true,
      companionPort: 27233, companionFolder: '', collectAccepted: false, datasetDir: '', checker: '', testlib: '',
      models: { retrieval: 'retrieval', planning: 'planning', coding: 'coding', debugging: 'debugging' }, languages: {},
    });
    const cfg = endpointConfigFrom(settings);
    assert.equal(cfg.baseUrl, 'http://127.0.0.1:8000/v1');
    assert.equal(cfg.backend, 'vllm');
    assert.deepEqual(cfg.models, { retrieval: 'retrieval', planning: 'planning', coding: 'coding', debugging: 'debugging' });
    assert.equal(cfg.plainModel, undefined);
    assert.equal(cfg.apiKey, undefined);
    assert.equal(cfg.requestTimeoutMs, 600_000);
    assert.equal(cfg.idleTimeoutMs, 60_000);
    assert.deepEqual(cfg.knobs, { idleTimeout: 'the setting mapcoderLite.idleTimeoutSeconds', requestTimeout: 'the setting mapcoderLite.requestTimeoutSeconds' });
    assert.equal(cfg.sampling.temperature, 0);
    assert.equal(cfg.sampling.maxTokens, 4096);
  });

  it('maps every endpoint setting onto the endpoint config, with the API key from secret storage', () => {
    const { settings } = readSettings(getter({
      endpoint: ' http://127.0.0.1:11434/v1 ', backend: 'ollama', plainModel: 'qwen2.5-coder:7b',
      'models.coding': 'my-coder', temperature: 0.2, maxTokens: 1024, requestTimeoutSeconds: 30, idleTimeoutSeconds: 2.5,
    }));
    const cfg = endpointConfigFrom(settings, 'sk-local');
    assert.equal(cfg.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(cfg.backend, 'ollama');
    assert.equal(cfg.plainModel, 'qwen2.5-coder:7b');
    assert.equal(cfg.models.coding, 'my-coder');
    assert.equal(cfg.models.retrieval, 'retrieval');
    assert.equal(cfg.apiKey, 'sk-local');
    assert.equal(cfg.sampling.temperature, 0.2);
    assert.equal(cfg.sampling.maxTokens, 1024);
    assert.equal(cfg.requestTimeoutMs, 30_000);
    assert.equal(cfg.idleTimeoutMs, 2500);
  });

  it('time-outs past what a timer can hold (24.8 days) fall back to their defaults, said in one line each', () => {
    const { settings, problems } = readSettings(getter({ requestTimeoutSeconds: 2147484, idleTimeoutSeconds: 2147483.7 }));
    assert.deepEqual([settings.requestTimeoutSeconds, settings.idleTimeoutSeconds], [600, 60]);
    assert.deepEqual(problems, [
      'mapcoderLite.requestTimeoutSeconds must be at most 2147483 seconds (24.8 days, the longest a timer can wait) (got 2147484); using 600.',
      'mapcoderLite.idleTimeoutSeconds must be at most 2147483 seconds (24.8 days, the longest a timer can wait) (got 2147483.7); using 60.',
    ]);
    const longest = readSettings(getter({ requestTimeoutSeconds: 2147483, idleTimeoutSeconds: 'soon' }));
    assert.equal(endpointConfigFrom(longest.settings).requestTimeoutMs, 2147483000);
    assert.deepEqual(longest.problems, ['mapcoderLite.idleTimeoutSeconds must be a number of seconds (got "soon"); using 60.']);
  });

  it('maps languages, limits and commands onto the judge options', () => {
    const { settings, problems } = readSettings(getter({
      'languages.cpp.compile': ['clang++', '-O2', '-o', '{exe}', '{src}'], 'languages.python3.run': ['pypy3', '{src}'],
      'languages.rust.run': [], timeLimitMs: 5000, memoryLimitMb: 512, defaultLanguage: 'c++',
    }));
    assert.deepEqual(problems, []);
    assert.equal(settings.defaultLanguage, 'cpp');
    assert.deepEqual(judgeOptionsFrom(settings), {
      commands: { cpp: { compile: ['clang++', '-O2', '-o', '{exe}', '{src}'] }, python3: { run: ['pypy3', '{src}'] } },
      defaultTimeLimitMs: 5000,
      defaultMemoryLimitMb: 512,
    });
  });

  it('the dataset flywheel is off unless switched on, and a non-boolean keeps it off', () => {
    assert.equal(readSettings(getter({})).settings.collectAccepted, false);
    const on = readSettings(getter({ collectAccepted: true, datasetDir: '/data/mcl' })).settings;
    assert.deepEqual([on.collectAccepted, on.datasetDir], [true, '/data/mcl']);
    const bad = readSettings(getter({ collectAccepted: 'yes' }));
    assert.equal(bad.settings.collectAccepted, false);
    assert.match(bad.problems[0], /collectAccepted must be true or false/);
  });

  it('speculative plans: auto is on for vLLM only; on/off force it; old booleans still read', () => {
    const read = (values: Record<string, unknown>) => readSettings(getter(values));
    const decide = (values: Record<string, unknown>) => {
      const { settings } = read(values);
      return speculates(settings.speculativePlans, settings.backend);
    };
    assert.equal(read({}).settings.speculativePlans, 'auto');
    assert.deepEqual(['vllm', 'openai', 'llamacpp', 'ollama'].map((backend) => decide({ backend })), [true, false, false, false]);
    assert.deepEqual([decide({ backend: 'ollama', speculativePlans: 'on' }), decide({ backend: 'vllm', speculativePlans: 'off' })], [true, false]);
    assert.deepEqual([read({ speculativePlans: true }).settings.speculativePlans, read({ speculativePlans: false }).settings.speculativePlans], ['on', 'off']);
    const bad = read({ speculativePlans: 'sometimes' });
    assert.equal(bad.settings.speculativePlans, 'auto');
    assert.match(bad.problems[0], /speculativePlans must be one of auto, on, off/);
  });

  it('falls back to defaults for bad values and says which', () => {
    const { settings, problems } = readSettings(getter({
      k: 0, t: 2.5, temperature: -1, backend: 'tgi', defaultLanguage: 'cobol', 'languages.c.run': 'a.out', endpoint: 'localhost:8000',
      'models.planning': '  ',
    }));
    assert.equal(settings.k, 3);
    assert.equal(settings.t, 5);
    assert.equal(settings.temperature, 0);
    assert.equal(settings.backend, 'vllm');
    assert.equal(settings.defaultLanguage, undefined);
    assert.equal(settings.languages.c, undefined);
    assert.equal(settings.models.planning, 'planning');
    assert.equal(problems.length, 7);
    for (const key of ['k', 't', 'temperature', 'backend', 'defaultLanguage', 'languages.c.run', 'endpoint']) {
      assert.ok(problems.some((p) => p.includes(`mapcoderLite.${key} `)), key);
    }
  });

  it('says what is wrong with an endpoint in the words the CLI uses, and keeps it (the panel and the run show it)', () => {
    const read = (endpoint: string) => readSettings(getter({ endpoint }));
    assert.deepEqual(read('localhost:8000/v1').problems, ['mapcoderLite.endpoint "localhost:8000/v1" has no scheme: add http:// (http://localhost:8000/v1)']);
    assert.deepEqual(read('ftp://h/v1').problems, ['mapcoderLite.endpoint "ftp://h/v1": use http:// or https://, not ftp://']);
    assert.equal(read('localhost:8000/v1').settings.endpoint, 'localhost:8000/v1');
    assert.deepEqual(read(' https://h:1/v1 ').problems, []);
  });

  it('clamps only where package.json says the setting has a maximum the reader applies', () => {
    const { settings } = readSettings(getter({ 'companion.port': 70000, stressTests: 5000, k: 50 }));
    assert.deepEqual([settings.companionPort, settings.stressTests, settings.k], [65535, 1000, 50]);
  });
});
