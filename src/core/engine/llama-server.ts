import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { accessSync, constants, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

// The user's own llama-server, run by the engine host instead of the product's engine: flags computed
// for k plans in parallel (-c = slots x tokens per slot, -np, every adapter in one --lora, none applied
// until a request names it), a free loopback port, the host's token as its API key (from a file: a
// command line is visible to every user), readiness on /health, its log into the host's.

export interface ManagedOptions {
  binary: string;
  model: string;
  /** Adapter files in the order the endpoint will number them. */
  adapters: string[];
  ctx: number;
  parallel: number;
  threads: number;
  port: number;
  /** A file holding the API key (mode 0600). */
  apiKeyFile: string;
}

/** llama-server's command line for `o`. */
export function llamaServerArgs(o: ManagedOptions): string[] {
  const args = ['-m', o.model, '--host', '127.0.0.1', '--port', String(o.port), '-c', String(o.ctx * o.parallel), '-np', String(o.parallel),
    '--api-key-file', o.apiKeyFile, '--metrics', '--no-webui'];
  if (o.threads > 0) args.push('-t', String(o.threads), '-tb', String(o.threads));
  if (o.adapters.length) args.push('--lora', o.adapters.join(','), '--lora-init-without-apply');
  return args;
}

/** `llama-server` on PATH, if there is one (the editor offers it when no path is set). */
export function llamaServerOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === 'win32' ? ['llama-server.exe'] : ['llama-server'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ManagedServer {
  child: ChildProcess;
  origin: string;
  stop(): Promise<void>;
}

/** Starts llama-server and waits until /health says it is ready; its output goes to `log`. */
export async function startLlamaServer(o: Omit<ManagedOptions, 'port'>, token: string, log: (line: string) => void, signal: AbortSignal): Promise<ManagedServer> {
  await writeFile(o.apiKeyFile, token, { mode: 0o600 });
  const port = await freePort();
  const args = llamaServerArgs({ ...o, port });
  log(`starting ${o.binary} ${args.join(' ')}`);
  const child = spawn(o.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail: string[] = [];
  const onData = (d: Buffer) => {
    for (const line of d.toString('utf8').split('\n').filter(Boolean)) {
      log(`[llama-server] ${line}`);
      tail = [...tail, line].slice(-8);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`cannot run ${o.binary} (${(e as NodeJS.ErrnoException).code ?? e.message})`));
    child.once('exit', (code, sig) => resolve(`llama-server exited (${sig ?? code}) while loading: ${tail.slice(-3).join(' | ') || 'no output'}`));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), delay(5000, false)]);
    if (!gone) child.kill('SIGKILL');
  };
  const origin = `http://127.0.0.1:${port}`;
  let failure: string | undefined;
  void exited.then((why) => (failure = why));
  while (!failure) {
    if (signal.aborted) {
      await stop();
      throw signal.reason;
    }
    const ok = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return { child, origin, stop };
    await delay(250);
  }
  throw new Error(failure);
}

/** Resident memory of a process, from /proc (Linux); undefined elsewhere. */
export function residentBytes(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * From llama-server's Prometheus /metrics: tokens it has worked on so far (grows with every request)
 * and whether a request is in progress now; undefined when it does not answer.
 */
export async function serverActivity(origin: string, token: string): Promise<{ work: number; busy: boolean } | undefined> {
  const text = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) })
    .then((r) => (r.ok ? r.text() : ''), () => '');
  const metric = (name: string) => Number(new RegExp(`^llamacpp:${name}\\s+([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN);
  const work = metric('prompt_tokens_total') + metric('tokens_predicted_total');
  return Number.isFinite(work) ? { work, busy: metric('requests_processing') > 0 || metric('requests_deferred') > 0 } : undefined;
}
