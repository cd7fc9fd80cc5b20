import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { DownloadError } from './download';
import { adapterProblem, GgufError, metaString, modelProblem, readGguf, type GgufInfo } from './gguf';
import { residentBytes, serverActivity, startLlamaServer, type ManagedServer } from './llama-server';
import { dropLock, takeLock, type EngineLock } from './lock';
import { availableMemory, planMemory } from './memory';
import { locate } from './models';
import { installRuntime, isInstalled, loadRuntime, RuntimeError } from './runtime';
import { authorized, sendError, sendJson } from './serve/http-util';
import { LlamaEngine } from './serve/llama';
import { openaiRoute, type ServedModels } from './serve/openai';
import { describeSource, parseSource, SourceError } from './source';
import { engineKind, specKey, type EngineSpec } from './spec';
import type { EngineReady, EngineStatus } from './status';

// The engine's host process (`mapcoder-lite serve`): it binds a loopback port, takes the machine's
// engine lock, fetches the runtime and the files the spec names, checks them, and then serves the
// model itself (node-llama-cpp) or runs the user's llama-server. Every client holds a lease: an open
// GET /engine/events stream of its status. A shared host ends when the last lease closes, when no
// request came for idleMinutes, or on POST /engine/stop; a native crash ends this process and
// nothing else.

export interface HostOptions {
  spec: EngineSpec;
  /** 0 or absent: a free port. */
  port?: number;
  /** Lock and log folder (paths.engineDir()). */
  dir: string;
  modelsDir: string;
  runtimeDir: string;
  /** Started for clients: ends with its last lease, or when idle. A foreground `serve` is not. */
  shared: boolean;
  idleMinutes: number;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** The port asked for is in use. */
export class PortTakenError extends Error {
  override name = 'PortTakenError';
}

/** Another engine holds the lock: the caller shares it instead. */
export class EngineBusyError extends Error {
  override name = 'EngineBusyError';
  constructor(readonly holder: EngineLock) {
    super(`the engine of this machine already runs (pid ${holder.pid}, port ${holder.port})`);
  }
}

/** A failure said in one line to the user: a bad file, a failed download, a missing runtime. */
function isUserFacing(e: unknown): boolean {
  return e instanceof SourceError || e instanceof GgufError || e instanceof DownloadError || e instanceof RuntimeError;
}

/** With no lease yet, a shared host waits this long for its first client (the one that started it). */
const FIRST_LEASE_MS = 60_000;
const IDLE_CHECK_MS = 10_000;

function minutesText(m: number): string {
  return m < 1 ? `${Math.round(m * 60)} s` : `${m} minute${m === 1 ? '' : 's'}`;
}

export class EngineHost {
  readonly token = randomBytes(24).toString('hex');
  private server?: Server;
  private port = 0;
  private status: EngineStatus = { state: 'starting' };
  private readonly leases = new Set<ServerResponse>();
  private hadLease = false;
  private preparing = false;
  /** The last status sent, as sent (a repeat is not sent again). */
  private sent = '';
  private inFlight = 0;
  private lastActivity = Date.now();
  private engine?: LlamaEngine;
  private served?: ServedModels;
  private managed?: ManagedServer;
  private readonly abort = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private lock?: EngineLock;
  private ended?: Promise<void>;
  private resolveDone!: () => void;
  /** Resolves when the host has stopped (the process may exit). */
  readonly done = new Promise<void>((r) => (this.resolveDone = r));

  constructor(private readonly opts: HostOptions) {}

  /** Binds, takes the lock, and prepares in the background; throws EngineBusyError or a port error. */
  async start(): Promise<{ port: number }> {
    const server = createServer((req, res) => void this.handle(req, res));
    // Generation can take minutes; Node's default request time-out (5 min) would cut it.
    server.requestTimeout = 0;
    server.headersTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new PortTakenError(`port ${this.opts.port} on 127.0.0.1 is taken; choose another with --port, or leave it out for a free one`) : e));
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    this.lock = { pid: process.pid, port: this.port, token: this.token, kind: engineKind(this.opts.spec), spec: specKey(this.opts.spec), startedAt: Date.now() };
    const taken = await takeLock(this.opts.dir, this.lock).catch((e: unknown) => {
      server.close();
      throw e;
    });
    if (!taken.taken) {
      this.lock = undefined;
      server.close();
      throw new EngineBusyError(taken.holder);
    }
    // A shared host starts its work when its first client is there to see the progress.
    if (this.opts.shared) this.watchUse();
    else this.startPreparing();
    return { port: this.port };
  }

  /** llama-server's copy of the token (0600, removed when it stops). */
  private get keyFile(): string {
    return join(this.opts.dir, 'llama-server.key');
  }

  get current(): EngineStatus {
    return this.status;
  }

  /** Stops serving: leases told why, model unloaded or llama-server stopped, lock dropped. */
  stop(why: string): Promise<void> {
    this.ended ??= (async () => {
      this.abort.abort(new Error(why));
      for (const t of this.timers) clearInterval(t);
      if (this.status.state !== 'failed') this.setStatus({ state: 'stopped', why });
      for (const l of this.leases) l.end();
      this.leases.clear();
      await this.managed?.stop();
      if (this.managed) await rm(this.keyFile, { force: true });
      await this.engine?.dispose();
      if (this.lock) await dropLock(this.opts.dir, this.lock);
      this.server?.closeAllConnections();
      await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
      this.resolveDone();
    })();
    return this.ended;
  }

  private setStatus(s: EngineStatus): void {
    const line = `data: ${JSON.stringify(s)}\n\n`;
    if (line === this.sent) return;
    this.sent = line;
    this.status = s;
    for (const l of this.leases) l.write(line);
  }

  private startPreparing(): void {
    if (this.preparing) return;
    this.preparing = true;
    void this.prepare();
  }

  private async prepare(): Promise<void> {
    const { spec } = this.opts;
    const signal = this.abort.signal;
    try {
      const kind = engineKind(spec);
      if (kind === 'node' && !isInstalled(this.opts.runtimeDir)) {
        this.opts.log(`installing the engine runtime into ${this.opts.runtimeDir} ...`);
        this.setStatus({ state: 'installing', bytes: 0, expected: 1 });
        await installRuntime(this.opts.runtimeDir, { signal, env: this.opts.env, onProgress: (p) => this.setStatus({ state: 'installing', ...p }) });
      }
      const files = await this.fetchFiles(signal);
      const { model, adapters, notices } = await this.check(files);
      const ready = kind === 'node' ? await this.loadNode(model, adapters, notices) : await this.runLlamaServer(model, adapters, notices);
      this.opts.log(`ready: ${ready.baseUrl} (${ready.model}${Object.keys(ready.adapters).length ? `, adapters ${Object.keys(ready.adapters).join(', ')}` : ''})`);
      this.lastActivity = Date.now();
      this.setStatus({ state: 'ready', ready, users: this.leases.size });
    } catch (e) {
      if (signal.aborted) return;
      const why = isUserFacing(e) ? (e as Error).message : `the engine failed: ${e instanceof Error ? e.message : String(e)}`;
      this.opts.log(`failed: ${why}`);
      this.setStatus({ state: 'failed', why });
      if (this.opts.shared) void this.stop(why);
    }
  }

  /** Local paths of the model and each adapter, downloading what is missing. */
  private async fetchFiles(signal: AbortSignal): Promise<{ model: string; adapters: [string, string][] }> {
    const { spec } = this.opts;
    const onProgress = (p: { label: string; received: number; total?: number }) => this.setStatus({ state: 'downloading', file: p.label, received: p.received, total: p.total });
    const get = (s: string) => locate(parseSource(s), { dir: this.opts.modelsDir, env: this.opts.env, signal, onProgress });
    const model = await get(spec.model);
    const adapters: [string, string][] = [];
    for (const name of Object.keys(spec.adapters)) adapters.push([name, await get(spec.adapters[name])]);
    return { model, adapters };
  }

  /** Every file is the GGUF it should be, each adapter fits the model, and the model fits in memory. */
  private async check(files: { model: string; adapters: [string, string][] }): Promise<{ model: GgufInfo; adapters: [string, string][]; notices: string[] }> {
    const { spec } = this.opts;
    this.setStatus({ state: 'loading', detail: 'checking the files' });
    const label = (s: string) => describeSource(parseSource(s));
    const model = await readGguf(files.model, label(spec.model));
    const bad = modelProblem(model, label(spec.model));
    if (bad) throw new GgufError(bad);
    for (const [name, path] of files.adapters) {
      const problem = adapterProblem(model, await readGguf(path, label(spec.adapters[name])), `the ${name} adapter ${label(spec.adapters[name])}`);
      if (problem) throw new GgufError(problem);
    }
    const notices: string[] = [];
    if (files.adapters.length === 0) notices.push('No adapters: one plain model serves all four agents (MapCoder without adapters, the paper\'s baseline).');
    return { model, adapters: files.adapters, notices };
  }

  private async loadNode(model: GgufInfo, adapters: [string, string][], notices: string[]): Promise<EngineReady> {
    const { spec } = this.opts;
    const wanted = Math.max(1, adapters.length);
    const plan = planMemory(model, spec.ctx, spec.parallel, wanted, availableMemory(this.opts.env));
    if (typeof plan === 'string') throw new GgufError(`${basename(model.path)}: ${plan}`);
    if (plan.contexts < wanted) notices.push(`Memory holds ${plan.contexts} of the ${wanted} adapters' contexts at once: the least recently used one is unloaded when another is needed.`);
    const runtime = await loadRuntime(this.opts.runtimeDir);
    this.setStatus({ state: 'loading', detail: `loading ${basename(model.path)}` });
    const chatTemplate = metaString(model, 'tokenizer.chat_template');
    this.engine = await LlamaEngine.load(runtime, {
      modelPath: model.path, adapters: adapters.map(([, p]) => p), ctx: spec.ctx, parallel: spec.parallel, threads: spec.threads,
      maxContexts: plan.contexts, chatTemplate, log: this.opts.log,
    }, (f) => this.setStatus({ state: 'loading', detail: `loading ${basename(model.path)} ${Math.round(f * 100)} %` }), this.abort.signal);
    if (this.abort.signal.aborted) {
      await this.engine.dispose();
      throw this.abort.signal.reason;
    }
    const base = basename(model.path).replace(/\.gguf$/i, '');
    this.served = {
      base, modelPath: model.path, adapters: adapters.map(([name, path]) => ({ name, path })), ctx: spec.ctx, parallel: spec.parallel, chatTemplate,
      buildInfo: `mapcoder-lite engine on node-llama-cpp`,
    };
    return this.ready(`http://127.0.0.1:${this.port}/v1`, base, adapters, notices, process.pid);
  }

  private async runLlamaServer(model: GgufInfo, adapters: [string, string][], notices: string[]): Promise<EngineReady> {
    const { spec } = this.opts;
    this.setStatus({ state: 'loading', detail: `starting ${spec.llamaServer}` });
    this.managed = await startLlamaServer({
      binary: spec.llamaServer!, model: model.path, adapters: adapters.map(([, p]) => p), ctx: spec.ctx, parallel: spec.parallel, threads: spec.threads,
      apiKeyFile: this.keyFile,
    }, this.token, this.opts.log, this.abort.signal);
    const { child } = this.managed;
    child.once('exit', (code, sig) => {
      if (this.ended) return;
      const why = `llama-server exited (${sig ?? code}); the next solve starts a new engine`;
      this.opts.log(why);
      this.setStatus({ state: 'failed', why });
      void this.stop(why);
    });
    return this.ready(`${this.managed.origin}/v1`, basename(model.path), adapters, notices, child.pid!);
  }

  private ready(baseUrl: string, model: string, adapters: [string, string][], notices: string[], pid: number): EngineReady {
    const { spec } = this.opts;
    return {
      kind: engineKind(spec), baseUrl, model, adapters: Object.fromEntries(adapters), ctx: spec.ctx, parallel: spec.parallel,
      memoryBytes: this.memory(pid), notices, pid,
    };
  }

  private memory(pid: number): number | undefined {
    return pid === process.pid ? process.memoryUsage.rss() : residentBytes(pid);
  }

  /** Ends a shared host when nobody uses it: no first client, the last lease gone, or idle too long. */
  private watchUse(): void {
    const firstLease = setTimeout(() => {
      if (!this.hadLease) void this.stop('no client attached');
    }, FIRST_LEASE_MS);
    let work: number | undefined;
    const minutes = this.opts.idleMinutes;
    const idle = setInterval(() => void (async () => {
      if (this.managed) {
        const a = await serverActivity(this.managed.origin, this.token);
        if (a && (a.busy || a.work !== work)) this.lastActivity = Date.now();
        work = a?.work;
      }
      if (this.status.state === 'ready' && this.inFlight === 0 && Date.now() - this.lastActivity > minutes * 60_000) void this.stop(`idle for ${minutesText(minutes)}`);
    })(), Math.min(IDLE_CHECK_MS, minutes * 15_000));
    this.timers.push(firstLease, idle);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method === 'GET' && (path === '/health' || path === '/v1/health')) return this.health(res);
    if (!authorized(req, this.token)) return sendError(res, 401, 'Invalid API Key', 'authentication_error');
    if (path === '/engine/events' && req.method === 'GET') return this.lease(res);
    if (path === '/engine/status' && req.method === 'GET') return sendJson(res, 200, this.freshStatus());
    if (path === '/engine/stop' && req.method === 'POST') {
      sendJson(res, 200, { stopping: true });
      return void this.stop('stopped by a client');
    }
    if (this.status.state !== 'ready') return sendError(res, 503, this.status.state === 'failed' ? this.status.why : 'Loading model', 'unavailable_error');
    if (!this.engine || !this.served) return sendError(res, 404, `this is the engine's control port; the model is served at ${this.status.ready.baseUrl}`, 'not_found_error');
    this.inFlight++;
    try {
      if (!(await openaiRoute(this.engine, this.served, req, res, path, this.opts.log))) sendError(res, 404, `File Not Found`, 'not_found_error');
    } catch (e) {
      if (!res.headersSent) sendError(res, 500, e instanceof Error ? e.message : String(e), 'server_error');
      else res.destroy();
    } finally {
      this.inFlight--;
      this.lastActivity = Date.now();
    }
  }

  private health(res: ServerResponse): void {
    const s = this.status;
    if (s.state === 'ready') return sendJson(res, 200, { status: 'ok' });
    if (s.state === 'failed' || s.state === 'stopped') return sendError(res, 500, s.why, 'server_error');
    sendError(res, 503, 'Loading model', 'unavailable_error');
  }

  private freshStatus(): EngineStatus {
    const s = this.status;
    return s.state === 'ready' ? { ...s, ready: { ...s.ready, memoryBytes: this.memory(s.ready.pid) }, users: this.leases.size } : s;
  }

  private lease(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    this.leases.add(res);
    this.hadLease = true;
    this.usersChanged();
    this.startPreparing();
    res.on('close', () => {
      this.leases.delete(res);
      if (this.opts.shared && this.leases.size === 0 && !this.ended) void this.stop('the last client left');
      else this.usersChanged();
    });
  }

  /** Every client learns how many share the engine (the last to leave waits for it to end). */
  private usersChanged(): void {
    if (this.status.state === 'ready') this.setStatus(this.freshStatus());
    else for (const l of this.leases) l.write(this.sent || `data: ${JSON.stringify(this.status)}\n\n`);
  }
}
