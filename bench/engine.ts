// The product's engine (`mapcoder-lite serve`, node-llama-cpp) against the real llama-server the test
// layer builds, on the same models and adapters, one thread each, the same requests in turn: time to
// first token and tokens per second (client-side, streamed, no prompt reused), CPU time per token, a
// k = 3 solve's wall time through the CLI, and resident memory. Two models: the tests' tiny one (its
// four adapters; a token there is mostly fixed per-token cost) and a larger random one made for the
// bench (8 layers, 512 wide, 408 MB; its own compute weighs more). Only where the test layer has built
// llama-server and the engine runtime is installed: the bench never builds or installs those.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_ENV } from '../src/core/engine/lifecycle';
import { residentBytes } from '../src/core/engine/llama-server';
import { runtimeDir } from '../src/core/engine/paths';
import { isInstalled } from '../src/core/engine/runtime';
import { cacheDir, ensureLlama, type LlamaBuild } from '../test/servers/build';
import { startServer } from '../test/servers/server';
import { cli, serve, SUM } from '../test/engine/helpers';

export interface EngineSide {
  ttftMs: number;
  tokPerS: number;
  /** CPU time of the serving process (all its threads) per generated token, over the streamed requests. */
  cpuMsPerToken: number;
  solveMs?: number;
  solveExit?: number | null;
  rssBytes: number;
}

export interface EngineRow {
  model: string;
  adapters: number;
  engine: EngineSide;
  llamaServer: EngineSide;
  requests: number;
  maxTokens: number;
}

const SLOTS = 3;
const CTX = 4096;
const PROMPTS = [
  'Write a program that reads two integers and prints their sum.',
  `Here is a plan to fix. ${'Read n, then the n numbers; sort them; print the median and explain each step of the proof. '.repeat(40)}`,
  `Debug this program. ${'for (int i = 0; i < n; i++) { s += a[i] * b[i]; if (s > m) m = s; }\n'.repeat(30)}`,
];

interface Endpoint {
  base: string;
  token?: string;
  pid: number;
}

interface Setup {
  name: string;
  model: string;
  adapters: [string, string][];
  maxTokens: number;
  reps: number;
  solve: boolean;
}

/** CPU time a process has used so far (user + system, every thread), from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One streamed request: the time to its first content token and its tokens per second after that. */
async function streamed(e: Endpoint, prompt: string, adapter: number, adapters: number, maxTokens: number): Promise<{ ttft: number; tokPerS: number; tokens: number }> {
  const started = performance.now();
  const res = await fetch(`${e.base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(e.token ? { authorization: `Bearer ${e.token}` } : {}) },
    body: JSON.stringify({
      messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, temperature: 0, stream: true, stream_options: { include_usage: true },
      lora: Array.from({ length: adapters }, (_, id) => ({ id, scale: id === adapter ? 1 : 0 })), cache_prompt: false,
    }),
  });
  let first = 0;
  let tokens = 0;
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += Buffer.from(chunk).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!line.startsWith('data: {')) continue;
      const data = JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[]; usage?: { completion_tokens: number } };
      if (!first && data.choices[0]?.delta?.content) first = performance.now();
      if (data.usage) tokens = data.usage.completion_tokens;
    }
  }
  const end = performance.now();
  return { ttft: first - started, tokPerS: tokens > 1 ? ((tokens - 1) * 1000) / (end - first) : 0, tokens };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
type Side = 'engine' | 'llamaServer';
const both = (first: boolean): Side[] => (first ? ['engine', 'llamaServer'] : ['llamaServer', 'engine']);

async function compare(s: Setup, build: LlamaBuild, tmp: string, log: (s: string) => void): Promise<EngineRow> {
  const ours = await serve(['--model', s.model, ...s.adapters.flatMap(([a, p]) => ['--lora', `${a}=${p}`]),
    '--threads', '1', '--parallel', String(SLOTS), '--ctx', String(CTX)], { ...ENGINE_ENV, MAPCODER_ENGINE_DIR: join(tmp, `engine-${s.name}`) });
  const theirs = await startServer(build, { model: 'clean', adapters: true, files: { model: s.model, adapters: s.adapters.map(([, p]) => p) }, ctx: CTX * SLOTS, slots: SLOTS });
  const sides: Record<Side, Endpoint> = {
    engine: { base: ours.base, token: ours.token, pid: ours.child.pid! },
    llamaServer: { base: theirs.baseUrl, pid: theirs.pid },
  };
  try {
    const samples = { engine: { ttft: [] as number[], tps: [] as number[], cpu: 0, tokens: 0 }, llamaServer: { ttft: [] as number[], tps: [] as number[], cpu: 0, tokens: 0 } };
    let n = 0;
    for (let rep = 0; rep < s.reps; rep++) {
      for (const [i, prompt] of PROMPTS.entries()) {
        // The same request to both, in alternating order; a fresh first line so that no prompt is reused.
        const unique = `Request ${++n}. ${prompt}`;
        for (const side of both((rep + i) % 2 === 1)) {
          const cpu = cpuMs(sides[side].pid);
          const r = await streamed(sides[side], unique, i % s.adapters.length, s.adapters.length, s.maxTokens);
          samples[side].cpu += cpuMs(sides[side].pid) - cpu;
          samples[side].tokens += r.tokens;
          samples[side].ttft.push(r.ttft);
          samples[side].tps.push(r.tokPerS);
        }
      }
    }
    log(`  ${s.name}: engine ttft ${median(samples.engine.ttft).toFixed(0)} ms, ${median(samples.engine.tps).toFixed(0)} tok/s; ` +
      `llama-server ttft ${median(samples.llamaServer.ttft).toFixed(0)} ms, ${median(samples.llamaServer.tps).toFixed(0)} tok/s`);
    const solves: Record<Side, number[]> = { engine: [], llamaServer: [] };
    const exits: Partial<Record<Side, number | null>> = {};
    for (let rep = 0; s.solve && rep < s.reps; rep++) {
      for (const side of both(rep % 2 === 1)) {
        const t = performance.now();
        const r = await cli(['solve', SUM, '--lang', 'cpp', '--backend', 'llamacpp', '--endpoint', sides[side].base, '--k', '3', '--t', '1', '--max-tokens', '128',
          '--stress', 'off', '--out', join(tmp, `out-${side}`)], sides[side].token ? { MAPCODER_API_KEY: sides[side].token } : {});
        solves[side].push(performance.now() - t);
        exits[side] = r.code;
      }
    }
    if (s.solve) log(`  ${s.name}: k = 3 solve: engine ${median(solves.engine).toFixed(0)} ms, llama-server ${median(solves.llamaServer).toFixed(0)} ms`);
    const side = (k: Side): EngineSide => ({
      ttftMs: median(samples[k].ttft), tokPerS: median(samples[k].tps), cpuMsPerToken: samples[k].cpu / Math.max(1, samples[k].tokens),
      ...(s.solve ? { solveMs: median(solves[k]), solveExit: exits[k] } : {}), rssBytes: residentBytes(sides[k].pid) ?? 0,
    });
    return { model: s.name, adapters: s.adapters.length, engine: side('engine'), llamaServer: side('llamaServer'), requests: PROMPTS.length * s.reps, maxTokens: s.maxTokens };
  } finally {
    await ours.stop();
    await theirs.stop();
  }
}

/** The bench's larger random model (make_model.py medium), made once beside the test layer's models. */
function mediumModel(log: (s: string) => void): { model: string; coding: string } {
  const dir = join(cacheDir(), 'bench-medium');
  const model = join(dir, 'medium-clean.gguf');
  if (!existsSync(model)) {
    log('  making the larger random model for the bench (once, ~400 MB) ...');
    execFileSync('python3', [join(__dirname, '..', 'test', 'servers', 'make_model.py'), join(cacheDir(), 'src'), dir, 'medium'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return { model, coding: join(dir, 'coding.gguf') };
}

export async function benchEngine(reps: number, log: (s: string) => void): Promise<EngineRow[] | string> {
  if (!existsSync(join(cacheDir(), 'built'))) return 'skipped: no llama-server built yet (npm run test:servers builds it once)';
  if (!isInstalled(runtimeDir())) return 'skipped: the engine runtime is not installed (mapcoder-lite engine install)';
  const build = ensureLlama();
  const medium = mediumModel(log);
  const tmp = mkdtempSync(join(tmpdir(), 'mcl-bench-engine-'));
  try {
    const tiny = await compare({ name: 'tiny (2 layers, 64 wide)', model: build.models.clean, adapters: Object.entries(build.models.adapters), maxTokens: 200, reps, solve: true }, build, tmp, log);
    const larger = await compare({ name: 'larger (8 layers, 512 wide)', model: medium.model, adapters: [['coding', medium.coding]], maxTokens: 100, reps: Math.max(1, Math.ceil(reps / 2)), solve: false }, build, tmp, log);
    return [tiny, larger];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
