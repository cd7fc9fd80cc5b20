import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scrubbedEnv } from './env';
import { rlimitSpec } from './limits';
import { abortError, DEFAULT_OUTPUT_CAP_BYTES, runResult, type RunOptions, type RunResult } from './run';
import { nprocPerNamespace, sandboxPaths, signalName, SANDBOX_NPROC, SANDBOX_TAG } from './sandbox';

export interface BatchOptions extends Omit<RunOptions, 'cwd' | 'stdin' | 'sandboxWrapper'> {
  /** The batch gets a fresh directory in here, removed when it ends. */
  root: string;
  /** The helper binary (`batchHelper()`). */
  helper: string;
  /** Tests running at once. */
  parallel: number;
  /** Called as each test ends, in the order they end. */
  onResult?: (index: number, r: RunResult) => void;
}

// Beyond the tests' own limits, how long the whole batch may take before it is killed: a backstop for
// a helper that stops answering, never reached by a working one.
const BATCH_SLACK_MS = 10_000;

/**
 * Runs `argv` once per input through the helper's batch mode: one spawn for all the tests, each test
 * in a fresh directory (and, isolated, its own namespaces) under the limits of `opts`. Resolves with
 * one result per input, as `runProcess` would give; rejects only with an AbortError, after every
 * process is gone.
 */
export async function runBatch(argv: string[], inputs: string[], opts: BatchOptions): Promise<RunResult[]> {
  if (opts.signal?.aborted) throw abortError();
  const dir = await mkdtemp(join(opts.root, 'batch-'));
  try {
    await Promise.all(inputs.map((input, i) => writeFile(join(dir, `${i}.in`), input)));
    return await runHelper(dir, argv, inputs.length, opts);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runHelper(dir: string, argv: string[], n: number, opts: BatchOptions): Promise<RunResult[]> {
  const isolated = opts.sandbox === true;
  const cap = opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const nproc = isolated && nprocPerNamespace() ? SANDBOX_NPROC : undefined;
  const limits = rlimitSpec({ wallMs: opts.timeLimitMs, memoryLimitMb: opts.memoryLimitMb, memoryRlimit: opts.memoryRlimit, nproc });
  const env = opts.env ?? scrubbedEnv(dir);
  const paths = isolated ? sandboxPaths(dir, env) : { hide: [], keep: [] };
  const args = ['--batch', isolated ? '1' : '0', dir, paths.hide.join('\n'), paths.keep.join('\n'), limits,
    String(Math.max(1, opts.parallel)), String(Math.max(1, Math.round(opts.timeLimitMs))), String(cap), String(n), ...argv];

  return new Promise((resolve, reject) => {
    const results: (RunResult | undefined)[] = new Array(n).fill(undefined);
    const reads: Promise<void>[] = [];
    const groups = new Set<number>();
    let lines = '';
    let stderr = '';
    let aborted = false;
    let overran = false;
    const child = spawn(opts.helper, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

    const killAll = (): void => {
      for (const pid of [child.pid, ...groups]) {
        try {
          if (pid !== undefined) process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    const onAbort = (): void => {
      aborted = true;
      killAll();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const backstop = setTimeout(() => {
      overran = true;
      killAll();
    }, Math.ceil(n / Math.max(1, opts.parallel)) * (opts.timeLimitMs + 1000) + BATCH_SLACK_MS);

    const onLine = (line: string): void => {
      const f = line.split(' ');
      if (f[0] === 'start') groups.add(Number(f[2]));
      if (f[0] !== 'done') return;
      const [i, code, sig, wallUs, cpuUs, rssKb] = f.slice(1, 7).map(Number);
      const flags = f[7] ?? '-';
      groups.delete(i);
      reads.push(Promise.all([readFile(join(dir, `${i}.out`), 'utf8'), readFile(join(dir, `${i}.err`), 'utf8')]).then(([stdout, err]) => {
        const r = runResult({
          code: code < 0 ? null : code, signal: sig > 0 ? (signalName(sig) ?? null) : null, stdout, stderr: err,
          timeMs: Math.round(wallUs / 1000), timedOut: flags.includes('T'), outputLimitExceeded: flags.includes('O'),
          truncated: flags.includes('O') || flags.includes('E'), cpuMs: Math.round(cpuUs / 1000), memoryKb: rssKb,
        }, opts);
        results[i] = r;
        opts.onResult?.(i, r);
      }));
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines += chunk;
      let at: number;
      while ((at = lines.indexOf('\n')) >= 0) {
        onLine(lines.slice(0, at));
        lines = lines.slice(at + 1);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });

    const settle = async (failure?: string): Promise<void> => {
      clearTimeout(backstop);
      opts.signal?.removeEventListener('abort', onAbort);
      killAll(); // whatever a test left behind in its group (not isolated)
      const read = await Promise.allSettled(reads);
      if (aborted) return reject(abortError());
      const unreadable = read.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      const why = failure ?? (unreadable ? `could not read a test's output: ${String(unreadable.reason)}` : undefined);
      resolve(results.map((r) => r ?? unfinished(why ?? 'the batch runner stopped before this test ran', overran, opts.timeLimitMs)));
    };
    child.on('error', (e) => void settle(e.message));
    child.on('close', (code, signal) => {
      const tagged = stderr.split('\n').find((l) => l.startsWith(SANDBOX_TAG));
      void settle(code === 0 ? undefined : (tagged ?? `the batch runner stopped (${signal ?? `exit ${code}`})`));
    });
  });
}

function unfinished(why: string, overran: boolean, timeLimitMs: number): RunResult {
  return {
    exitCode: null, signal: null, stdout: '', stderr: why, timeMs: overran ? timeLimitMs : 0,
    timedOut: overran, memoryExceeded: false, truncated: false, outputLimitExceeded: false,
    spawnError: overran ? undefined : why,
  };
}
