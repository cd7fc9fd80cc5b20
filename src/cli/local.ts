import { localEndpoint } from '../core/engine/endpoint';
import { EngineFailedError, EngineMismatchError, LocalEngine } from '../core/engine/lifecycle';
import { agentAdaptersProblem, sizingFor, type EngineSpec } from '../core/engine/spec';
import type { EndpointConfig } from '../core/llm';
import { AGENTS } from '../core/types';
import { intOption, UsageError } from './args';
import { statusPrinter } from './engine-progress';
import { loraOption, sourceOption } from './serve';

// solve --local: the machine's local engine (started, or shared when one serves the same files), the
// solve through it as through any llama.cpp endpoint, and the lease dropped at the end (the engine
// ends with its last user, so nothing of it outlives the command).

export const LOCAL_OPTIONS = {
  local: { type: 'string' },
  lora: { type: 'string', multiple: true },
  ctx: { type: 'string' },
  parallel: { type: 'string' },
  threads: { type: 'string' },
  'llama-server': { type: 'string' },
} as const;

export const LOCAL_HELP = `Local engine (no server needed; see "mapcoder-lite serve --help"):
  --local M               start (or share) the local engine with model M: a GGUF file, an https://
                          URL, hf:owner/repo:QUANT or hf:owner/repo/file.gguf (downloaded once into
                          MAPCODER_MODELS_DIR, default ~/.cache/mapcoder-lite/models)
  --lora AGENT=A          the agent's adapter (all four, or none: one plain model for every agent)
  --ctx N, --parallel N   tokens per request and requests at once (default: room for a prompt and
                          --max-tokens; k at once)
  --threads N             CPU threads
  --llama-server PATH     run your llama-server with the computed flags instead of the built-in engine`;

interface LocalValues {
  local?: string;
  lora?: string[];
  ctx?: string;
  parallel?: string;
  threads?: string;
  'llama-server'?: string;
  endpoint?: string;
  backend?: string;
  model?: string;
  adapter?: string[];
}

/** Options that name an endpoint cannot go with --local, which makes its own. */
export function checkLocalOptions(values: LocalValues): void {
  if (!values.local) {
    for (const flag of ['lora', 'ctx', 'parallel', 'threads', 'llama-server'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --local M (the local engine)`, true);
    }
    return;
  }
  for (const flag of ['endpoint', 'backend', 'model', 'adapter'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--local starts its own endpoint: leave out --${flag}`, true);
  }
}

export function localSpec(values: LocalValues, k: number, maxTokens: number): EngineSpec {
  const adapters = loraOption(values.lora, AGENTS);
  const problem = agentAdaptersProblem(adapters);
  if (problem) throw new UsageError(`--lora: ${problem}`);
  const sizing = sizingFor(k, maxTokens);
  return {
    model: sourceOption(values.local!, '--local'),
    adapters,
    ctx: intOption(values.ctx, 'ctx', 256) ?? sizing.ctx,
    parallel: intOption(values.parallel, 'parallel', 1, 64) ?? sizing.parallel,
    threads: intOption(values.threads, 'threads', 0, 1024) ?? 0,
    ...(values['llama-server'] ? { llamaServer: values['llama-server'] } : {}),
  };
}

export interface LocalRun {
  config: EndpointConfig;
  /** Drops the lease; the engine ends when this was its last client. */
  release(): Promise<void>;
  /** Why the engine went away during the run, if it did. */
  failure(): Promise<string | undefined>;
}

/** Starts or shares the engine for `spec` and gives the endpoint settings to solve through it. */
export async function useLocalEngine(spec: EngineSpec, base: EndpointConfig, err: NodeJS.WritableStream, signal: AbortSignal): Promise<LocalRun> {
  // The bundle's own file (dist/cli.js) runs `serve` for the engine.
  const engine = new LocalEngine({ cliPath: __filename });
  const printer = statusPrinter(err);
  let attached = false;
  // Until it is ready, its progress; a failure after that is said once, at the end of the solve.
  engine.onStatus((s) => attached || printer.print(s));
  try {
    const conn = await engine.ensure(spec, signal);
    attached = true;
    printer.done();
    return { config: localEndpoint(base, conn), release: () => engine.release(), failure: () => engine.lostReason() };
  } catch (e) {
    printer.done();
    if (e instanceof EngineMismatchError || e instanceof EngineFailedError) throw new LocalEngineError(e.message);
    throw e;
  }
}

/** The engine could not serve: one line, exit 3 like any endpoint that fails. */
export class LocalEngineError extends Error {
  override name = 'LocalEngineError';
}
