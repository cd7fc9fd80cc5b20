import { formatBytes } from '../core/engine/gguf';
import { liveLock, stopHost } from '../core/engine/lifecycle';
import { engineDir, runtimeDir } from '../core/engine/paths';
import { installedSize, installRuntime, isInstalled, RUNTIME_VERSION, versionDir } from '../core/engine/runtime';
import type { EngineStatus } from '../core/engine/status';
import { parse, UsageError } from './args';
import { statusText } from './engine-progress';

export const ENGINE_HELP = `Usage: mapcoder-lite engine install|status|stop
  install   install the engine's runtime (node-llama-cpp ${RUNTIME_VERSION}, this platform's CPU build only)
            into MAPCODER_ENGINE_RUNTIME (default ~/.cache/mapcoder-lite/engine-runtime); solve --local
            and serve do it on first use too
  status    what the engine this machine's windows and commands share is doing
  stop      stop that engine (every client's)`;

export async function engineCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (values.help) return out.write(`${ENGINE_HELP}\n`), 0;
  const action = positionals[0];
  if (action === 'install') {
    const root = runtimeDir();
    if (!isInstalled(root)) {
      const tty = (err as NodeJS.WriteStream).isTTY === true;
      await installRuntime(root, {
        signal,
        onProgress: (p) => tty && err.write(`\r\x1b[2Kinstalling node-llama-cpp ${RUNTIME_VERSION}: ${formatBytes(p.bytes)} of about ${formatBytes(p.expected)}`),
      });
      if (tty) err.write('\n');
    }
    out.write(`engine runtime: node-llama-cpp ${RUNTIME_VERSION} in ${versionDir(root)} (${(await installedSize(root)) ?? 'size unknown'})\n`);
    return 0;
  }
  if (action === 'status' || action === 'stop') {
    const lock = await liveLock(engineDir());
    if (!lock) return out.write('engine: not running\n'), 0;
    if (action === 'stop') {
      await stopHost(lock);
      out.write(`engine: stopped (pid ${lock.pid})\n`);
      return 0;
    }
    const res = await fetch(`http://127.0.0.1:${lock.port}/engine/status`, { headers: { authorization: `Bearer ${lock.token}` }, signal });
    const s = (await res.json()) as EngineStatus;
    out.write(`${statusText(s)}${s.state === 'ready' ? `; ${s.users} client${s.users === 1 ? '' : 's'}` : ''} (pid ${lock.pid})\n`);
    return 0;
  }
  throw new UsageError(action ? `unknown engine action "${action}"; use install, status or stop` : 'engine needs an action: install, status or stop', true);
}
