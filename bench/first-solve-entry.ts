// Bundled by first-solve.ts and run in a fresh Node process: what the extension's Solve does between
// the command and the first agent call (RunLifecycle.start: prompts, the lazily imported client and
// judge, `judge.ready()`, the pipeline), timed by the event loop's own accounting. Prints one JSON line.
import childProcess from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PromptSet } from '../src/core/agents/prompts';
import type { Problem } from '../src/core/types';

const PROBLEM: Problem = {
  title: 'Sum', statement: 'Print the sum of two integers.', samples: [{ input: '1 2\n', outputs: ['3\n'] }],
  asserts: [], style: { kind: 'stdio' },
};

/**
 * The main thread's time on a CPU so far (Linux: its schedstat, in ns): what its work costs whatever the
 * machine's load, which stretches the wall time the event loop's accounting sees.
 */
function mainThreadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** Blocking child processes started in the window, by command: each stops the event loop until it exits. */
const blockingSpawns: string[] = [];
for (const name of ['spawnSync', 'execSync', 'execFileSync'] as const) {
  const original = childProcess[name] as (...args: unknown[]) => unknown;
  (childProcess as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    blockingSpawns.push(String(args[0]));
    return original(...args);
  };
}

async function main(): Promise<void> {
  const [baseUrl, promptsDir] = process.argv.slice(2);
  // The longest stretch without the event loop turning: the largest gap between ticks of a 1 ms timer.
  let longest = 0;
  let last = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  const abort = new AbortController();
  let first: (() => void) | undefined;
  const reached = new Promise<void>((resolve) => (first = resolve));
  const fetchFirst = globalThis.fetch;
  let measured: { cpuMs: number; activeMs: number; longestMs: number; wallMs: number; blockingSpawns: string[] } | undefined;
  let cpu0 = 0;
  let start = performance.eventLoopUtilization();
  let t0 = 0;
  // The first agent call: the first chat request leaving the client.
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!measured && url.endsWith('/chat/completions')) {
      const elu = performance.eventLoopUtilization(start);
      const now = performance.now();
      clearInterval(ticker);
      measured = { cpuMs: mainThreadCpuMs() - cpu0, activeMs: elu.active, longestMs: Math.max(longest, now - last - 1, 0), wallMs: now - t0, blockingSpawns: [...blockingSpawns] };
      first?.();
    }
    return fetchFirst(input, init);
  };
  // The command: from here on as RunLifecycle.start does it.
  t0 = last = performance.now();
  start = performance.eventLoopUtilization();
  cpu0 = mainThreadCpuMs();
  blockingSpawns.length = 0;
  const prompts = PromptSet.load(promptsDir);
  const [{ LlmClient, defaultEndpointConfig }, { Judge }] = await Promise.all([import('../src/core/llm'), import('../src/core/judge')]);
  const llm = new LlmClient(defaultEndpointConfig({ baseUrl, maxRetries: 0 }));
  const judge = new Judge();
  await judge.ready();
  const { solve } = await import('../src/core/pipeline');
  const run = solve({ problem: PROBLEM, lang: 'python3', llm, judge, prompts, signal: abort.signal });
  await reached;
  abort.abort();
  await run;
  await judge.dispose();
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

// From a timer, as a command arrives in the extension host: the event loop's accounting starts with the loop.
setTimeout(() => {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}, 20);
