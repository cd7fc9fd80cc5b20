import { spawn, type ChildProcess } from 'node:child_process';
import { abortError } from '../abort';
import { scrubbedEnv } from './env';
import { timerMs } from '../timer';
import { withRlimits, type MemoryRlimit, type RlimitRequest } from './limits';
import { cgroupSpec, judgeCgroups, removeHelperGroups } from './cgroup';
import { nprocPerNamespace, programStatus, sandboxArgv, sandboxPaths, sandboxWrapper, SANDBOX_NPROC, SANDBOX_OOM_LINE, SANDBOX_SETUP_FAILED, SANDBOX_TAG, type SandboxWrapper } from './sandbox';

export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;

export interface RunOptions {
  cwd: string;
  /** The judge's folder holding cwd and the program's files: what the sandbox keeps visible (sandboxPaths); default cwd. */
  workDir?: string;
  /** What the program reads: a text, or a stream piped in (an interactor's output). */
  stdin?: string | NodeJS.ReadableStream;
  /** Where stdout also goes as it comes (an interactor's input); ended with the run. */
  stdoutTo?: NodeJS.WritableStream;
  /** Wall-clock limit; when it passes the whole process group is killed. */
  wallLimitMs: number;
  /** Absent: no memory rlimit. */
  memoryLimitMb?: number;
  /** How `memoryLimitMb` is enforced (see limits.ts); default `as`. */
  memoryRlimit?: MemoryRlimit;
  /** RLIMIT_STACK in MiB; default the memory limit. */
  stackMb?: number;
  /** Per stream. stdout beyond it is cut and the program killed; of stderr the last cap bytes are kept. */
  outputCapBytes?: number;
  /** Default: `scrubbedEnv(cwd)`, never the parent's environment. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /**
   * Run inside the namespace sandbox (sandbox.ts; the caller checks `sandboxWorks()` first: where it
   * does not work, the run has the rlimits only). The time limit then includes the helper's set-up.
   */
  sandbox?: boolean;
  /** The helper that sets the sandbox up; default the one `sandboxWrapper()` found. */
  sandboxWrapper?: SandboxWrapper;
  /**
   * In the sandbox's helper, where the judge has control groups (cgroup.ts): every process of the run
   * together (a compile's driver, compiler proper, assembler and linker) under this much memory, and
   * `oomKilled` when that ended one of them.
   */
  groupMemoryMb?: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The end of stderr when it passed the cap. */
  stderr: string;
  timeMs: number;
  /** Killed on the wall-clock limit, or by the CPU-time rlimit. */
  timedOut: boolean;
  memoryExceeded: boolean;
  /** stdout or stderr was cut at the cap. */
  truncated: boolean;
  /** stdout passed the cap and the program was killed for it. */
  outputLimitExceeded: boolean;
  /** The program could not be started at all. */
  spawnError?: string;
  /** The kernel ended a process of the test's control group for memory (cgroup.ts). */
  oomKilled?: boolean;
  /** CPU time (user + system) and peak resident memory, where the runner measures them (batches). */
  cpuMs?: number;
  memoryKb?: number;
}

/** The rlimits of a run with these options. RLIMIT_NPROC only in the sandbox, where it counts per user namespace. */
export function rlimitRequest(opts: Pick<RunOptions, 'wallLimitMs' | 'memoryLimitMb' | 'memoryRlimit' | 'stackMb' | 'sandbox'>): RlimitRequest {
  const nproc = opts.sandbox && nprocPerNamespace() ? SANDBOX_NPROC : undefined;
  return { wallMs: opts.wallLimitMs, memoryLimitMb: opts.memoryLimitMb, memoryRlimit: opts.memoryRlimit, stackMb: opts.stackMb, nproc };
}

/** Resident memory a JVM or V8 runtime uses beyond the heap limit it was given (code, metadata, threads). */
export const RUNTIME_RSS_SLACK_MB = 160;

// What runtimes print when an allocation fails under the limit.
const OUT_OF_MEMORY = /std::bad_alloc|\bMemoryError\b|java\.lang\.OutOfMemoryError|JavaScript heap out of memory|memory allocation of \d+ bytes failed|Cannot allocate memory/;

// prlimit's (or the sandbox helper's) own message when the wrapped command does not exist.
const EXEC_FAILED = /^(?:prlimit|mapcoder-lite sandbox): failed to execute .*$/m;

// Once the program has exited and its group is killed, a descendant that left the group (setsid)
// could still hold the pipes open; stop waiting for them after this long.
const CLOSE_GRACE_MS = 500;

const useGroups = process.platform !== 'win32';

/**
 * Runs `argv` under the limits and collects its output. Resolves with what happened (a failed start
 * included); rejects only with an AbortError when `signal` aborts, after the process group is gone.
 * The child gets its own process group (`detached`), so a time-out, the output cap or an abort kills
 * everything it started; the group is also killed when the program exits, taking leftover children.
 */
export function runProcess(argv: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(abortError());
      return;
    }
    const cap = opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
    const limits = rlimitRequest(opts);
    const env = opts.env ?? scrubbedEnv(opts.cwd);
    const wrapper = opts.sandbox ? (opts.sandboxWrapper ?? sandboxWrapper()) : undefined;
    const groups = wrapper && opts.groupMemoryMb !== undefined ? judgeCgroups(wrapper.helper) : undefined;
    const cmd = wrapper
      ? sandboxArgv(argv, sandboxPaths(opts.cwd, env, { workDir: opts.workDir }), limits, wrapper, groups ? cgroupSpec(groups, opts.groupMemoryMb) : '')
      : withRlimits(argv, limits);
    const start = performance.now();
    let child: ChildProcess;
    try {
      child = spawn(cmd[0], cmd.slice(1), { cwd: opts.cwd, env, detached: useGroups, stdio: 'pipe', windowsHide: true });
    } catch (e) {
      resolve(failedStart(String(e)));
      return;
    }

    let timedOut = false;
    let aborted = false;
    let outputLimitExceeded = false;
    let truncated = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null; ms: number } | undefined;
    let settled = false;
    let grace: NodeJS.Timeout | undefined;

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        if (useGroups) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };

    const stdout = new HeadBuffer(cap);
    const stderr = new TailBuffer(cap);
    child.stdout!.on('data', (b: Buffer) => {
      opts.stdoutTo?.write(b);
      if (!stdout.add(b)) return;
      outputLimitExceeded = truncated = true;
      killGroup();
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (stderr.add(b)) truncated = true;
    });
    child.stdin!.on('error', () => undefined); // the program may exit without reading its input
    if (typeof opts.stdin === 'object') opts.stdin.pipe(child.stdin!);
    else child.stdin!.end(opts.stdin ?? '');

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timerMs(opts.wallLimitMs));
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      opts.signal?.removeEventListener('abort', onAbort);
      opts.stdoutTo?.end();
      const status = opts.sandbox ? programStatus(exit?.code ?? null, exit?.signal ?? null) : exit;
      const err = stderr.text();
      const oomKilled = groups !== undefined && err.endsWith(`${SANDBOX_OOM_LINE}\n`);
      const end: ProcessEnd = {
        code: status?.code ?? null, signal: status?.signal ?? null, stdout: stdout.text(), stderr: oomKilled ? err.slice(0, -SANDBOX_OOM_LINE.length - 1) : err,
        timeMs: Math.round(exit?.ms ?? performance.now() - start), timedOut, truncated, outputLimitExceeded, ...(oomKilled ? { oomKilled } : {}),
      };
      // A helper killed (time-out, cap, abort) before it removed its control groups: removed here once empty.
      const removed = groups && child.pid !== undefined ? removeHelperGroups(groups, child.pid) : Promise.resolve();
      void removed.then(() => (aborted ? reject(abortError()) : resolve(runResult(end, opts))));
    };

    child.on('error', (e) => {
      // Only a failed spawn matters; errors of a running child also end in 'exit'.
      if (child.pid !== undefined || settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      opts.stdoutTo?.end();
      if (aborted) reject(abortError());
      else resolve(failedStart(e.message));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal, ms: performance.now() - start };
      killGroup();
      grace = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish();
      }, CLOSE_GRACE_MS);
    });
    child.on('close', finish);
  });
}

/** How a process ended, before it is read as a run's result. */
export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timeMs: number;
  /** Killed on the wall-clock limit. */
  timedOut: boolean;
  truncated: boolean;
  outputLimitExceeded: boolean;
  cpuMs?: number;
  memoryKb?: number;
  /** The OOM killer ended a process of the test's control group (cgroup.ts). */
  oomKilled?: boolean;
}

/** A process's end read as a run: time-outs by the CPU rlimit, sandbox and exec failures, memory. */
export function runResult(end: ProcessEnd, opts: Pick<RunOptions, 'sandbox' | 'memoryLimitMb' | 'memoryRlimit'>): RunResult {
  const { code, signal: sig, stderr: err, outputLimitExceeded } = end;
  const failed = code !== 0 || sig !== null;
  const timedOut = end.timedOut || sig === 'SIGXCPU';
  const setupFailed = opts.sandbox && code === SANDBOX_SETUP_FAILED ? err.split('\n').find((l) => l.startsWith(SANDBOX_TAG)) : undefined;
  const spawnError = failed ? (setupFailed ?? EXEC_FAILED.exec(err)?.[0]) : undefined;
  const memoryExceeded = failed && !timedOut && !outputLimitExceeded && spawnError === undefined
    // An unexplained SIGKILL under a memory limit is the kernel's OOM killer.
    && (OUT_OF_MEMORY.test(err) || (sig === 'SIGKILL' && opts.memoryLimitMb !== undefined))
    // Or it ran to the end above the limit: peak RSS where the runner measures it. Java and JavaScript
    // limit their heap themselves and their runtime sits above it: they get RUNTIME_RSS_SLACK_MB more
    // (memory outside the heap, Node's Buffers or Java's Unsafe, is caught there).
    || (!timedOut && end.memoryKb !== undefined && opts.memoryLimitMb !== undefined
      && end.memoryKb > (opts.memoryLimitMb + ((opts.memoryRlimit ?? 'as') === 'as' ? 0 : RUNTIME_RSS_SLACK_MB)) * 1024)
    // Or all its processes together passed the limit of its control group.
    || (end.oomKilled === true && !outputLimitExceeded);
  return {
    exitCode: code, signal: sig, stdout: end.stdout, stderr: err, timeMs: end.timeMs,
    timedOut, memoryExceeded, truncated: end.truncated, outputLimitExceeded, spawnError,
    ...(end.cpuMs !== undefined ? { cpuMs: end.cpuMs } : {}),
    ...(end.memoryKb !== undefined ? { memoryKb: end.memoryKb } : {}),
    ...(end.oomKilled ? { oomKilled: true } : {}),
  };
}

function failedStart(message: string): RunResult {
  return {
    exitCode: null, signal: null, stdout: '', stderr: message, timeMs: 0,
    timedOut: false, memoryExceeded: false, truncated: false, outputLimitExceeded: false, spawnError: message,
  };
}

/** Keeps the first `cap` bytes; `add` returns true when this chunk went past the cap. */
class HeadBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private full = false;
  constructor(private readonly cap: number) {}

  add(b: Buffer): boolean {
    if (this.full) return false;
    const room = this.cap - this.size;
    if (b.length <= room) {
      this.chunks.push(b);
      this.size += b.length;
      return false;
    }
    this.chunks.push(b.subarray(0, room));
    this.size = this.cap;
    this.full = true;
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Keeps the last `cap` bytes; `add` returns true once anything was dropped. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;
  constructor(private readonly cap: number) {}

  add(b: Buffer): boolean {
    this.chunks.push(b);
    this.size += b.length;
    if (this.size > 2 * this.cap) this.trim();
    return this.dropped || this.size > this.cap;
  }

  text(): string {
    if (this.size > this.cap) this.trim();
    return Buffer.concat(this.chunks).toString('utf8');
  }

  private trim(): void {
    const all = Buffer.concat(this.chunks);
    const kept = all.subarray(all.length - this.cap);
    this.chunks = [kept];
    this.size = kept.length;
    this.dropped = true;
  }
}
