import { mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { constants, homedir, release as osRelease, tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { hasPrlimit, prlimitReady, rlimitSpec, type RlimitRequest } from './limits';
import { CGROUP_PIDS, judgeCgroups, judgeCgroupsReady } from './cgroup';
import { answerOf, command, Probe, type Steps } from './probe';
import { batchArgs, helperBuild } from './sandbox-helper';

/**
 * How candidate programs are contained.
 * - `namespaces` (Linux, unprivileged user namespaces work): own PID, network, mount, IPC and UTS
 *   namespaces; the file system read-only except the run's directory; homes hidden; rlimits.
 * - `rlimits-only` (Linux without user namespaces): rlimits through prlimit, process-group kill.
 * - `none` (macOS, Windows): only the wall-clock kill of the process group (Windows: the process).
 */
export type Isolation = 'namespaces' | 'rlimits-only' | 'none';

/** What the judge can promise on this machine; for the CLI and the extension to show. */
export interface JudgeCapabilities {
  isolation: Isolation;
  /** Rlimits (CPU time, address space, file size, open files) through prlimit. */
  rlimits: boolean;
  /** No network at all, loopback included. */
  network: boolean;
  /** Writes outside the run's directory fail (read-only file system). */
  filesystem: boolean;
  /** The user's home (and /home, /root) replaced by an empty directory; toolchains in it stay visible. */
  home: boolean;
  /** Every process the program starts dies with it (PID namespace), `setsid` or not. */
  processes: boolean;
  /** Each test's processes together under one memory limit and CGROUP_PIDS processes: the cgroup version (cgroup.ts). */
  cgroups?: 1 | 2;
  /** Linux where no C compiler (`cc`) built the sandbox's helper: no sandbox for that reason alone. */
  noCompiler?: true;
}

/** Paths the wrapper gets; each list one path a line. */
export interface SandboxPaths {
  /** The one writable directory: the program's working directory. */
  cwd: string;
  /** Directories replaced by an empty tmpfs. */
  hide: string[];
  /** Directories inside hidden ones that stay visible (read-only): toolchains. */
  keep: string[];
}

/** Exit status of the wrapper when it could not set the sandbox up; its stderr says why. */
export const SANDBOX_SETUP_FAILED = 125;
export const SANDBOX_TAG = 'mapcoder-lite sandbox:';

/**
 * What sets the sandbox up: the helper compiled from helper/*.c (sandbox-helper.ts), the one builder of
 * the sandbox. Where no C compiler built it, there is no sandbox: the judge runs programs as it does
 * without user namespaces (rlimits through prlimit).
 */
export interface SandboxWrapper {
  helper: string;
}

/** The helper's last stderr line when the run's control group ran out of memory (see sandbox-helper.ts). */
export const SANDBOX_OOM_LINE = `${SANDBOX_TAG} out of memory in its control group`;

/**
 * `argv` wrapped so it runs inside the sandbox under the rlimits of `limits`, and with the helper in
 * the control groups of `cgroups` (cgroup.ts cgroupSpec).
 */
export function sandboxArgv(argv: string[], paths: SandboxPaths, limits: RlimitRequest, wrapper: SandboxWrapper, cgroups = ''): string[] {
  return [wrapper.helper, paths.cwd, paths.hide.join('\n'), paths.keep.join('\n'), rlimitSpec(limits), cgroups, ...argv];
}

/** Where the judge keeps its temp dirs and the built helper, by default: os.tmpdir()/mapcoder-lite-judge-<uid>. */
export function judgeCacheDir(): string {
  return join(tmpdir(), `mapcoder-lite-judge-${process.getuid?.() ?? 'user'}`);
}

/** Folders every program finds empty and private: host processes keep Unix sockets and files there. */
const PRIVATE_DIRS = ['/tmp', '/var/tmp', '/run'];

export interface SandboxPathOptions {
  /**
   * The judge's folder that holds `cwd` and the program's files (its builds, the harness): the one
   * folder kept visible inside hidden ones, exactly, so nothing beside it in a temp folder shows
   * (another process's files or sockets in the same TMPDIR). Default: `cwd`.
   */
  workDir?: string;
  home?: string;
  tmp?: string;
  /** The program runs as nobody (the judge is root): folders on the way that others may not enter are hidden too. */
  asNobody?: boolean;
}

/**
 * The folders to hide and the directories in them to keep. Hidden: the homes, /tmp, /var/tmp, /run and
 * the temp folder, and, when the program runs as nobody, every folder on the way to the judge's folder
 * that others may not enter (a `mktemp -d` TMPDIR, root's ~/tmp): covered by a tmpfs, the way through
 * them is the tmpfs's own. Kept (read-only, at their own paths): the judge's folder and toolchains.
 */
export function sandboxPaths(cwd: string, env: NodeJS.ProcessEnv, opts: SandboxPathOptions = {}): SandboxPaths {
  const real = (p: string): string | undefined => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const dir = real(cwd) ?? cwd;
  const work = opts.workDir ? (real(opts.workDir) ?? opts.workDir) : dir;
  const own = inside(dir, work) ? [work] : [work, dir];
  const existing = (paths: string[]) => [...new Set(paths.map(real).filter((p): p is string => !!p && p !== '/' && !/\n/.test(p)))];
  const closed = (opts.asNobody ?? process.getuid?.() === 0) ? own.flatMap(closedAncestors) : [];
  // Never a folder that holds the judge's own (itself or inside it): what is hidden is around it.
  const candidates = existing([opts.home ?? homedir(), '/home', '/root', ...PRIVATE_DIRS, opts.tmp ?? tmpdir(), ...closed])
    .filter((h) => !own.some((o) => inside(h, o)));
  // Outermost only: a tmpfs over /home leaves nothing to mount over at /home/user.
  const hide = candidates.filter((h) => !candidates.some((o) => o !== h && inside(h, o)));
  const wanted = [
    ...own,
    ...['PYENV_ROOT', 'RUSTUP_HOME', 'CARGO_HOME', 'JAVA_HOME'].map((n) => env[n]),
    ...(env.PATH ?? '').split(delimiter),
  ].filter((p): p is string => !!p).map(real).filter((p): p is string => !!p && hide.some((h) => inside(p, h) && p !== h));
  // A kept directory inside another kept one comes along with it.
  const unique = [...new Set(wanted)].filter((p) => !/\n/.test(p));
  const keep = unique.filter((k) => !unique.some((o) => o !== k && inside(k, o)));
  return { cwd: dir, hide, keep };
}

function inside(p: string, parent: string): boolean {
  return p === parent || p.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** The folders above `dir` (not / itself) that others may not pass through (no search bit for others). */
function closedAncestors(dir: string): string[] {
  const closed: string[] = [];
  for (let p = dirname(dir); p !== dirname(p); p = dirname(p)) {
    try {
      if ((statSync(p).mode & 0o001) === 0) closed.push(p);
    } catch {
      // gone or unreadable: the probe at the judge's start says so
    }
  }
  return closed;
}

/** The wrapper's exit status back as the program's: 128+N is signal N (helper/README.md). */
export function programStatus(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null } {
  if (code === null || code <= 128 || code > 128 + 64) return { code, signal };
  const name = signalName(code - 128);
  return name ? { code: null, signal: name } : { code, signal };
}

export function signalName(n: number): NodeJS.Signals | undefined {
  return (Object.entries(constants.signals) as [NodeJS.Signals, number][]).find(([, v]) => v === n)?.[0];
}

/** The helper, built once per process (on first use) into the judge's cache folder. */
const builtHelper = new Probe(() => helperBuild(judgeCacheDir()));

/** Whether `w` sets up a sandbox here: one real run of `true` in it. */
function* wrapperWorks(w: SandboxWrapper, dir: string): Steps<boolean> {
  const [cmd, ...args] = sandboxArgv(['true'], sandboxPaths(dir, process.env), { wallMs: 5000 }, w);
  return (yield* command({ cmd, args, cwd: dir, timeoutMs: 5000 })).status === 0;
}

/**
 * The helper (built on first use) as the sandbox's wrapper, tried once with a real run; undefined where
 * it does not set the sandbox up (no C compiler built it, user namespaces off or blocked, not Linux).
 */
const wrapperProbe = new Probe(function* (): Steps<SandboxWrapper | undefined> {
  if (process.platform !== 'linux') return undefined;
  const helper = yield* answerOf(builtHelper);
  if (!helper) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mapcoder-sandbox-probe-'));
  try {
    return (yield* wrapperWorks({ helper }, dir)) ? { helper } : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The helper as a batch runner without the sandbox, probed once with an empty batch. */
const plainBatchProbe = new Probe(function* (): Steps<string | undefined> {
  const helper = process.platform === 'linux' ? yield* answerOf(builtHelper) : undefined;
  if (!helper) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mapcoder-batch-probe-'));
  try {
    const probe = yield* command({ cmd: helper, args: batchArgs({ isolate: false, cwd: dir, wallMs: 1000, cap: 1, tests: 0, program: ['true'] }), timeoutMs: 5000 });
    return probe.status === 0 ? helper : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The wrapper that works here (see `wrapperProbe`), found now. */
export function sandboxWrapper(): SandboxWrapper | undefined {
  return wrapperProbe.now();
}

/**
 * The helper that runs a judge's tests as one batch (sandbox-helper.ts), when it works here: isolated,
 * the sandbox's own helper; not isolated, the same binary, probed once with an empty batch. Undefined
 * where no helper was built, or off Linux: there each test is its own spawn.
 */
export function batchHelper(isolated: boolean): string | undefined {
  return isolated ? sandboxWrapper()?.helper : plainBatchProbe.now();
}

/** `sandboxWrapper`, found with child processes the event loop waits for. */
export function sandboxWrapperReady(): Promise<SandboxWrapper | undefined> {
  return wrapperProbe.ready();
}

/** What a judge's runs use here: the sandbox's wrapper (undefined: not isolated) and the batch helper. */
export interface JudgeMachine {
  sandbox: boolean;
  wrapper?: SandboxWrapper;
  batch?: string;
}

/**
 * The batch helper for runs with `wrapper` (undefined: not isolated), with what the runs ask at once
 * later (`judgeCgroups` for the helper, `hasPrlimit` where prlimit sets the rlimits) found without blocking.
 */
export async function judgeMachine(wrapper: SandboxWrapper | undefined): Promise<JudgeMachine> {
  const sandbox = wrapper !== undefined;
  const helper = wrapper?.helper;
  const batch = sandbox ? helper : await plainBatchProbe.ready();
  await Promise.all([batch ? judgeCgroupsReady(batch) : undefined, helper ? undefined : prlimitReady()]);
  return { sandbox, ...(wrapper ? { wrapper } : {}), ...(batch ? { batch } : {}) };
}

/**
 * Under root the sandboxed program runs as nobody (helper/contain.c), so the judge's folders must let
 * it through (searchable by others, not listable) and the files it reads be readable, whatever the umask.
 */
export async function letProgramThrough(dirs: string[], files: string[] = []): Promise<void> {
  if (process.getuid?.() === 0) await Promise.all([...dirs.map((d) => chmod(d, 0o711)), ...files.map((f) => chmod(f, 0o644))]);
}

/** Whether the sandbox works here (see `sandboxWrapper`). */
export function sandboxWorks(): boolean {
  return sandboxWrapper() !== undefined;
}

/** What the judge promises; `sandbox` false when the caller turned the sandbox off. */
export function judgeCapabilities(sandbox = sandboxWorks()): JudgeCapabilities {
  // The helper sets the rlimits itself.
  const rlimits = sandbox || hasPrlimit();
  const helper = batchHelper(sandbox);
  const cgroups = helper ? judgeCgroups(helper)?.version : undefined;
  const noCompiler = process.platform === 'linux' && !builtHelper.now();
  return {
    isolation: sandbox ? 'namespaces' : rlimits ? 'rlimits-only' : 'none',
    rlimits, network: sandbox, filesystem: sandbox, home: sandbox, processes: sandbox, ...(cgroups ? { cgroups } : {}), ...(noCompiler ? { noCompiler } : {}),
  };
}

/** For people, on one line: how far a judged program is contained on this machine (and, without a C compiler, what the sandbox needs). */
export function describeIsolation(c: JudgeCapabilities): string {
  const groups = c.cgroups ? ` Each test's processes share one memory limit and at most ${CGROUP_PIDS} processes (cgroup v${c.cgroups}).` : '';
  const compiler = c.noCompiler ? ' The sandbox needs a C compiler (cc) to build its helper: install one (e.g. gcc) for isolation.' : '';
  return isolationSentence(c) + groups + compiler;
}

/** What to tell the user before a run whose programs run outside the namespace sandbox; undefined inside it. */
export function unsandboxedNote(c: JudgeCapabilities): string | undefined {
  return c.isolation === 'namespaces' ? undefined : describeIsolation(c);
}

function isolationSentence(c: JudgeCapabilities): string {
  switch (c.isolation) {
    case 'namespaces':
      return 'Programs run isolated: no network, a read-only file system outside their folder, your home and /tmp hidden, no privileges (as root: as nobody), every process they start ended with them.';
    case 'rlimits-only':
      return 'Programs run under resource limits only (no namespace sandbox here): they can reach the network and read and write your files.';
    case 'none':
      return 'Programs run with a time limit only (no resource limits or isolation on this system): they can reach the network and your files.';
  }
}

/**
 * RLIMIT_NPROC inside the sandbox. Since Linux 5.14 the count is kept per user namespace, so this caps
 * the program's own processes and threads (a fork bomb), not the user's. The kernel never applies it
 * to real root, but under root the program runs as nobody (helper/contain.c), so it holds there too;
 * where the judge has control groups, pids.max (cgroup.ts) bounds the test again.
 */
export const SANDBOX_NPROC = 512;

/** Whether RLIMIT_NPROC is counted per user namespace (Linux 5.14+). */
export function nprocPerNamespace(release = osRelease()): boolean {
  const [major, minor] = release.split('.').map((n) => parseInt(n, 10));
  return major > 5 || (major === 5 && minor >= 14);
}

/**
 * Added to a program's wall-clock limit under the sandbox: the helper's set-up before the program
 * starts (namespaces, a dozen mounts, seccomp). Measured: ~11 ms of CPU and 13-17 ms of wall time
 * beyond a plain spawn, 45 ms median and 80 ms at the 99th percentile on 2 cores under a load of 7.
 * 100 ms covers that. (Samples are judged on CPU time where the batch helper runs them, the wall clock
 * a backstop; the margin decides for runs judged by the wall clock: an interactive program's.)
 */
export const SANDBOX_MARGIN_MS = 100;
