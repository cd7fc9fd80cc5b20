import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { helperFile } from './helper-files';
import { command, Probe, type Steps } from './probe';

/**
 * The helper's C files in compile order, as one translation unit: the header (shared declarations and
 * prototypes), shared set-up, containment and control groups, then the two modes.
 */
export const HELPER_FILES = ['helper.h', 'setup.c', 'contain.c', 'cgroup.c', 'batch.c', 'single.c'];

function helperSource(): string {
  return HELPER_FILES.map((f) => helperFile(f)).join('\n');
}

/** The helper's C (its usage and stream formats: helper/README.md), read once. */
export const HELPER_SOURCE = helperSource();

/** Optimised and hardened (bounds-checked libc calls, stack canaries and probes); the source compiles without a warning under them. */
export const HELPER_CFLAGS = ['-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', '-fstack-clash-protection', '-Wall', '-Wextra', '-Wmissing-prototypes'];

/** The batch mode's arguments (helper/README.md); what is not given is empty or one. */
export interface BatchArgs {
  isolate: boolean;
  cwd: string;
  hide?: string[];
  keep?: string[];
  rlimits?: string;
  /** cgroup.ts cgroupSpec. */
  cgroups?: string;
  parallel?: number;
  wallMs: number;
  cap: number;
  tests: number;
  program: string[];
}

/** `helper --batch ...` without the helper: the argument list in the order the C side reads it. */
export function batchArgs(a: BatchArgs): string[] {
  return ['--batch', a.isolate ? '1' : '0', a.cwd, (a.hide ?? []).join('\n'), (a.keep ?? []).join('\n'), a.rlimits ?? '', a.cgroups ?? '',
    String(a.parallel ?? 1), String(a.wallMs), String(a.cap), String(a.tests), ...a.program];
}

/**
 * The helper built from HELPER_SOURCE with `cc`, once per source version, into `dir` (created 0700).
 * Undefined when there is no C compiler or the build fails. A binary found there is used only when the
 * directory and the file are ours and writable by no one else (a shared /tmp).
 */
export function* helperBuild(dir: string): Steps<string | undefined> {
  const exe = join(dir, `sandbox-helper-${createHash('sha256').update(HELPER_SOURCE).update(HELPER_CFLAGS.join(' ')).digest('hex').slice(0, 16)}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(dir)) return undefined;
    if (ownedAndPrivate(exe)) return exe;
  } catch {
    // not built yet (or the directory is unusable: then the build below fails too)
  }
  // Unique: a blocking build may overtake a pending one of the same process.
  const tmp = `${exe}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // Static when the C library allows it: no dynamic loading on every run (~0.4 ms).
    const cc = (...flags: string[]) => command({ cmd: 'cc', args: [...HELPER_CFLAGS, ...flags, '-o', tmp, '-x', 'c', '-'], input: HELPER_SOURCE, timeoutMs: 60_000 });
    if ((yield* cc('-static')).status !== 0 && (yield* cc()).status !== 0) return undefined;
    chmodSync(tmp, 0o700);
    renameSync(tmp, exe);
    return exe;
  } catch {
    return undefined;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** `helperBuild`, at once (tests, the bench). */
export function buildHelper(dir: string): string | undefined {
  return new Probe(() => helperBuild(dir)).now();
}

function ownedAndPrivate(path: string): boolean {
  const s = lstatSync(path);
  return (s.isDirectory() || s.isFile()) && s.uid === process.getuid?.() && (s.mode & 0o022) === 0;
}
