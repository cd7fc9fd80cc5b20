import { spawn, type ChildProcess } from 'node:child_process';
import type { LlamaBuild } from './build';
import { freePort } from '../fixtures/net';

export interface RunningServer {
  /** The OpenAI-compatible base URL (…/v1). */
  baseUrl: string;
  origin: string;
  pid: number;
  log: () => string;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  model: 'raw' | 'clean';
  adapters: boolean;
  /** Another model and adapters than the build's tiny ones (the benchmark's larger model). */
  files?: { model: string; adapters: string[] };
  /** Total context (-c), split over the slots (-np). */
  ctx?: number;
  slots?: number;
}


const running = new Set<ChildProcess>();
// Whatever the layer started dies with it, however it ends.
for (const sig of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    for (const p of running) p.kill('SIGKILL');
    if (sig !== 'exit') process.exit(130);
  });
}

/** llama-server on 127.0.0.1 with a free port, one thread (OpenMP spin-waits starve a busy machine otherwise). */
export async function startServer(build: LlamaBuild, opts: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const args = ['-m', opts.files?.model ?? build.models[opts.model], '--host', '127.0.0.1', '--port', String(port), '-t', '1', '-tb', '1',
    '-c', String(opts.ctx ?? 8192), '-np', String(opts.slots ?? 2), '--no-webui'];
  const adapters = opts.files?.adapters ?? (opts.adapters ? Object.values(build.models.adapters) : []);
  if (adapters.length) args.push('--lora', adapters.join(','), '--lora-init-without-apply');
  const proc = spawn(build.server, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
    running.delete(proc);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`llama-server exited (${proc.exitCode}):\n${log.slice(-2000)}`);
    try {
      if ((await fetch(`${origin}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`llama-server did not become healthy in 60 s:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl: `${origin}/v1`, origin, pid: proc.pid!, log: () => log, stop };
}
