import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { installRuntime, isInstalled, versionDir } from '../../src/core/engine/runtime';
import { runtimeDir } from '../../src/core/engine/paths';
import { ensureLlama, type LlamaBuild } from '../servers/build';
import { tinyAdapter, writeGguf } from '../fixtures/gguf';
import { startHub, type HubServer } from '../fixtures/hub-server';
import { cli, memoryOf, processesOf, run, serve, SUM, until, type CliRun } from './helpers';

// The product's own engine in real processes, on the tests' tiny random Qwen2 and its four adapters:
// `serve` answered as llama-server is, `solve --local` from nothing to the end, shared, killed, fed bad
// files, downloading through a loopback hub, and managing the real llama-server. One thread each.

const AGENTS = ['retrieval', 'planning', 'coding', 'debugging'] as const;
const SHORT = ['--max-tokens', '48'];
// Room for every reply's grammar to close: retrieval with k = 3 needs 562 tokens for its tags alone
// (a token is counted as one byte, core/llm/constrain.ts), so a shorter reply is sent unconstrained.
const CLOSES = ['--max-tokens', '600'];

describe('the local engine (real processes)', function () {
  this.timeout(900_000);
  let build: LlamaBuild;
  let tmp: string;
  let n = 0;
  /** A fresh engine folder: its own lock, log, and the processes that carry it. */
  const engineEnv = () => ({ MAPCODER_ENGINE_DIR: join(tmp, `engine-${++n}`) });
  const loras = () => AGENTS.flatMap((a) => ['--lora', `${a}=${build.models.adapters[a]}`]);
  const local = (model = build.models.clean) => ['--local', model, ...loras(), '--threads', '1'];
  const exitedWell = (r: CliRun) => assert.ok(r.code === 0 || r.code === 1, `exit ${r.code} ${r.signal ?? ''}: ${r.err.slice(-3000)}`);
  const nothingLeft = async (env: { MAPCODER_ENGINE_DIR: string }) => {
    // The engine ends with its last client; its process may take a moment to go.
    await until('the engine to end', () => processesOf(env.MAPCODER_ENGINE_DIR).length === 0, 15_000).catch(() => undefined);
    assert.deepEqual(processesOf(env.MAPCODER_ENGINE_DIR), [], 'nothing of the engine is left');
    assert.ok(!existsSync(join(env.MAPCODER_ENGINE_DIR, 'engine.json')), 'its lock is gone');
  };

  before(async function () {
    build = ensureLlama((s) => process.stderr.write(`${s}\n`));
    if (!isInstalled(runtimeDir())) {
      process.stderr.write('installing the engine runtime (node-llama-cpp, CPU build) ...\n');
      await installRuntime(runtimeDir());
    }
    tmp = mkdtempSync(join(tmpdir(), 'mcl-engine-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('serve: one more llama.cpp endpoint', () => {
    let s: Awaited<ReturnType<typeof serve>>;
    let env: { MAPCODER_ENGINE_DIR: string };
    const auth = () => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/json' });
    const chat = async (body: Record<string, unknown>) => {
      const res = await fetch(`${s.base}/chat/completions`, { method: 'POST', headers: auth(), body: JSON.stringify({ temperature: 0, max_tokens: 16, ...body }) });
      return { res, body: (await res.json()) as { choices: { message: { content: string } }[]; model: string; usage: Record<string, unknown>; error?: { message: string } } };
    };
    const hello = [{ role: 'user', content: 'Write a program that adds two numbers.' }];
    before(async () => {
      env = engineEnv();
      s = await serve(['--model', build.models.clean, ...loras(), '--threads', '1', '--parallel', '1'], env);
    });
    after(async () => {
      await s.stop();
      await nothingLeft(env);
    });

    it('runs on node-llama-cpp\'s prebuilt CPU binary (nothing compiled or downloaded)', () => {
      assert.match(s.err(), /node-llama-cpp: prebuilt binary, gpu none/);
      assert.ok(!existsSync(join(versionDir(runtimeDir()), 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle')), 'no llama.cpp source to build from');
    });

    it('binds 127.0.0.1 only, and every route but /health wants the token', async () => {
      const port = Number(new URL(s.base).port);
      const listening = readFileSync('/proc/net/tcp', 'utf8').split('\n').filter((l) => l.includes(`:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`));
      assert.deepEqual(listening.map((l) => l.trim().split(/\s+/)[1]), [`0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`]);
      const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (outside) {
        const refused = await new Promise<boolean>((r) => connect(port, outside.address).once('connect', () => r(false)).once('error', () => r(true)));
        assert.ok(refused, `nothing answers on ${outside.address}:${port}`);
      }
      assert.equal((await fetch(`${s.origin}/health`)).status, 200);
      for (const [path, method] of [['/v1/models', 'GET'], ['/props', 'GET'], ['/lora-adapters', 'GET'], ['/v1/chat/completions', 'POST'], ['/engine/status', 'GET']]) {
        for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${s.token}` }] as Record<string, string>[]) {
          const res = await fetch(`${s.origin}${path}`, { method, headers, ...(method === 'POST' ? { body: JSON.stringify({ messages: hello }) } : {}) });
          assert.equal(res.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
        }
      }
    });

    it('lists the base model and one model per agent, its adapters, and its context as /props does', async () => {
      const models = (await (await fetch(`${s.base}/models`, { headers: auth() })).json()) as { data: { id: string; parent: string | null }[] };
      assert.deepEqual(models.data.map((m) => [m.id, m.parent]), [['tiny-clean', null], ...AGENTS.map((a) => [a, 'tiny-clean'])]);
      const adapters = (await (await fetch(`${s.origin}/lora-adapters`, { headers: auth() })).json()) as { id: number; path: string }[];
      assert.deepEqual(adapters.map((a) => a.path), AGENTS.map((a) => build.models.adapters[a]));
      const props = (await (await fetch(`${s.origin}/props`, { headers: auth() })).json()) as { default_generation_settings: { n_ctx: number }; total_slots: number };
      assert.equal(props.default_generation_settings.n_ctx, 8192);
      assert.equal(props.total_slots, 1);
      const check = await cli(['check', '--backend', 'llamacpp', '--endpoint', s.base], { MAPCODER_API_KEY: s.token });
      assert.equal(check.code, 0, check.out + check.err);
      assert.match(check.out, /Ready: all four agents have their adapter on the server/);
      assert.match(check.out, /Context: 8192 tokens per request \(1 slot\)/);
    });

    it('each agent\'s adapter answers its requests (by lora field or model name); two adapters, two replies at temperature 0', async () => {
      const replies: Record<string, string> = {};
      for (const [id, agent] of AGENTS.entries()) {
        const { res, body } = await chat({ model: 'tiny-clean', messages: hello, lora: AGENTS.map((_, i) => ({ id: i, scale: i === id ? 1 : 0 })) });
        assert.equal(res.headers.get('x-mapcoder-adapter'), agent);
        assert.equal(body.model, agent);
        replies[agent] = body.choices[0].message.content;
        const byName = await chat({ model: agent, messages: hello });
        assert.equal(byName.body.choices[0].message.content, replies[agent], `${agent}: the same adapter, the same tokens`);
      }
      const base = await chat({ model: 'tiny-clean', messages: hello });
      assert.equal(base.res.headers.get('x-mapcoder-adapter'), 'tiny-clean');
      assert.equal(new Set([...Object.values(replies), base.body.choices[0].message.content]).size, 5, JSON.stringify(replies));
    });

    it('streams with usage and timings as llama-server does; the grammar field holds the reply; bad requests are 4xx', async () => {
      const res = await fetch(`${s.base}/chat/completions`, {
        method: 'POST', headers: auth(),
        body: JSON.stringify({ model: 'coding', messages: hello, temperature: 0, max_tokens: 40, stream: true, stream_options: { include_usage: true }, grammar: 'root ::= "<x>" [a-z]{1,6} "</x>"' }),
      });
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const events = (await res.text()).trim().split('\n\n');
      assert.equal(events.at(-1), 'data: [DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: { completion_tokens: number; prompt_tokens: number } });
      const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
      assert.match(text, /^<x>[a-z]{1,6}<\/x>$/);
      assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'stop');
      const usage = chunks.at(-1)!.usage!;
      assert.ok(usage.prompt_tokens > 10 && usage.completion_tokens >= 3);
      const badGrammar = await chat({ messages: hello, grammar: 'root ::= (' });
      assert.equal(badGrammar.res.status, 400);
      assert.match(badGrammar.body.error!.message, /parse grammar/i);
      const long = await chat({ messages: [{ role: 'user', content: 'word '.repeat(9000) }] });
      assert.equal(long.res.status, 400);
      assert.match(long.body.error!.message, /exceeds the available context size \(8192 tokens\)/);
      assert.equal((await chat({ model: 'writer', messages: hello })).res.status, 404);
    });

    it('a client that goes away stops its generation within a second (the one slot is free again)', async () => {
      const abort = new AbortController();
      const res = await fetch(`${s.base}/chat/completions`, {
        method: 'POST', headers: auth(), signal: abort.signal,
        body: JSON.stringify({ model: 'planning', messages: hello, temperature: 0, max_tokens: 6000, stream: true }),
      });
      const reader = res.body!.getReader();
      await reader.read();
      await reader.read();
      abort.abort();
      // One slot: this request runs only once the cancelled one has given it back (6000 tokens would take far longer).
      const after = await chat({ model: 'planning', messages: hello });
      assert.equal(after.res.status, 200);
      const line = await until('the engine to log the cancel', () => /cancelled: the planning request stopped (\d+) ms after its client left/.exec(s.err()) ?? undefined, 10_000);
      process.stderr.write(`    cancel: generation stopped ${line[1]} ms after the client left\n`);
      assert.ok(Number(line[1]) < 1000, line[0]);
    });

    it('the weights are in memory once: mapped from the file, not copied per adapter', async () => {
      // Two fresh engines, each asked once per model it serves: the bare model, and the model with four adapters.
      const resident = async (args: string[], models: string[]) => {
        const e = engineEnv();
        const x = await serve(['--model', build.models.clean, ...args, '--threads', '1', '--parallel', '1'], e);
        try {
          for (const model of models) {
            await fetch(`${x.base}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${x.token}` }, body: JSON.stringify({ model, messages: hello, max_tokens: 4 }) });
          }
          return memoryOf(x.child.pid!, build.models.clean);
        } finally {
          await x.stop();
          await nothingLeft(e);
        }
      };
      const one = await resident([], ['tiny-clean']);
      const four = await resident(loras(), ['tiny-clean', ...AGENTS]);
      const size = statSync(build.models.clean).size;
      process.stderr.write(`    resident: ${(four.rss / 1e6).toFixed(0)} MB with four adapters, ${(one.rss / 1e6).toFixed(0)} MB plain; the model file mapped: ${(four.fileRss / 1e6).toFixed(1)} MB of ${(size / 1e6).toFixed(1)} MB\n`);
      assert.ok(four.fileRss <= size, 'the model file is mapped once');
      // Four contexts' caches and the allocator's slack vary by some tens of MB between runs; a copy of the
      // weights per adapter would add three copies, so less than two stays a sharp line between the two.
      assert.ok(four.rss - one.rss < 2 * size, `four adapters' contexts add ${four.rss - one.rss} bytes, less than two copies of the weights (${size} each)`);
    });
  });

  describe('solve --local: from nothing to the end, nothing left running', () => {
    for (const lang of ['python3', 'cpp']) {
      it(`k = 3 in ${lang}: each agent answered by its own adapter`, async () => {
        const env = engineEnv();
        const trace = join(tmp, `trace-${lang}.jsonl`);
        const r = await cli(['solve', SUM, '--lang', lang, ...local(), '--k', '3', '--t', '1', ...CLOSES, '--json', '--out', join(tmp, `out-${lang}`), '--trace', trace], env);
        exitedWell(r);
        assert.match(r.err, /engine: ready at http:\/\/127\.0\.0\.1:\d+\/v1: tiny-clean with adapters retrieval, planning, coding, debugging/);
        const finished = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'agent-finished');
        assert.ok(finished.length >= 5);
        for (const e of finished) assert.equal(e.model, e.step.agent, `${e.step.kind} answered by ${e.model}`);
        assert.ok(finished.every((e) => e.constrained === true), 'every reply constrained');
        await nothingLeft(env);
      });
    }

    it('constrained replies hold the protocol\'s shape on the raw random model: k exemplars, numeric confidences, 0 format failures', async () => {
      const env = engineEnv();
      const trace = join(tmp, 'trace-raw.jsonl');
      const r = await cli(['solve', SUM, '--lang', 'cpp', ...local(build.models.raw), '--k', '3', '--t', '1', ...CLOSES, '--json', '--out', join(tmp, 'out-raw'), '--trace', trace], env);
      exitedWell(r);
      const events = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(events.find((e) => e.type === 'retrieval-done')?.result.exemplars.length, 3);
      const finished = events.filter((e) => e.type === 'agent-finished');
      assert.ok(finished.filter((e) => e.step.kind === 'confidence').every((e) => e.ok && typeof e.parsed?.confidence === 'number'));
      const failures = Object.values(JSON.parse(r.out).formatFailures as Record<string, number>).reduce((a, b) => a + b, 0);
      assert.equal(failures, 0, r.out);
      await nothingLeft(env);
    });

    it('without adapters: one plain model for all four agents, said once', async () => {
      const env = engineEnv();
      const r = await cli(['solve', SUM, '--lang', 'python3', '--local', build.models.clean, '--threads', '1', '--k', '1', '--t', '0', ...SHORT, '--out', join(tmp, 'out-plain')], env);
      exitedWell(r);
      assert.equal(r.err.match(/note: No adapters: one plain model serves all four agents/g)?.length, 1, r.err);
      await nothingLeft(env);
    });

    it('two clients share one engine', async () => {
      const env = engineEnv();
      const args = (i: number) => ['solve', SUM, '--lang', 'python3', ...local(), '--k', '2', '--t', '1', ...SHORT, '--out', join(tmp, `shared-${i}`)];
      const [a, b] = await Promise.all([cli(args(1), env), cli(args(2), env)]);
      exitedWell(a);
      exitedWell(b);
      const url = (r: CliRun) => /engine: ready at (\S+):/.exec(r.err)?.[1];
      assert.ok(url(a) && url(a) === url(b), `${url(a)} / ${url(b)}`);
      const log = readFileSync(join(env.MAPCODER_ENGINE_DIR, 'engine.log'), 'utf8');
      assert.equal(log.match(/ ready: http/g)?.length, 1, 'one engine was loaded');
      await nothingLeft(env);
    });

    it('an engine that dies mid-solve ends the solve with a clear line; the next solve starts a new one', async () => {
      const env = engineEnv();
      const victim = run(['solve', SUM, '--lang', 'python3', ...local(), '--k', '3', '--t', '3', '--max-tokens', '3000', '--temperature', '1', '--stress', 'off', '--out', join(tmp, 'out-dead')], env);
      await until('the solve to be under way', () => victim.err().includes('retrieval') || victim.err().includes('planning'));
      const lock = JSON.parse(readFileSync(join(env.MAPCODER_ENGINE_DIR, 'engine.json'), 'utf8')) as { pid: number };
      process.kill(lock.pid, 'SIGKILL');
      const r = await victim.done;
      assert.equal(r.code, 3, r.err.slice(-2000));
      assert.match(r.err, new RegExp(`the local engine \\(pid ${lock.pid}\\) ended unexpectedly \\(killed by SIGKILL; its log: \\S+engine\\.log\\); the next solve starts a new one`));
      const again = await cli(['solve', SUM, '--lang', 'python3', ...local(), '--k', '1', '--t', '0', ...SHORT, '--out', join(tmp, 'out-again')], env);
      exitedWell(again);
      assert.match(again.err, /engine: starting/);
      await nothingLeft(env);
    });

    it('Ctrl-C while it runs: exit 130, the engine gone with it', async () => {
      const env = engineEnv();
      const victim = run(['solve', SUM, '--lang', 'python3', ...local(), '--k', '3', '--t', '3', '--max-tokens', '3000', '--temperature', '1', '--out', join(tmp, 'out-int')], env);
      await until('the solve to be under way', () => victim.err().includes('retrieval') || victim.err().includes('planning'));
      victim.child.kill('SIGINT');
      const r = await victim.done;
      assert.equal(r.code, 130, r.err.slice(-2000));
      await nothingLeft(env);
    });
  });

  describe('bad input: one clear line, nothing hangs, nothing left', () => {
    const solveWith = (args: string[], env: NodeJS.ProcessEnv) => cli(['solve', SUM, '--lang', 'python3', ...args, '--k', '1', '--t', '0', ...SHORT, '--out', join(tmp, 'out-bad')], env);
    const refused = async (args: string[], pattern: RegExp, extra: NodeJS.ProcessEnv = {}) => {
      const env = engineEnv();
      const r = await solveWith(args, { ...env, ...extra });
      assert.equal(r.code, 3, r.err);
      assert.match(r.err, pattern);
      await nothingLeft(env);
    };

    it('a file that is not GGUF, and one cut short', async () => {
      const notGguf = join(tmp, 'notes.gguf');
      writeFileSync(notGguf, 'these are my notes, not a model\n'.repeat(10));
      await refused(['--local', notGguf], /notes\.gguf is not a GGUF model file/);
      const cut = join(tmp, 'cut.gguf');
      copyFileSync(build.models.clean, cut);
      writeFileSync(cut, readFileSync(cut).subarray(0, 30_000_000));
      await refused(['--local', cut], /cut\.gguf is truncated: 30 MB of 45\.7 MB/);
    });

    it('an adapter made for another base model', async () => {
      const wide = join(tmp, 'wide-coding.gguf');
      const a = tinyAdapter(128);
      writeGguf(wide, a.meta, a.tensors);
      const args = ['--local', build.models.clean, ...AGENTS.flatMap((x) => ['--lora', `${x}=${x === 'coding' ? wide : build.models.adapters[x]}`])];
      await refused(args, /the coding adapter .*wide-coding\.gguf does not fit the model: blk\.0\.attn_q\.weight is 64x64 in the model, the adapter expects 128x128/);
    });

    it('a model larger than the memory there is, said before loading', async () => {
      await refused(['--local', build.models.clean, ...loras()], /tiny-clean\.gguf: the model needs about [\d.]+ MB of memory .* 200 MB is free/, { MAPCODER_ENGINE_MEMORY: '200M' });
    });

    it('a download that fails', async () => {
      const hub = await startHub({});
      try {
        await refused(['--local', `${hub.url}/nothing.gguf`], /nothing\.gguf: 127\.0\.0\.1:\d+ answered 404/, { MAPCODER_MODELS_DIR: join(tmp, 'models-404') });
      } finally {
        await hub.close();
      }
    });

    it('a taken port', async () => {
      const env = engineEnv();
      const s = await serve(['--model', build.models.clean, '--threads', '1'], env);
      try {
        const r = await cli(['serve', '--model', build.models.clean, '--port', new URL(s.base).port], engineEnv());
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, new RegExp(`port ${new URL(s.base).port} on 127\\.0\\.0\\.1 is taken`));
        const busy = await cli(['serve', '--model', build.models.clean], env);
        assert.equal(busy.code, 75);
        assert.match(busy.err, /the engine of this machine already runs \(pid \d+, port \d+\)/);
      } finally {
        await s.stop();
      }
      await nothingLeft(env);
    });

    it('--local with a different model than the shared engine serves is told so', async () => {
      const env = engineEnv();
      const s = await serve(['--model', build.models.clean, '--threads', '1'], env);
      try {
        const r = await solveWith(['--local', build.models.raw], env);
        assert.equal(r.code, 3);
        assert.match(r.err, /the local engine \(pid \d+\) serves something else than .*tiny-raw\.gguf.*mapcoder-lite engine stop/);
      } finally {
        await s.stop();
      }
    });
  });

  describe('models from the hub (a loopback stand-in): downloaded once, with progress', () => {
    let hub: HubServer;
    before(async () => {
      const adapters = Object.fromEntries(AGENTS.map((a) => [`adapters/${a}.gguf`, { data: readFileSync(build.models.adapters[a]) }]));
      hub = await startHub({ 'test/tiny-GGUF': { 'tiny-Q4_K_M.gguf': { data: readFileSync(build.models.clean) }, ...adapters } });
    });
    after(() => hub.close());

    it('the first solve downloads model and adapters, the second is served from the cache without a request', async () => {
      const env = { ...engineEnv(), HF_ENDPOINT: hub.url, MAPCODER_MODELS_DIR: join(tmp, 'models') };
      const args = ['solve', SUM, '--lang', 'python3', '--local', 'hf:test/tiny-GGUF:Q4_K_M', ...AGENTS.flatMap((a) => ['--lora', `${a}=hf:test/tiny-GGUF/adapters/${a}.gguf`]),
        '--threads', '1', '--k', '1', '--t', '0', ...SHORT, '--out', join(tmp, 'out-hub')];
      const first = await cli(args, env);
      exitedWell(first);
      assert.match(first.err, /engine: downloading hf:test\/tiny-GGUF\/tiny-Q4_K_M\.gguf 0 %/);
      assert.match(first.err, /engine: downloading hf:test\/tiny-GGUF\/tiny-Q4_K_M\.gguf 100 % \(45\.7 MB of 45\.7 MB\)/);
      assert.ok(existsSync(join(tmp, 'models/hf/test/tiny-GGUF/adapters/coding.gguf')));
      const seen = hub.requests.length;
      const second = await cli(args, env);
      exitedWell(second);
      assert.doesNotMatch(second.err, /downloading/);
      assert.equal(hub.requests.length, seen, `no request: ${hub.requests.slice(seen).join(', ')}`);
      await nothingLeft(env);
    });
  });

  describe('the user\'s own llama-server, managed by the same lifecycle', () => {
    it('solve --local --llama-server: started with the computed flags, answered by each adapter, stopped with the solve', async () => {
      const env = engineEnv();
      const trace = join(tmp, 'trace-managed.jsonl');
      const r = await cli(['solve', SUM, '--lang', 'cpp', ...local(), '--llama-server', build.server, '--k', '3', '--t', '1', ...CLOSES, '--trace', trace, '--out', join(tmp, 'out-managed')], env);
      exitedWell(r);
      assert.match(r.err, /engine: ready at http:\/\/127\.0\.0\.1:\d+\/v1: tiny-clean\.gguf with adapters retrieval, planning, coding, debugging \(3 x 4096 tokens/);
      const log = readFileSync(join(env.MAPCODER_ENGINE_DIR, 'engine.log'), 'utf8');
      assert.match(log, /-c 12288 -np 3 --api-key-file \S+ --metrics --no-webui -t 1 -tb 1 --lora \S+retrieval\.gguf,\S+planning\.gguf,\S+coding\.gguf,\S+debugging\.gguf --lora-init-without-apply/);
      const finished = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'agent-finished');
      assert.ok(finished.length >= 5 && finished.every((e) => e.constrained === true));
      await nothingLeft(env);
      assert.ok(!existsSync(join(env.MAPCODER_ENGINE_DIR, 'llama-server.key')), 'its key file is gone with it');
    });
  });
});
