import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, Probe, type Steps } from './probe';
import { batchArgs } from './sandbox-helper';

/**
 * Control groups for the judge's tests. The helper (helper/cgroup.c) gives every test groups of its
 * own under the judge's directory found here, so that the memory of all the test's processes together
 * (tmpfs files and shared memory included) and their number are bounded, which rlimits cannot do: an
 * address-space limit is per process.
 *
 * Where: cgroup v2 when this process may make groups there (root at the top of the hierarchy, or a
 * delegated group named by MAPCODER_CGROUP, for example a systemd user scope made with Delegate=yes);
 * else cgroup v1's memory and pids hierarchies when they are writable (root); else none, and the
 * rlimits alone hold. MAPCODER_CGROUP=off turns them off.
 */
export interface JudgeCgroups {
  version: 1 | 2;
  /** The judge's own directory in each hierarchy: v2 one, v1 memory then pids. */
  dirs: string[];
  /** The memory group's swap limit file, when the kernel accounts swap. */
  swapFile?: string;
}

/** Processes (threads included) a test may have at once. */
export const CGROUP_PIDS = 512;
/** Beyond the memory the judge allows a test (its rlimits, its runtime's slack): page cache, kernel memory. */
export const CGROUP_SLACK_MB = 64;

export interface CgroupMounts {
  /** The cgroup2 mount point. */
  v2?: string;
  /** v1 mount points by controller. */
  v1: Record<string, string>;
}

/** The cgroup mounts in /proc/self/mountinfo. */
export function parseMountinfo(text: string): CgroupMounts {
  const mounts: CgroupMounts = { v1: {} };
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const point = left.split(' ')[4];
    const [type, , options] = right.split(' ');
    if (type === 'cgroup2') mounts.v2 ??= point;
    if (type === 'cgroup') for (const o of (options ?? '').split(',')) mounts.v1[o] ??= point;
  }
  return mounts;
}

/** This process's group in each hierarchy from /proc/self/cgroup: '' for v2, else by controller. */
export function parseProcCgroup(text: string): Record<string, string> {
  const groups: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    for (const c of m[1] === '' ? [''] : m[1].split(',')) groups[c] = m[2];
  }
  return groups;
}

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** The judge's v2 directory under `base`, with memory and pids handed on to the tests' groups. */
function v2Dirs(base: string, name: string): JudgeCgroups | undefined {
  const wanted = ['memory', 'pids'];
  const enabled = () => read(join(base, 'cgroup.subtree_control')).split(/\s+/);
  if (!wanted.every((c) => enabled().includes(c))) {
    try {
      writeFileSync(join(base, 'cgroup.subtree_control'), '+memory +pids');
    } catch {
      return undefined; // not ours to change, or it holds processes itself
    }
  }
  const dir = join(base, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'cgroup.subtree_control'), '+memory +pids');
  return { version: 2, dirs: [dir], swapFile: existsSync(join(dir, 'memory.swap.max')) ? 'memory.swap.max' : undefined };
}

function v1Dirs(mounts: CgroupMounts, own: Record<string, string>, name: string): JudgeCgroups | undefined {
  const dirs = ['memory', 'pids'].map((c) => (mounts.v1[c] && own[c] !== undefined ? join(mounts.v1[c], own[c], name) : undefined));
  if (dirs.some((d) => d === undefined)) return undefined;
  const made: string[] = [];
  try {
    for (const d of dirs as string[]) {
      mkdirSync(d);
      made.push(d);
    }
  } catch {
    made.forEach((d) => rmdirSync(d));
    return undefined;
  }
  const memsw = join(made[0], 'memory.memsw.limit_in_bytes');
  return { version: 1, dirs: made, swapFile: existsSync(memsw) ? 'memory.memsw.limit_in_bytes' : undefined };
}

const PREFIX = 'mapcoder-lite-';

/** Ends what still runs in a group and removes it; whether it is gone. */
function removeGroup(group: string): boolean {
  for (const pid of read(join(group, 'cgroup.procs')).split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  try {
    rmdirSync(group);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function subgroups(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Removes a judge directory with the tests' groups killed helpers left in it. */
function removeJudgeDir(dir: string): void {
  for (const name of subgroups(dir)) removeGroup(join(dir, name));
  removeGroup(dir);
}

/**
 * The groups of a helper killed before it removed them itself (helper/batch.c names them t<pid>-<test>),
 * tried for up to two seconds while their processes are dying; what stays is left to the exit sweep.
 */
export async function removeHelperGroups(c: JudgeCgroups, helperPid: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const left = c.dirs.flatMap((dir) => subgroups(dir).filter((n) => n.startsWith(`t${helperPid}-`)).map((n) => join(dir, n)));
    if (left.map(removeGroup).every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Judge directories of processes that are gone, beside `dir`. */
function sweepStale(dir: string): void {
  const parent = join(dir, '..');
  for (const entry of subgroups(parent)) {
    const pid = Number(entry.slice(PREFIX.length));
    if (!entry.startsWith(PREFIX) || !Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') removeJudgeDir(join(parent, entry));
    }
  }
}

/**
 * Where this process's judge makes its tests' groups: found, created (removed again at exit) and tried
 * once with a real one-test batch of `helper`. Undefined where no hierarchy is ours to use.
 */
export function* findJudgeCgroups(helper: string, env: NodeJS.ProcessEnv = process.env): Steps<JudgeCgroups | undefined> {
  if (process.platform !== 'linux' || env.MAPCODER_CGROUP === 'off') return undefined;
  const mounts = parseMountinfo(read('/proc/self/mountinfo'));
  const own = parseProcCgroup(read('/proc/self/cgroup'));
  const name = `${PREFIX}${process.pid}`;
  let found: JudgeCgroups | undefined;
  try {
    const v2Base = env.MAPCODER_CGROUP ?? (process.getuid?.() === 0 && mounts.v2 ? mounts.v2 : undefined);
    found = (v2Base ? v2Dirs(v2Base, name) : undefined) ?? v1Dirs(mounts, own, name);
  } catch {
    found = undefined;
  }
  if (!found) return undefined;
  const dirs = found.dirs;
  process.once('exit', () => dirs.forEach(removeJudgeDir));
  dirs.forEach(sweepStale);
  return (yield* cgroupsWork(helper, found)) ? found : (dirs.forEach(removeJudgeDir), undefined);
}

let probe: Probe<JudgeCgroups | undefined> | undefined;

/** `findJudgeCgroups`, once per process (with the helper first asked for). */
export function judgeCgroups(helper: string): JudgeCgroups | undefined {
  probe ??= new Probe(() => findJudgeCgroups(helper));
  return probe.now();
}

/** `judgeCgroups`, found without blocking. */
export function judgeCgroupsReady(helper: string): Promise<JudgeCgroups | undefined> {
  probe ??= new Probe(() => findJudgeCgroups(helper));
  return probe.ready();
}

/** The helper's CGROUPS argument: each test's limits in each hierarchy (the swap limit after the memory one). */
export function cgroupSpec(c: JudgeCgroups, memoryMb: number | undefined, pids = CGROUP_PIDS): string {
  const bytes = memoryMb === undefined ? undefined : Math.round(memoryMb * 1024 * 1024);
  const memory = bytes === undefined ? [] : c.version === 2
    ? [`memory.max=${bytes}`, ...(c.swapFile ? [`${c.swapFile}=0`] : [])]
    : [`memory.limit_in_bytes=${bytes}`, ...(c.swapFile ? [`${c.swapFile}=${bytes}`] : [])];
  const lines = c.version === 2 ? [[c.dirs[0], ...memory, `pids.max=${pids}`]] : [[c.dirs[0], ...memory], [c.dirs[1], `pids.max=${pids}`]];
  return lines.map((l) => l.join('\t')).join('\n');
}

/** One test of `true` in groups of its own, not isolated: the set-up the helper does for every test. */
function* cgroupsWork(helper: string, c: JudgeCgroups): Steps<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'mapcoder-cgroup-probe-'));
  try {
    const args = batchArgs({ isolate: false, cwd: dir, cgroups: cgroupSpec(c, 64), wallMs: 5000, cap: 64, tests: 1, program: ['true'] });
    const r = yield* command({ cmd: helper, args, input: '0\n', timeoutMs: 10_000 });
    return r.status === 0 && /^done 0 0 0 /m.test(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
