import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lockIsLive, LOG_FILE, readLock, type EngineLock } from './lock';
import { engineDir } from './paths';
import { isAlive } from './pid';
import { describeSpec, specKey, type EngineSpec } from './spec';
import type { EngineReady, EngineStatus } from './status';

// The client side of the local engine, without the editor: ensure() shares the machine's engine when it
// serves the same spec, or starts one (a detached `mapcoder-lite serve --shared`, so it outlives the
// window or command that started it while others use it) and waits until it is ready; status events
// say what it does meanwhile. The client holds a lease (an open event stream) until release(); the
// engine ends when the last lease goes or after its idle minutes, and stop() ends it for everyone.

export interface LifecycleOptions {
  /** The CLI script whose `serve` command runs the engine (dist/cli.js). */
  cliPath: string;
  /** The Node that runs it (default this process's). The editor: its own runtime, with ELECTRON_RUN_AS_NODE=1 in env. */
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Lock and log folder (default paths.engineDir(env)). */
  dir?: string;
  /** Where the runtime is installed and the models cached (default paths.runtimeDir(), modelsDir()); the editor: its global storage. */
  runtimeDir?: string;
  modelsDir?: string;
  idleMinutes?: number;
  /** The engine's log, line by line, while this client uses it (the editor's output channel). */
  onLog?: (line: string) => void;
}

export interface EngineConnection {
  baseUrl: string;
  token: string;
  ready: EngineReady;
  /** Whether this client started the engine (else it shares one). */
  started: boolean;
}

/** A running engine serves another spec: share it with the same one, or start() to replace it. */
export class EngineMismatchError extends Error {
  override name = 'EngineMismatchError';
  constructor(readonly holder: EngineLock, want: EngineSpec) {
    super(`the local engine (pid ${holder.pid}) serves something else than ${describeSpec(want)}; it is shared by every window and command: ` +
      'use the same model and adapters, or stop it first (mapcoder-lite engine stop)');
  }
}

export class EngineFailedError extends Error {
  override name = 'EngineFailedError';
}

/**
 * The engine process's environment besides the caller's: glibc's allocator with at most two arenas
 * (node-llama-cpp decodes on libuv's worker threads, and an arena per thread kept ~160 MB of freed
 * memory resident after a k = 3 solve on the tests' model).
 */
export const ENGINE_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

/** How long a host has to bind and take the lock after it is spawned (loading comes after). */
const SPAWN_MS = 30_000;
const GONE_MS = 10_000;
const LOG_KEEP = 4 * 1024 * 1024;

export class LocalEngine {
  private readonly dir: string;
  private readonly listeners = new Set<(s: EngineStatus) => void>();
  private last?: EngineStatus;
  private lease?: AbortController;
  private lock?: EngineLock;
  private child?: ChildProcess;
  private logTimer?: NodeJS.Timeout;
  private releasing = false;
  /** Why the engine went away without being asked, once its stream has ended. */
  private lost?: Promise<string>;

  constructor(private readonly opts: LifecycleOptions) {
    this.dir = opts.dir ?? engineDir(opts.env);
  }

  onStatus(listener: (s: EngineStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get status(): EngineStatus | undefined {
    return this.last;
  }

  get logFile(): string {
    return join(this.dir, LOG_FILE);
  }

  /** The engine of this machine for `spec`, shared or started, once it is ready. */
  async ensure(spec: EngineSpec, signal?: AbortSignal): Promise<EngineConnection> {
    for (let attempt = 0; ; attempt++) {
      let lock = await liveLock(this.dir);
      let started = false;
      if (!lock) {
        lock = await this.spawnHost(spec, signal);
        started = lock.pid === this.child?.pid;
      }
      if (lock.spec !== specKey(spec)) throw new EngineMismatchError(lock, spec);
      try {
        return await this.attach(lock, started, signal);
      } catch (e) {
        // The engine went away between the lock and the lease (its last user left): once more.
        if (!(e instanceof HostGone) || attempt >= 2) throw e instanceof HostGone ? new EngineFailedError(e.message) : e;
      }
    }
  }

  /** Like ensure, but an engine serving another spec is stopped first. */
  async start(spec: EngineSpec, signal?: AbortSignal): Promise<EngineConnection> {
    const lock = await liveLock(this.dir);
    if (lock && lock.spec !== specKey(spec)) await stopHost(lock);
    return this.ensure(spec, signal);
  }

  /** Drops this client's lease; when it was the last, waits (briefly) for the engine to end. */
  async release(): Promise<void> {
    const lock = this.lock;
    const last = this.last?.state === 'ready' ? this.last.users <= 1 : true;
    this.releasing = true;
    this.lease?.abort();
    this.lease = undefined;
    this.stopLogTail();
    if (lock && last) await waitGone(lock.pid, GONE_MS);
    this.lock = undefined;
  }

  /** Stops the machine's engine for every client. */
  async stop(): Promise<void> {
    const lock = this.lock ?? (await liveLock(this.dir));
    this.releasing = true;
    this.lease?.abort();
    this.stopLogTail();
    if (lock) await stopHost(lock);
    this.lock = undefined;
  }

  /** The engine log's last lines (for a failure message). */
  logTail(lines = 5): string[] {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines);
    } catch {
      return [];
    }
  }

  private emit(s: EngineStatus): void {
    this.last = s;
    for (const l of this.listeners) l(s);
  }

  /** Starts `serve --shared` detached, its output appended to the log; the lock its host (or a faster one) took. */
  private async spawnHost(spec: EngineSpec, signal?: AbortSignal): Promise<EngineLock> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    rotate(this.logFile);
    const log = openSync(this.logFile, 'a', 0o600);
    const args = [this.opts.cliPath, 'serve', '--shared', '--model', spec.model, '--ctx', String(spec.ctx), '--parallel', String(spec.parallel),
      '--threads', String(spec.threads), '--idle-minutes', String(this.opts.idleMinutes ?? 15)];
    for (const [name, file] of Object.entries(spec.adapters)) args.push('--lora', `${name}=${file}`);
    if (spec.llamaServer) args.push('--llama-server', spec.llamaServer);
    this.emit({ state: 'starting' });
    const env: NodeJS.ProcessEnv = { ...ENGINE_ENV, ...(this.opts.env ?? process.env), MAPCODER_ENGINE_DIR: this.dir };
    if (this.opts.runtimeDir) env.MAPCODER_ENGINE_RUNTIME = this.opts.runtimeDir;
    if (this.opts.modelsDir) env.MAPCODER_MODELS_DIR = this.opts.modelsDir;
    const child = spawn(this.opts.nodePath ?? process.execPath, args, { detached: true, stdio: ['ignore', log, log], env, windowsHide: true });
    closeSync(log);
    child.unref();
    this.child = child;
    let exit: number | null | undefined;
    child.once('exit', (code, sig) => (exit = code ?? (sig ? 128 : 1)));
    const deadline = Date.now() + SPAWN_MS;
    for (;;) {
      if (signal?.aborted) {
        child.kill('SIGTERM');
        throw signal.reason;
      }
      const lock = await readLock(this.dir);
      if (lock && lock.pid === child.pid) return lock;
      if (exit !== undefined) {
        // 75: another host won the lock at the same moment: share that one.
        const other = exit === 75 ? await liveLock(this.dir) : undefined;
        if (other) return other;
        throw new EngineFailedError(`the engine did not start (exit ${exit}): ${this.logTail(3).join(' | ') || 'no output'} (log: ${this.logFile})`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new EngineFailedError(`the engine did not start within ${SPAWN_MS / 1000} s (log: ${this.logFile})`);
      }
      await delay(100);
    }
  }

  /** Opens the lease (the status stream) and waits for ready; the stream stays open until release. */
  private async attach(lock: EngineLock, started: boolean, signal?: AbortSignal): Promise<EngineConnection> {
    const lease = new AbortController();
    const onAbort = () => lease.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let res: Response;
    try {
      res = await fetch(`http://127.0.0.1:${lock.port}/engine/events`, { headers: { authorization: `Bearer ${lock.token}` }, signal: lease.signal });
    } catch (e) {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) throw signal.reason;
      throw new HostGone(`the engine (pid ${lock.pid}) does not answer on port ${lock.port}`);
    }
    if (!res.ok || !res.body) {
      signal?.removeEventListener('abort', onAbort);
      throw new HostGone(`the engine (pid ${lock.pid}) refused the lease (${res.status})`);
    }
    this.lease = lease;
    this.lock = lock;
    this.releasing = false;
    this.startLogTail();
    try {
      const ready = await new Promise<EngineReady>((resolve, reject) => {
        void this.read(res.body!, lock, (s) => {
          if (s.state === 'ready') resolve(s.ready);
          if (s.state === 'failed') reject(new EngineFailedError(s.why));
          if (s.state === 'stopped') reject(new HostGone(`the engine stopped (${s.why})`));
        }).then(async () => {
          if (signal?.aborted) return reject(signal.reason);
          // Gone without a word while starting: a crash (a bad file past the checks, no memory), which a retry would repeat.
          reject(new EngineFailedError(await (this.lost ?? this.deathReason(lock))));
        });
      });
      return { baseUrl: ready.baseUrl, token: lock.token, ready, started };
    } catch (e) {
      lease.abort();
      this.lease = undefined;
      this.stopLogTail();
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Reads status events until the stream ends; an end nobody asked for is the engine's death. */
  private async read(body: ReadableStream<Uint8Array>, lock: EngineLock, each: (s: EngineStatus) => void): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let final: Extract<EngineStatus, { state: 'failed' | 'stopped' }> | undefined;
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (!data) continue;
          const s = JSON.parse(data) as EngineStatus;
          if (s.state === 'failed' || s.state === 'stopped') final = s;
          this.emit(s);
          each(s);
        }
      }
    } catch {
      // the stream broke: handled below
    }
    if (this.releasing || this.lease === undefined) return;
    this.lease = undefined;
    this.stopLogTail();
    if (final) {
      this.lost = Promise.resolve(final.why);
      return;
    }
    this.lost = this.deathReason(lock);
    this.emit({ state: 'failed', why: await this.lost });
  }

  /**
   * Why the engine this client uses went away, if it did (a crash, a kill, its idle stop); undefined
   * while it runs. A caller whose requests just failed asks this to say what happened.
   */
  async lostReason(): Promise<string | undefined> {
    const lock = this.lock;
    if (this.lost || !lock) return this.lost;
    // The requests may notice before the event stream does: ask the engine itself.
    const answers = await fetch(`http://127.0.0.1:${lock.port}/health`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
    if (answers) return undefined;
    const deadline = Date.now() + 3000;
    while (!this.lost && Date.now() < deadline) await delay(50);
    return this.lost ?? this.deathReason(lock);
  }

  /** Why the engine's process ended without saying so: its exit (if this client started it) or its log. */
  private async deathReason(lock: EngineLock): Promise<string> {
    const child = this.child?.pid === lock.pid ? this.child : undefined;
    if (child) {
      await Promise.race([new Promise((r) => child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)), delay(2000)]);
    }
    const how = child?.signalCode ? `killed by ${child.signalCode}` : child?.exitCode != null ? `exit ${child.exitCode}` : isAlive(lock.pid) ? 'its stream closed' : 'its process is gone';
    return `the local engine (pid ${lock.pid}) ended unexpectedly (${how}; its log: ${this.logFile}); the next solve starts a new one`;
  }

  /** Follows the log file while attached, for onLog. */
  private startLogTail(): void {
    const onLog = this.opts.onLog;
    if (!onLog) return;
    let at = fileSize(this.logFile);
    let partial = '';
    this.logTimer = setInterval(() => {
      const size = fileSize(this.logFile);
      if (size < at) at = 0;
      if (size === at) return;
      const fd = openSync(this.logFile, 'r');
      try {
        const buf = Buffer.alloc(size - at);
        readSync(fd, buf, 0, buf.length, at);
        at = size;
        const lines = (partial + buf.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) onLog(line);
      } finally {
        closeSync(fd);
      }
    }, 500);
    this.logTimer.unref();
  }

  private stopLogTail(): void {
    if (this.logTimer) clearInterval(this.logTimer);
    this.logTimer = undefined;
  }
}

class HostGone extends Error {
  override name = 'HostGone';
}

/** The lock of a running engine, if one runs. */
export async function liveLock(dir: string): Promise<EngineLock | undefined> {
  const lock = await readLock(dir);
  return lock && (await lockIsLive(lock)) ? lock : undefined;
}

/** Asks the engine to stop and waits for its process to end (killed if it will not). */
export async function stopHost(lock: EngineLock): Promise<void> {
  await fetch(`http://127.0.0.1:${lock.port}/engine/stop`, { method: 'POST', headers: { authorization: `Bearer ${lock.token}` }, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  if (!(await waitGone(lock.pid, GONE_MS))) {
    try {
      process.kill(lock.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    await waitGone(lock.pid, 2000);
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await delay(50);
  }
  return true;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Keeps the log from growing without end: past LOG_KEEP it becomes engine.log.1. */
function rotate(path: string): void {
  if (fileSize(path) > LOG_KEEP) {
    try {
      renameSync(path, `${path}.1`);
    } catch {
      // another client rotated it
    }
  }
}
