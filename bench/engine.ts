// The product's engine (`mapcoder-lite serve`, node-llama-cpp) against the real llama-server the test
// layer builds, on the same tiny model and adapters, one thread each, the same requests in turn: time
// to first token and tokens per second (client-side, streamed, no prompt reused), a k = 3 solve's wall
// time through the CLI, and resident memory. Only where the test layer has built llama-server and the
// engine runtime is installed: the bench never builds or installs.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  solveMs: number;
  solveExit: number | null;
  rssBytes: number;
}

export interface EngineFigures {
  engine: EngineSide;
  llamaServer: EngineSide;
  requests: number;
  maxTokens: number;
  cancelMs?: number;
}

const AGENTS = ['retrieval', 'planning', 'coding', 'debugging'] as const;
const SLOTS = 3;
const CTX = 4096;
const MAX_TOKENS = 200;
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

/** CPU time a process has used so far (user + system, every thread), from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One streamed request: the time to its first content token and its tokens per second after that. */
async function streamed(e: Endpoint, prompt: string, adapter: number): Promise<{ ttft: number; tokPerS: number; tokens: number }> {
  const started = performance.now();
  const res = await fetch(`${e.base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(e.token ? { authorization: `Bearer ${e.token}` } : {}) },
    body: JSON.stringify({
      messages: [{ role: 'user', content: prompt }], max_tokens: MAX_TOKENS, temperature: 0, stream: true, stream_options: { include_usage: true },
      lora: AGENTS.map((_, id) => ({ id, scale: id === adapter ? 1 : 0 })), cache_prompt: false,
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

export async function benchEngine(reps: number, log: (s: string) => void): Promise<EngineFigures | string> {
  if (!existsSync(join(cacheDir(), 'built'))) return 'skipped: no llama-server built yet (npm run test:servers builds it once)';
  if (!isInstalled(runtimeDir())) return 'skipped: the engine runtime is not installed (mapcoder-lite engine install)';
  const build: LlamaBuild = ensureLlama();
  const tmp = mkdtempSync(join(tmpdir(), 'mcl-bench-engine-'));
  const ours = await serve(['--model', build.models.clean, ...AGENTS.flatMap((a) => ['--lora', `${a}=${build.models.adapters[a]}`]),
    '--threads', '1', '--parallel', String(SLOTS), '--ctx', String(CTX)], { ...ENGINE_ENV, MAPCODER_ENGINE_DIR: join(tmp, 'engine') });
  const theirs = await startServer(build, { model: 'clean', adapters: true, ctx: CTX * SLOTS, slots: SLOTS });
  const sides: Record<'engine' | 'llamaServer', Endpoint> = {
    engine: { base: ours.base, token: ours.token, pid: ours.child.pid! },
    llamaServer: { base: theirs.baseUrl, pid: theirs.pid },
  };
  try {
    const samples = { engine: { ttft: [] as number[], tps: [] as number[], cpu: 0, tokens: 0 }, llamaServer: { ttft: [] as number[], tps: [] as number[], cpu: 0, tokens: 0 } };
    let n = 0;
    for (let rep = 0; rep < reps; rep++) {
      for (const [i, prompt] of PROMPTS.entries()) {
        // The same request to both, in alternating order; a fresh first line so that no prompt is reused.
        const order = (rep + i) % 2 ? (['engine', 'llamaServer'] as const) : (['llamaServer', 'engine'] as const);
        const unique = `Request ${++n}. ${prompt}`;
        for (const side of order) {
          const cpu = cpuMs(sides[side].pid);
          const r = await streamed(sides[side], unique, i % AGENTS.length);
          samples[side].cpu += cpuMs(sides[side].pid) - cpu;
          samples[side].tokens += r.tokens;
          samples[side].ttft.push(r.ttft);
          samples[side].tps.push(r.tokPerS);
        }
      }
    }
    log(`  engine: ttft ${median(samples.engine.ttft).toFixed(0)} ms, ${median(samples.engine.tps).toFixed(0)} tok/s; llama-server: ttft ${median(samples.llamaServer.ttft).toFixed(0)} ms, ${median(samples.llamaServer.tps).toFixed(0)} tok/s`);
    const solveMs = async (side: 'engine' | 'llamaServer') => {
      const t = performance.now();
      const r = await cli(['solve', SUM, '--lang', 'cpp', '--backend', 'llamacpp', '--endpoint', sides[side].base, '--k', '3', '--t', '1', '--max-tokens', '128',
        '--stress', 'off', '--out', join(tmp, `out-${side}`)], sides[side].token ? { MAPCODER_API_KEY: sides[side].token } : {});
      return { ms: performance.now() - t, code: r.code };
    };
    const solves = { engine: [] as number[], llamaServer: [] as number[] };
    const exits: Record<string, number | null> = {};
    for (let rep = 0; rep < reps; rep++) {
      for (const side of rep % 2 ? (['engine', 'llamaServer'] as const) : (['llamaServer', 'engine'] as const)) {
        const s = await solveMs(side);
        solves[side].push(s.ms);
        exits[side] = s.code;
      }
    }
    log(`  k = 3 solve: engine ${median(solves.engine).toFixed(0)} ms, llama-server ${median(solves.llamaServer).toFixed(0)} ms`);
    const side = (k: 'engine' | 'llamaServer'): EngineSide => ({
      ttftMs: median(samples[k].ttft), tokPerS: median(samples[k].tps), cpuMsPerToken: samples[k].cpu / Math.max(1, samples[k].tokens), solveMs: median(solves[k]), solveExit: exits[k], rssBytes: residentBytes(sides[k].pid) ?? 0,
    });
    return { engine: side('engine'), llamaServer: side('llamaServer'), requests: PROMPTS.length * reps, maxTokens: MAX_TOKENS };
  } finally {
    await ours.stop();
    await theirs.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
