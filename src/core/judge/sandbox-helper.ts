import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { helperFile, helperPath } from './helper-files';
import { command, commands, Probe, type Steps } from './probe';

/** The helper's header: shared declarations and the prototypes of what each C file offers the others. */
export const HELPER_HEADER = 'helper.h';

/** The helper's translation units, each compiled on its own against the header: set-up, containment, control groups, the two modes. */
export const HELPER_UNITS = ['setup.c', 'contain.c', 'cgroup.c', 'batch.c', 'single.c'];

/** Every file the helper is built from (its usage and stream formats: helper/README.md). */
export const HELPER_FILES = [HELPER_HEADER, ...HELPER_UNITS];

/** Optimised and hardened (bounds-checked libc calls, stack canaries and probes); every file compiles without a warning under them. */
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

/** The `cc` arguments that compile `unit` (from helper/ on disk) into an object in `objDir`. */
export function compileArgs(unit: string, objDir: string): string[] {
  return [...HELPER_CFLAGS, '-c', helperPath(unit), '-o', objectOf(unit, objDir)];
}

/** The `cc` arguments that link the objects in `objDir` into `out`: statically first, where the C library allows it (no dynamic loading on every run, ~0.4 ms). */
export function linkArgs(objDir: string, out: string, statically: boolean): string[] {
  return [...(statically ? ['-static'] : []), '-o', out, ...HELPER_UNITS.map((u) => objectOf(u, objDir))];
}

function objectOf(unit: string, objDir: string): string {
  return join(objDir, unit.replace(/\.c$/, '.o'));
}

/** Names the build: every file's name and contents, and the flags, so an edit of any of them builds anew. */
function helperHash(): string {
  const h = createHash('sha256');
  for (const f of HELPER_FILES) h.update(`${f}\0${helperFile(f)}\0`);
  return h.update(HELPER_CFLAGS.join(' ')).digest('hex').slice(0, 16);
}

/**
 * The helper built from the files in helper/ with `cc`, once per version of them, into `dir` (created
 * 0700): each C file compiled on its own, then linked. Undefined when there is no C compiler or the
 * build fails. A binary found there is used only when the directory and the file are ours and writable
 * by no one else (a shared /tmp).
 */
export function* helperBuild(dir: string): Steps<string | undefined> {
  let exe: string;
  try {
    exe = join(dir, `sandbox-helper-${helperHash()}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(dir)) return undefined;
  } catch {
    return undefined;
  }
  try {
    if (ownedAndPrivate(exe)) return exe;
  } catch {
    // not built yet
  }
  // A folder of this build's own: a blocking build may overtake a pending one of the same process.
  let work: string | undefined;
  try {
    const objs = (work = mkdtempSync(join(dir, `build-${process.pid}-${randomBytes(4).toString('hex')}-`)));
    const tmp = join(objs, 'sandbox-helper');
    const cc = (args: string[]) => ({ cmd: 'cc', args, timeoutMs: 60_000 });
    // The files side by side where the build does not block (the judge's own start), in turn otherwise.
    const compiled = yield* commands(HELPER_UNITS.map((unit) => cc(compileArgs(unit, objs))));
    if (compiled.some((c) => c.status !== 0)) return undefined;
    if ((yield* command(cc(linkArgs(objs, tmp, true)))).status !== 0 && (yield* command(cc(linkArgs(objs, tmp, false)))).status !== 0) return undefined;
    chmodSync(tmp, 0o700);
    renameSync(tmp, exe);
    return exe;
  } catch {
    return undefined;
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
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
