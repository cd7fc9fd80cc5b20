import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../fixtures/net';

// The real ExecEval (ntunlp/ExecEval, unchanged, from ../shared/execeval or MAPCODER_EXECEVAL_DIR),
// started natively as ../shared/recipes/real-execeval.md says: a copy of execution_engine/ (the shared
// folder is read-only), the Dockerfile's clean environment, start_engine.sh's gunicorn line bound to
// loopback. Needs root (it runs programs as its runner users), Debian's python3-flask, -flask-cors,
// -gmpy2, -seccomp, -yaml and gunicorn, and the runner users (.ci/run makes them).

export const EXECEVAL_SOURCE = process.env.MAPCODER_EXECEVAL_DIR ?? path.resolve(__dirname, '../../../shared/execeval');

export interface RealExecEval {
  url: string;
  workers: number;
  /** gunicorn's log so far. */
  log(): string;
  close(): Promise<void>;
}

/** Why this machine cannot run it, or undefined. */
export function execEvalMissing(): string | undefined {
  if (!existsSync(path.join(EXECEVAL_SOURCE, 'execution_engine', 'wsgi.py'))) return `no ExecEval at ${EXECEVAL_SOURCE} (MAPCODER_EXECEVAL_DIR)`;
  if (process.getuid?.() !== 0) return 'ExecEval runs programs as its runner users: it needs root';
  if (!existsSync('/usr/bin/gunicorn')) return 'no /usr/bin/gunicorn (apt-get install gunicorn python3-flask python3-flask-cors python3-gmpy2 python3-seccomp python3-yaml)';
  const users = readFileSync('/etc/passwd', 'utf8');
  for (let uid = 1586; uid < 1590; uid++) if (!users.includes(`runner${uid}:`)) return `no user runner${uid} (see .ci/run)`;
  return undefined;
}

// gunicorn outlives a parent that dies: killed with the test process, however it ends
const running = new Set<ChildProcess>();
const killAll = () => {
  for (const p of running) p.kill('SIGKILL');
};
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(130);
  });
}

/** Starts one instance with `workers` gunicorn workers, running as runner users firstUid.. (never shared between instances). */
export async function startRealExecEval(workers: number, firstUid = 1586): Promise<RealExecEval> {
  const missing = execEvalMissing();
  if (missing) throw new Error(`cannot start the real ExecEval: ${missing}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'execeval-'));
  cpSync(path.join(EXECEVAL_SOURCE, 'execution_engine'), path.join(dir, 'engine'), { recursive: true });
  const port = await freePort();
  // ExecEval's workers each read and rewrite the worker table (WORKER_CFG_DB) unlocked as they import:
  // booted together, two can take the same runner uid, or one reads the file the other is rewriting and
  // dies at import (seen in CI). So gunicorn starts one, and each further worker is added with SIGTTIN
  // (gunicorn's "one more worker") once the table shows the previous one's row taken.
  const db = path.join(dir, 'worker_cfg_db.csv');
  const child = spawn('/usr/bin/gunicorn', ['-w', '1', '--bind', `127.0.0.1:${port}`, '--timeout', '0', 'wsgi:app'], {
    cwd: path.join(dir, 'engine'),
    env: {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/tmp', LANG: 'C.UTF-8',
      RUN_UID: String(firstUid), RUN_GID: String(firstUid), NUM_WORKERS: String(workers), GUNICORN_PORT: String(port),
      WORKER_CFG_DB: db, LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c));
  child.stderr!.on('data', (c: Buffer) => (log += c));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const fail = async (why: string) => {
    await close();
    return new Error(`the real ExecEval ${why}:\n${log.slice(-2000)}`);
  };
  for (let booted = 1; booted <= workers; booted++) {
    if (!(await until(() => takenRows(db) >= booted, () => child.exitCode !== null))) throw await fail(`did not boot worker ${booted} of ${workers} within 60 s`);
    if (booted < workers) child.kill('SIGTTIN');
  }
  if (!(await until(() => fetch(`${url}/api/all_runtimes`).then((r) => r.ok, () => false), () => child.exitCode !== null))) {
    throw await fail(`did not answer on ${url} within 60 s`);
  }
  return { url, workers, log: () => log, close };
}

/** Rows of ExecEval's worker table that a worker has taken (its pid in place of -1). */
function takenRows(db: string): number {
  if (!existsSync(db)) return 0;
  return readFileSync(db, 'utf8').split('\n').filter((l) => /^\d+,/.test(l)).length;
}

/** Polls `ok` every 200 ms for up to 60 s; false when it never held or `gone` became true. */
async function until(ok: () => boolean | Promise<boolean>, gone: () => boolean): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    if (gone()) return false;
    if (await ok()) return true;
    await sleep(200);
  }
  return false;
}
