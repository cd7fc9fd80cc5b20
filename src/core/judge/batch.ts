import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scrubbedEnv } from './env';
import { timerMs } from '../timer';
import { CGROUP_SLACK_MB, cgroupSpec, judgeCgroups, removeHelperGroups } from './cgroup';
import { rlimitsFor, rlimitSpec } from './limits';
import { abortError } from '../abort';
import { DEFAULT_OUTPUT_CAP_BYTES, rlimitRequest, runResult, RUNTIME_RSS_SLACK_MB, type RunOptions, type RunResult } from './run';
import { sandboxPaths, signalName, SANDBOX_TAG } from './sandbox';
import { batchArgs } from './sandbox-helper';

export interface BatchOptions extends Omit<RunOptions, 'cwd' | 'stdin' | 'sandboxWrapper'> {
  /**
   * Where the tests' directories go: isolated, under `root`/batch, covered by a tmpfs of the batch's
   * own (nothing reaches the disk); not isolated, in a fresh directory in `root`, removed at the end.
   */
  root: string;
  /** The helper binary (`batchHelper()`). */
  helper: string;
  /** Tests running at once. */
  parallel: number;
  /** Called once per input: as each test ends, and for any the batch could not run when it stops. */
  onResult?: (index: number, r: RunResult) => void;
}

// Beyond the tests' own limits, how long the whole batch may take before it is killed: a backstop for
// a helper that stops answering, never reached by a working one.
const BATCH_SLACK_MS = 10_000;
const ABORT_GRACE_MS = 2000;

/**
 * Runs `argv` once per input through the helper's batch mode: one spawn for all the tests, each test
 * in a fresh directory (and, isolated, its own namespaces) under the limits of `opts`. Resolves with
 * one result per input, as `runProcess` would give; rejects only with an AbortError, after every
 * process is gone.
 */
export async function runBatch(argv: string[], inputs: string[], opts: BatchOptions): Promise<RunResult[]> {
  if (opts.signal?.aborted) throw abortError();
  if (opts.sandbox) {
    const dir = join(opts.root, 'batch');
    await mkdir(dir, { recursive: true });
    return runHelper(dir, argv, inputs, opts);
  }
  const dir = await mkdtemp(join(opts.root, 'batch-'));
  try {
    return await runHelper(dir, argv, inputs, opts);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runHelper(dir: string, argv: string[], inputs: string[], opts: BatchOptions): Promise<RunResult[]> {
  const n = inputs.length;
  const isolated = opts.sandbox === true;
  const cap = opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const limits = rlimitSpec(rlimitRequest(opts));
  const env = opts.env ?? scrubbedEnv(dir);
  const paths = isolated ? sandboxPaths(dir, env, { workDir: opts.workDir ?? opts.root }) : { hide: [], keep: [] };
  const cgroups = judgeCgroups(opts.helper);
  const args = batchArgs({
    isolate: isolated, cwd: dir, hide: paths.hide, keep: paths.keep, rlimits: limits, cgroups: cgroups ? cgroupSpec(cgroups, cgroupMemoryMb(opts)) : undefined,
    parallel: Math.max(1, opts.parallel), wallMs: Math.max(1, Math.round(opts.wallLimitMs)), cap, tests: n, program: argv,
  });

  return new Promise((resolve, reject) => {
    // An abort during the awaits before this point found no listener yet.
    if (opts.signal?.aborted) return reject(abortError());
    const results: (RunResult | undefined)[] = new Array(n).fill(undefined);
    const groups = new Set<number>();
    let stderr = '';
    let aborted = false;
    let overran = false;
    const child = spawn(opts.helper, args, { cwd: dir, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined); // a helper that failed to start reads nothing
    child.stdin.end(Buffer.concat(inputs.flatMap((input) => {
      const bytes = Buffer.from(input, 'utf8');
      return [Buffer.from(`${bytes.length}\n`), bytes];
    })));

    const killAll = (): void => {
      for (const pid of [child.pid, ...groups]) {
        try {
          if (pid !== undefined) process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    // Not isolated, the helper is asked to kill and reap the tests itself (SIGTERM), so they are dead,
    // not dying, when it closes; isolated, killing its group ends their namespaces. SIGKILL backs it up.
    let abortBackstop: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      aborted = true;
      if (isolated) return killAll();
      child.kill('SIGTERM');
      abortBackstop = setTimeout(killAll, ABORT_GRACE_MS);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const backstop = setTimeout(() => {
      overran = true;
      killAll();
    }, timerMs(Math.ceil(n / Math.max(1, opts.parallel)) * (opts.wallLimitMs + 1000) + BATCH_SLACK_MS));

    const onDone = (f: string[], out: Buffer, err: Buffer): void => {
      const [i, code, sig, wallUs, cpuUs, rssKb] = f.slice(1, 7).map(Number);
      const flags = f[7];
      groups.delete(i);
      const r = runResult({
        code: code < 0 ? null : code, signal: sig > 0 ? (signalName(sig) ?? null) : null, stdout: out.toString('utf8'), stderr: err.toString('utf8'),
        timeMs: Math.round(wallUs / 1000), timedOut: flags.includes('T'), outputLimitExceeded: flags.includes('O'),
        truncated: flags.includes('O') || flags.includes('E'), cpuMs: Math.round(cpuUs / 1000), memoryKb: rssKb,
        oomKilled: flags.includes('M'),
      }, opts);
      results[i] = r;
      opts.onResult?.(i, r);
    };
    // "start I PID" has no payload; "done ... OUT ERR" is followed by OUT + ERR bytes.
    const sizes = (f: string[]) => (f[0] === 'done' ? Number(f[8]) + Number(f[9]) : 0);
    child.stdout.on('data', frames((header) => sizes(header.split(' ')), (header, payload) => {
      const f = header.split(' ');
      if (f[0] === 'start') groups.add(Number(f[2]));
      if (f[0] === 'done') onDone(f, payload.subarray(0, Number(f[8])), payload.subarray(Number(f[8])));
    }));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });

    const settle = (failure?: string): void => {
      clearTimeout(backstop);
      clearTimeout(abortBackstop);
      opts.signal?.removeEventListener('abort', onAbort);
      killAll(); // whatever a test left behind in its group (not isolated)
      // A killed helper's tests' control groups, once what ran in them is gone.
      const removed = cgroups && child.pid !== undefined ? removeHelperGroups(cgroups, child.pid) : Promise.resolve();
      void removed.then(() => {
        if (aborted) return reject(abortError());
        results.forEach((r, i) => {
          if (r) return;
          results[i] = unfinished(failure ?? 'the batch runner stopped before this test ran', overran, opts.wallLimitMs);
          opts.onResult?.(i, results[i]!);
        });
        resolve(results as RunResult[]);
      });
    };
    child.on('error', (e) => settle(e.message));
    child.on('close', (code, signal) => {
      const tagged = stderr.split('\n').find((l) => l.startsWith(SANDBOX_TAG));
      settle(code === 0 ? undefined : (tagged ?? `the batch runner stopped (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * A reader of the helper's stdout: text header lines, each followed by a payload of the size
 * `payloadSize` reads in the header (often 0); `onFrame` gets each header with its payload.
 */
function frames(payloadSize: (header: string) => number, onFrame: (header: string, payload: Buffer) => void): (chunk: Buffer) => void {
  let buffered: Buffer = Buffer.alloc(0);
  let pending: { header: string; size: number } | undefined;
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      if (!pending) {
        const nl = buffered.indexOf(10);
        if (nl < 0) return;
        const header = buffered.subarray(0, nl).toString('latin1');
        buffered = buffered.subarray(nl + 1);
        pending = { header, size: payloadSize(header) };
      }
      if (buffered.length < pending.size) return;
      onFrame(pending.header, buffered.subarray(0, pending.size));
      buffered = buffered.subarray(pending.size);
      pending = undefined;
    }
  };
}

/**
 * A test's memory limit in its control group: above what one process may have (its address space, or a
 * JVM's or V8's heap and their slack), so that one process still meets its own limit first and fails the
 * way its language reports (std::bad_alloc, MemoryError); the group bounds all of them together.
 */
function cgroupMemoryMb(opts: BatchOptions): number | undefined {
  if (opts.memoryLimitMb === undefined) return undefined;
  const as = rlimitsFor(rlimitRequest(opts)).find((l) => l.name === 'as');
  return (as ? as.hard / (1024 * 1024) : opts.memoryLimitMb + RUNTIME_RSS_SLACK_MB) + CGROUP_SLACK_MB;
}

function unfinished(why: string, overran: boolean, wallLimitMs: number): RunResult {
  return {
    exitCode: null, signal: null, stdout: '', stderr: why, timeMs: overran ? wallLimitMs : 0,
    timedOut: overran, memoryExceeded: false, truncated: false, outputLimitExceeded: false,
    spawnError: overran ? undefined : why,
  };
}
