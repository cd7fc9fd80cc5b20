import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The engine layer runs the real CLI (dist/cli.js) in child processes: `serve` in the foreground, and
// `solve --local`, which starts the engine detached. Each test gets its own engine folder
// (MAPCODER_ENGINE_DIR), which is also how a test finds every process of its own afterwards.

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const SUM = join(ROOT, 'test/fixtures/problems/sum.md');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

export interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  done: Promise<CliRun>;
}

const started = new Set<ChildProcess>();
for (const sig of ['exit', 'SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    for (const p of started) p.kill('SIGKILL');
  });
}

/** Starts the CLI with `args` and extra environment; output collected. */
export function run(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  started.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<CliRun>((r) => child.on('exit', (code, signal) => {
    started.delete(child);
    r({ code, signal, out, err });
  }));
  return { child, out: () => out, err: () => err, done };
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return run(args, env).done;
}

/** Waits until `test` holds, polling; throws with `what` after `ms`. */
export async function until<T>(what: string, test: () => T | undefined | false | Promise<T | undefined | false>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await test();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Processes (other than this one) whose environment names the engine folder `dir`. */
export function processesOf(dir: string): string[] {
  const mark = `MAPCODER_ENGINE_DIR=${dir}\0`;
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid).flatMap((p) => {
    try {
      if (!readFileSync(`/proc/${p}/environ`, 'latin1').includes(mark)) return [];
      return [`${p}: ${readFileSync(`/proc/${p}/cmdline`, 'latin1').replace(/\0/g, ' ')}`];
    } catch {
      return [];
    }
  });
}

/** A foreground `serve`: its URL and token once it is ready. */
export async function serve(args: string[], env: NodeJS.ProcessEnv): Promise<Running & { base: string; origin: string; token: string; stop: () => Promise<CliRun> }> {
  const r = run(['serve', ...args], env);
  const printed = await until('serve to print its URL and token', () => (r.child.exitCode !== null ? 'exited' : /^(http:\S+)\ntoken: (\S+)\n/.exec(r.out()) ?? undefined), 60_000);
  if (printed === 'exited') throw new Error(`serve exited: ${r.err()}`);
  const [, base, token] = printed;
  const origin = base.replace(/\/v1$/, '');
  await until('serve to be ready', async () => r.child.exitCode !== null || (await fetch(`${origin}/health`).then((x) => x.ok, () => false)), 120_000);
  if (r.child.exitCode !== null) throw new Error(`serve exited: ${r.err()}`);
  return {
    ...r, base, origin, token,
    stop: async () => {
      if (r.child.exitCode === null) r.child.kill('SIGTERM');
      return r.done;
    },
  };
}

/** Resident memory of a process and the part of it that maps `file` (Linux smaps). */
export function memoryOf(pid: number, file: string): { rss: number; fileRss: number } {
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n');
  let rss = 0;
  let fileRss = 0;
  let inFile = false;
  for (const line of smaps) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inFile = line.trimEnd().endsWith(file);
    const m = /^Rss:\s+(\d+) kB/.exec(line);
    if (m) {
      rss += Number(m[1]) * 1024;
      if (inFile) fileRss += Number(m[1]) * 1024;
    }
  }
  return { rss, fileRss };
}
