import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { command, Probe, type Steps } from './probe';

/**
 * The helper's C files in compile order (shared set-up, containment and control groups, then the two modes), as one
 * translation unit. They sit in helper/ beside this module: in src/ when run from source, in dist/
 * where esbuild.mjs copies them for the bundles.
 */
export const HELPER_FILES = ['setup.c', 'contain.c', 'cgroup.c', 'batch.c', 'single.c'];

function helperSource(): string {
  return HELPER_FILES.map((f) => readFileSync(join(__dirname, 'helper', f), 'utf8')).join('\n');
}

/**
 * The namespace sandbox of sandbox.ts in one process: the same steps as its shell script, done with
 * system calls instead of ~20 `mount` processes and three `unshare`s (~75 ms down to a few per run).
 *
 * usage: helper CWD HIDE KEEP RLIMITS CGROUPS PROGRAM [ARG...]
 *   HIDE, KEEP: paths, one a line. RLIMITS: "resource=soft:hard" items, comma-separated, set in the
 *   program's process just before exec (what prlimit does), e.g. "cpu=3:4,as=301989888:301989888".
 *   CGROUPS (cgroup.ts, may be empty): the run's processes together in control groups of their own.
 * Exit: the program's status, 128+N when signal N killed it; 125 with a tagged stderr line when the
 * sandbox could not be set up; 127 when the program could not be executed. A last stderr line
 * SANDBOX_OOM_LINE: the control group's memory limit ended one of the run's processes.
 *
 * usage: helper --batch ISOLATE CWD HIDE KEEP RLIMITS CGROUPS PARALLEL WALL_MS CAP N PROGRAM [ARG...]
 *   Runs the program on N tests, PARALLEL at a time, each under RLIMITS and a wall-clock limit of
 *   WALL_MS, in the sandbox when ISOLATE is 1. CGROUPS (cgroup.ts, may be empty): where each test gets
 *   control groups of its own, and their limits. Test i runs in CWD/i/, created for it (isolated, CWD is
 *   covered by a tmpfs private to the batch first); HOME and TMPDIR equal to CWD point there instead.
 *   stdin: the N inputs, each as its length in bytes, a newline, the bytes.
 *   stdout, as tests end: "done I EXIT SIGNAL WALL_US CPU_US MAXRSS_KB FLAGS OUT ERR", a newline,
 *   then OUT bytes of the test's stdout (its first CAP; one more and it was killed) and ERR bytes of
 *   its stderr (its last CAP). EXIT is -1 when SIGNAL killed it; FLAGS "-" or letters: T wall limit,
 *   O stdout cap, E stderr cut, M the OOM killer ended a process of its control group, S the test's sandbox failed (its stderr says why). Not isolated, also
 *   "start I PID" lines: the test's process group, for the caller to kill on abort.
 *   Exit 0, or 125 as above.
 */
export const HELPER_SOURCE = helperSource();

/** The batch mode's arguments (see the usage above); what is not given is empty or one. */
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
  const exe = join(dir, `sandbox-helper-${createHash('sha256').update(HELPER_SOURCE).digest('hex').slice(0, 16)}`);
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
    const cc = (...flags: string[]) => command({ cmd: 'cc', args: ['-O2', ...flags, '-o', tmp, '-x', 'c', '-'], input: HELPER_SOURCE, timeoutMs: 60_000 });
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
