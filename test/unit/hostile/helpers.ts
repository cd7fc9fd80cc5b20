import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Judge, type JudgeOptions } from '../../../src/core/judge';
import type { Problem } from '../../../src/core/types';
import { waitFor } from '../judge/helpers';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'hostile');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A unique string to put in paths, so processes and files of one test run can be found again. */
export function marker(): string {
  return `mcl-hostile-${randomBytes(5).toString('hex')}`;
}

/** Live processes (zombies have no cmdline) whose command line contains `mark`, this process excluded. */
export function processesWith(mark: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(mark)) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}


/** Waits until no process carries `mark` (processes being torn down may take a moment). */
export function noneLeft(mark: string, ms = 10_000): Promise<true> {
  return waitFor(() => (processesWith(mark).length === 0 ? true : undefined), `processes with ${mark} to die`, ms);
}

export function stdioProblem(input: string, output: string, limits: { timeLimitMs?: number; memoryLimitMb?: number } = {}): Problem {
  return {
    title: 'hostile', statement: '', samples: [{ input, outputs: [output] }], asserts: [], style: { kind: 'stdio' },
    timeLimitMs: limits.timeLimitMs ?? 1000, memoryLimitMb: limits.memoryLimitMb ?? 256,
  };
}

/** A TCP listener on 127.0.0.1 that counts the connections it accepts. */
export async function listener(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server: Server = createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, accepted: () => accepted, close: () => new Promise((r) => server.close(() => r())) };
}

export const ROOT = resolve(__dirname, '..', '..', '..');
export const isRoot = process.getuid?.() === 0;

let bundled = false;

/** dist/cli.js built from the source under test, once per test process. */
export function buildCli(): string {
  if (!bundled) execFileSync('node', ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  bundled = true;
  return join(ROOT, 'dist/cli.js');
}

/**
 * `argv` to run as `user` (no supplementary groups, a minimal environment) or, without one, as this
 * process with its PATH and HOME; `env` added either way.
 */
function asUser(user: string | undefined, argv: string[], env: Record<string, string>) {
  const base = user ? { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: `/home/${user}` } : { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };
  const [cmd, ...args] = user ? ['setpriv', '--reuid', user, '--regid', user, '--clear-groups', '--', ...argv] : argv;
  return { cmd, args, env: { ...base, LANG: 'C.UTF-8', ...env } };
}

/** Runs `argv` as `user` (see asUser) to its end. */
export function runAs(user: string | undefined, argv: string[], env: Record<string, string> = {}, cwd = user ? `/home/${user}` : ROOT, timeout = 50_000): SpawnSyncReturns<string> {
  const a = asUser(user, argv, env);
  return spawnSync(a.cmd, a.args, { encoding: 'utf8', env: a.env, cwd, timeout });
}

/** Starts `argv` as `user` (see asUser); stdin and stdout piped. */
export function spawnAs(user: string | undefined, argv: string[]): ChildProcess {
  const a = asUser(user, argv, {});
  return spawn(a.cmd, a.args, { env: a.env, cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
}

/** The ordinary user of this test process: its own name, so that test runs side by side never share one. */
export const TEST_USER = `mcl-t${process.pid}`;

/**
 * TEST_USER for a suite that runs as an ordinary user (only under root): created with a home before
 * it and removed after it. userdel refuses a user that still runs a process, so a process left behind
 * fails the suite here.
 */
export function useOrdinaryUser(): void {
  let created = false;
  before(() => {
    if (spawnSync('id', [TEST_USER]).status !== 0) {
      execFileSync('useradd', ['--create-home', TEST_USER]);
      created = true;
    }
  });
  after(() => {
    if (created) execFileSync('userdel', ['--remove', TEST_USER], { stdio: 'ignore' });
  });
}

/**
 * A fresh folder in TEST_USER's home for the files that user's commands read (made after
 * useOrdinaryUser's hook): root's TMPDIR may be a folder only root may enter.
 */
export function userFolder(prefix: string): string {
  const dir = mkdtempSync(join('/home', TEST_USER, prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * A Judge for the suite whose work root carries a fresh marker (so that every process of its programs
 * can be found in /proc): made before the suite, disposed and removed after it.
 */
export function useMarkedJudge(opts: Omit<JudgeOptions, 'workRoot'> = {}): { mark: string; workRoot: string; judge: Judge } {
  const it = {} as { mark: string; workRoot: string; judge: Judge };
  before(() => {
    it.mark = marker();
    it.workRoot = join(tmpdir(), it.mark);
    it.judge = new Judge({ ...opts, workRoot: it.workRoot });
  });
  after(async () => {
    await it.judge.dispose();
    rmSync(it.workRoot, { recursive: true, force: true });
  });
  return it;
}
