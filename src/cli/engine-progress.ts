import { formatBytes } from '../core/engine/gguf';
import { percentOf, type EngineStatus } from '../core/engine/status';

// The engine's status as the CLI says it: one line that updates in place on a terminal (downloads,
// loading), one line per change elsewhere (a log, CI), downloads there at every tenth.

export function statusText(s: EngineStatus): string {
  switch (s.state) {
    case 'starting': return 'engine: starting';
    case 'installing': return `engine: installing its runtime (node-llama-cpp)${s.bytes ? ` ${formatBytes(s.bytes)} of about ${formatBytes(s.expected)}` : ''}`;
    case 'downloading': {
      const pct = percentOf(s.received, s.total);
      return `engine: downloading ${s.file} ${pct === undefined ? formatBytes(s.received) : `${pct} % (${formatBytes(s.received)} of ${formatBytes(s.total!)})`}`;
    }
    case 'loading': return `engine: ${s.detail}`;
    case 'ready': {
      const r = s.ready;
      const adapters = Object.keys(r.adapters);
      const mem = r.memoryBytes ? `, ${formatBytes(r.memoryBytes)} resident` : '';
      return `engine: ready at ${r.baseUrl}: ${r.model}${adapters.length ? ` with adapters ${adapters.join(', ')}` : ''} (${r.parallel} x ${r.ctx} tokens${mem})`;
    }
    case 'failed': return `engine: failed: ${s.why}`;
    case 'stopped': return `engine: stopped (${s.why})`;
  }
}

/** A printer for status events on `err`; call `done()` to end an updating line. */
export function statusPrinter(err: NodeJS.WritableStream): { print: (s: EngineStatus) => void; done: () => void } {
  const tty = (err as NodeJS.WriteStream).isTTY === true;
  let open = false;
  let lastKey = '';
  const said = new Set<string>();
  const print = (s: EngineStatus) => {
    const text = statusText(s);
    const transient = s.state === 'downloading' || s.state === 'installing' || s.state === 'loading';
    if (tty && transient) {
      err.write(`\r\x1b[2K${text}`);
      open = true;
      return;
    }
    // Elsewhere: each new file or tenth once; the ready line once per change in what it says.
    const key = s.state === 'downloading' ? `${s.file} ${Math.floor((percentOf(s.received, s.total) ?? 0) / 10)}`
      : s.state === 'installing' ? `install ${Math.floor((s.bytes / Math.max(1, s.expected)) * 10)}`
      : s.state === 'loading' ? `loading ${s.detail.replace(/ \d+ %$/, '')}`
      : s.state === 'ready' ? `ready ${s.ready.baseUrl}` : text;
    if (key === lastKey) return;
    lastKey = key;
    if (open) err.write('\n');
    open = false;
    err.write(`${text}\n`);
    if (s.state === 'ready') {
      for (const n of s.ready.notices) if (!said.has(n)) (said.add(n), err.write(`note: ${n}\n`));
    }
  };
  return {
    print,
    done: () => {
      if (open) err.write('\n');
      open = false;
    },
  };
}
