import { command, Probe, type Steps } from './probe';
import type { Lang } from '../types';

/**
 * How a memory limit is enforced.
 * - `as`: RLIMIT_AS (address space) through `prlimit`; an allocation beyond it fails inside the
 *   program (std::bad_alloc, MemoryError, Rust's "memory allocation of N bytes failed").
 * - `none`: no memory rlimit; the runtime enforces the limit itself through `{mem}` in its run command.
 */
export type MemoryRlimit = 'as' | 'none';

/**
 * Per language:
 * - cpp, c, rust, python3: RLIMIT_AS = limit + AS_SLACK_MB (shared libraries, interpreter).
 * - java: `-Xmx{mem}m`. The JVM reserves far more address space than it uses (heap reservation,
 *   code cache, thread stacks); RLIMIT_AS, and even RLIMIT_DATA below ~1 GiB above -Xmx, stops it
 *   from starting.
 * - javascript: `--max-old-space-size={mem}`. V8 reserves a multi-GiB virtual cage, same problem.
 * A user command override without `{mem}` leaves java/javascript without a memory limit.
 */
export const MEMORY_RLIMIT: Record<Lang, MemoryRlimit> = {
  cpp: 'as', c: 'as', rust: 'as', python3: 'as', java: 'none', javascript: 'none',
};

/** Added to the wall-clock limit: the time the runtime takes to start before the solution runs. */
export const STARTUP_MARGIN_MS: Record<Lang, number> = {
  cpp: 150, c: 150, rust: 150, python3: 400, javascript: 400, java: 1000,
};

const AS_SLACK_MB = 32;
const FSIZE_BYTES = 64 * 1024 * 1024;
const NOFILE = 256;

const prlimitProbe = new Probe(function* (): Steps<boolean> {
  return process.platform === 'linux' && (yield* command({ cmd: 'prlimit', args: ['--version'], timeoutMs: 5000 })).status === 0;
});

/** Whether `prlimit` (util-linux) can wrap commands; checked once. */
export function hasPrlimit(): boolean {
  return prlimitProbe.now();
}

/** `hasPrlimit`, found without blocking. */
export function prlimitReady(): Promise<boolean> {
  return prlimitProbe.ready();
}

export interface RlimitRequest {
  /** The wall-clock limit; the CPU-time rlimit is a backstop well above it. */
  wallMs: number;
  memoryLimitMb?: number;
  memoryRlimit?: MemoryRlimit;
  /** RLIMIT_NPROC; only meaningful inside a user namespace (see sandbox.ts), else it counts all the user's processes. */
  nproc?: number;
  /** RLIMIT_STACK in MiB when not the memory limit (compilers: many threads, each mapping a stack that size). */
  stackMb?: number;
}

/** One rlimit, named as prlimit's option (cpu, fsize, nofile, core, nproc, as, stack). */
export interface Rlimit {
  name: string;
  soft: number;
  hard: number;
}

/**
 * CPU time, file size, open files, no core dumps and (for `as`) address space and stack; RLIMIT_NPROC
 * only on request (`nproc`): outside a user namespace it counts every process of the user.
 */
export function rlimitsFor(req: RlimitRequest): Rlimit[] {
  const same = (name: string, n: number): Rlimit => ({ name, soft: n, hard: n });
  // Soft limit sends SIGXCPU (reported as a time-out), the hard one a second later SIGKILL.
  // Twice the wall time, so multi-threaded runtimes (JIT, GC threads) do not hit it first.
  const cpuSoft = Math.ceil((2 * req.wallMs) / 1000) + 1;
  const limits = [{ name: 'cpu', soft: cpuSoft, hard: cpuSoft + 1 }, same('fsize', FSIZE_BYTES), same('nofile', NOFILE), same('core', 0)];
  if (req.nproc !== undefined) limits.push(same('nproc', req.nproc));
  if (req.memoryLimitMb !== undefined && (req.memoryRlimit ?? 'as') === 'as') {
    const mb = 1024 * 1024;
    // As judges do, the stack may be as deep as the memory limit (deep recursion is common in contest
    // code), and apart from it: a thread's stack is mapped at RLIMIT_STACK's size, so the address space
    // holds the memory limit plus one such stack. Memory itself is judged on peak RSS (runResult).
    const stackMb = req.stackMb ?? req.memoryLimitMb;
    limits.push(same('as', (req.memoryLimitMb + stackMb + AS_SLACK_MB) * mb), same('stack', stackMb * mb));
  }
  return limits;
}

/** The limits of `rlimitsFor` as the sandbox helper takes them: "cpu=3:4,fsize=N:N,...". */
export function rlimitSpec(req: RlimitRequest): string {
  return rlimitsFor(req).map((l) => `${l.name}=${l.soft}:${l.hard}`).join(',');
}

/**
 * `argv` wrapped in `prlimit` with the limits of `rlimitsFor`. prlimit execs the command, so the pid
 * stays the program's. Without prlimit (macOS, Windows) the command runs without rlimits; the caller's
 * wall-clock kill is then the only limit.
 */
export function withRlimits(argv: string[], req: RlimitRequest): string[] {
  if (!hasPrlimit()) return argv;
  const flags = rlimitsFor(req).map((l) => `--${l.name}=${l.soft === l.hard ? l.soft : `${l.soft}:${l.hard}`}`);
  return ['prlimit', ...flags, '--', ...argv];
}
