// Bundled by first-solve.ts and run in a fresh Node process: what the extension host's thread does
// between the Solve command and the first agent call (RunLifecycle.start: the prompts checked, the
// `auto` endpoint probe, the run's core started in its worker thread, whose events it relays until the
// first agent call starts), timed by the event loop's own accounting. Prints one JSON line.
import childProcess from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { PromptSet } from '../src/core/agents/prompts';
import { defaultEndpointConfig } from '../src/core/llm/config';
import type { Problem } from '../src/core/types';
import { endpointAnswers } from '../src/extension/engine/probe';
import { CoreWorker } from '../src/extension/run/core-run';

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
  // The longest stretch without the event loop turning: the largest delay of libuv's 1 ms sampling
  // timer, kept in C++ (a JavaScript interval would wake the thread a thousand times a second and
  // count its own cost in the busy figures, in proportion to the wall time).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const abort = new AbortController();
  let measured: { cpuMs: number; activeMs: number; longestMs: number; wallMs: number; blockingSpawns: string[] } | undefined;
  let first: (() => void) | undefined;
  const reached = new Promise<void>((resolve) => (first = resolve));
  // The command: from here on as RunLifecycle.start does it.
  const t0 = performance.now();
  delay.enable();
  const start = performance.eventLoopUtilization();
  const cpu0 = mainThreadCpuMs();
  blockingSpawns.length = 0;
  PromptSet.load(promptsDir);
  if (!(await endpointAnswers(baseUrl))) throw new Error(`nothing answers at ${baseUrl}`);
  const spec = {
    work: { kind: 'solve' as const }, problem: PROBLEM, lang: 'python3' as const, endpoint: defaultEndpointConfig({ baseUrl, maxRetries: 0 }),
    judge: {}, promptsDir, k: 3, t: 5, speculate: false, stress: { tests: 0, dir: promptsDir },
  };
  // The first agent call: the host hears of it as the run's first agent-started event.
  const onEvent = (e: { type: string }) => {
    if (measured || e.type !== 'agent-started') return;
    const elu = performance.eventLoopUtilization(start);
    const now = performance.now();
    delay.disable();
    measured = { cpuMs: mainThreadCpuMs() - cpu0, activeMs: elu.active, longestMs: Math.max(delay.max / 1e6 - 1, 0), wallMs: now - t0, blockingSpawns: [...blockingSpawns] };
    first?.();
  };
  const core = new CoreWorker(join(__dirname, 'core-worker.js'));
  const run = core.run(spec, { onEvent, onJudging: () => undefined }, abort.signal);
  await reached;
  abort.abort();
  await run;
  await core.dispose();
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

// From a timer, as a command arrives in the extension host: the event loop's accounting starts with the loop.
setTimeout(() => {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}, 20);
