import { EngineBusyError, EngineHost, PortTakenError } from '../core/engine/host';
import { engineDir, modelsDir, runtimeDir } from '../core/engine/paths';
import { SourceError, parseSource } from '../core/engine/source';
import { DEFAULT_CTX, type EngineSpec } from '../core/engine/spec';
import { intOption, parse, UsageError } from './args';
import { statusPrinter } from './engine-progress';

export const SERVE_HELP = `Usage: mapcoder-lite serve --model M [--lora NAME=A ...] [--port N] [--ctx N] [--parallel N] [--threads N]
Serves a GGUF model and its LoRA adapters as an OpenAI-compatible endpoint on 127.0.0.1, in this
process (node-llama-cpp, CPU): chat completions streamed or not with usage, llama.cpp's grammar field,
one model per adapter in /v1/models (the adapter chosen by the model name, or by llama.cpp's lora
field), /props and /health as llama-server has them. Every route but /health wants the bearer token
printed at start. Use it with: solve --backend llamacpp --endpoint URL (token in MAPCODER_API_KEY),
or let solve --local start and stop one for you.

M and each A: a GGUF file, an https:// URL (#sha256=HEX checks it), hf:owner/repo:QUANT or
hf:owner/repo/file.gguf (the Hugging Face hub; HF_ENDPOINT and HF_TOKEN are honoured). Downloads go to
MAPCODER_MODELS_DIR (default ~/.cache/mapcoder-lite/models), resume after an interruption and are
checked for size and sha256. node-llama-cpp itself is installed on first use into
~/.cache/mapcoder-lite/engine-runtime (MAPCODER_ENGINE_RUNTIME), the CPU build for this platform only.

Options:
  --model M            the base model
  --lora NAME=A        an adapter, served as model NAME (repeatable; the agents' names for solve)
  --port N             the port (default: a free one, printed)
  --ctx N              tokens per request, prompt and reply together (default ${DEFAULT_CTX})
  --parallel N         requests served at once per adapter (default 1)
  --threads N          CPU threads (default: node-llama-cpp's choice)
  --llama-server PATH  run this llama-server with the computed flags instead of the built-in engine
  --shared             end when the last client's lease closes or after --idle-minutes without a
                       request (how solve --local and the editor start it)
  --idle-minutes N     with --shared (default 15; 0.5 is 30 s)`;

const NAME = /^[a-z][a-z0-9_-]*$/;

/** --lora NAME=A pairs; `names` limits the names (the agents') where given. */
export function loraOption(values: string[] | undefined, names?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(pair);
    const name = m?.[1];
    if (!m || !name || !NAME.test(name) || (names && !names.includes(name))) {
      throw new UsageError(`--lora takes NAME=FILE${names ? ` with NAME one of ${names.join(', ')}` : ''} (got "${pair}")`);
    }
    if (out[name]) throw new UsageError(`--lora ${name} is given twice`);
    out[name] = sourceOption(m[2], `--lora ${name}`);
  }
  return out;
}

/** A model source as given, checked for its form (a bad hf: or URL is a usage error). */
export function sourceOption(value: string, flag: string): string {
  try {
    parseSource(value);
  } catch (e) {
    if (e instanceof SourceError) throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
  return value;
}

/** --idle-minutes: a positive number (a fraction is seconds: 0.5 is 30 s). */
function minutesOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 7 * 24 * 60) throw new UsageError(`--idle-minutes must be a number of minutes above 0 (got "${value}")`);
  return n;
}

export async function serveCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values } = parse(argv, {
    model: { type: 'string' }, lora: { type: 'string', multiple: true }, port: { type: 'string' }, ctx: { type: 'string' },
    parallel: { type: 'string' }, threads: { type: 'string' }, 'llama-server': { type: 'string' }, shared: { type: 'boolean' },
    'idle-minutes': { type: 'string' },
  });
  if (values.help) return out.write(`${SERVE_HELP}\n`), 0;
  if (!values.model) throw new UsageError('serve needs --model M (a GGUF file, an https:// URL or hf:owner/repo:QUANT)', true);
  const spec: EngineSpec = {
    model: sourceOption(values.model, '--model'),
    adapters: loraOption(values.lora),
    ctx: intOption(values.ctx, 'ctx', 256) ?? DEFAULT_CTX,
    parallel: intOption(values.parallel, 'parallel', 1, 64) ?? 1,
    threads: intOption(values.threads, 'threads', 0, 1024) ?? 0,
    ...(values['llama-server'] ? { llamaServer: values['llama-server'] } : {}),
  };
  const shared = values.shared === true;
  const stamp = () => (shared ? `${new Date().toISOString()} ` : '');
  const host = new EngineHost({
    spec, port: intOption(values.port, 'port', 1, 65535), dir: engineDir(), modelsDir: modelsDir(), runtimeDir: runtimeDir(),
    shared, idleMinutes: minutesOption(values['idle-minutes']) ?? 15,
    log: (line) => err.write(`${stamp()}${line}\n`),
  });
  let port: number;
  try {
    ({ port } = await host.start());
  } catch (e) {
    if (e instanceof PortTakenError) {
      err.write(`mapcoder-lite serve: ${e.message}\n`);
      return 2;
    }
    if (e instanceof EngineBusyError) {
      err.write(`mapcoder-lite serve: ${e.message}; stop it first (mapcoder-lite engine stop) or use it\n`);
      return 75;
    }
    throw e;
  }
  const base = `http://127.0.0.1:${port}/v1`;
  out.write(`${base}\ntoken: ${host.token}\n`);
  const stopOnSignal = () => void host.stop('interrupted');
  signal.addEventListener('abort', stopOnSignal, { once: true });
  const printer = statusPrinter(err);
  if (!shared) {
    // A foreground server shows its progress until it is ready (the log says the rest).
    const poll = setInterval(() => {
      const s = host.current;
      printer.print(s);
      if (s.state === 'ready' || s.state === 'failed' || s.state === 'stopped') clearInterval(poll);
      if (s.state === 'failed') void host.stop(s.why);
    }, 200);
    void host.done.then(() => clearInterval(poll));
  }
  await host.done;
  printer.done();
  signal.removeEventListener('abort', stopOnSignal);
  const s = host.current;
  return s.state === 'failed' ? 1 : 0;
}
