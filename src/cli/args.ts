import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKENDS, defaultBaseUrl, defaultEndpointConfig, type Backend, type EndpointConfig } from '../core/llm/config';
import { endpointUrlProblem } from '../core/llm/endpoint-url';
import { AGENTS, type AgentName } from '../core/types';
import { CONSTRAIN_MODES, type Constrain } from '../core/llm/constrain';
import { MAX_STRESS_TESTS } from '../core/defaults';
import { durationProblem } from '../core/timer';

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The line ends by pointing to the command's --help (options misspelt or missing a value). */
  constructor(message: string, readonly pointToHelp = false) {
    super(message);
  }
}

export const ENDPOINT_OPTIONS = {
  endpoint: { type: 'string' },
  backend: { type: 'string' },
  model: { type: 'string' },
  adapter: { type: 'string', multiple: true },
  'request-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  temperature: { type: 'string' },
  'max-tokens': { type: 'string' },
  constrain: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(parseErrorLine(err as Error & { code?: string }), true);
  }
}

/** Node's parser messages, said in one line each (its own text carries a hint with an unbalanced quote). */
function parseErrorLine(err: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(err.message) ? `${option} needs a value` : `${option} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `unexpected argument ${/'([^']*)'/.exec(err.message)?.[1] ?? ''}`.trimEnd();
    default: return err.message.split('\n')[0];
  }
}

/** An endpoint URL as the client needs it. */
export function endpointUrl(value: string): string {
  const problem = endpointUrlProblem(value);
  if (problem) throw new UsageError(`--endpoint ${problem}`);
  return value;
}

export function intOption(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min} (got "${value}")`);
  if (n > max) throw new UsageError(`--${name} must be at most ${max} (got "${value}")`);
  return n;
}

/** --stress N|off: generated inputs per check, 0 for off; `fallback` when not given. */
export function stressOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === 'off') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_STRESS_TESTS) throw new UsageError(`--stress must be off or a number of inputs from 0 to ${MAX_STRESS_TESTS} (got "${value}")`);
  return n;
}

/** A time-out in whole seconds that a timer can hold (core/timer.ts); undefined when not given. */
function secondsOption(value: string | undefined, name: string): number | undefined {
  const n = intOption(value, name, 1);
  const problem = n === undefined ? undefined : durationProblem(n);
  if (problem) throw new UsageError(`--${name} ${problem} (got "${value}")`);
  return n;
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number (got "${value}")`);
  return n;
}

/**
 * Endpoint settings from flags, then environment (MAPCODER_ENDPOINT, MAPCODER_API_KEY), then defaults.
 * The API key is never a flag, so it stays out of shell history and process listings.
 */
export function endpointConfig(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): EndpointConfig {
  const backendName = (values.backend as string | undefined) ?? env.MAPCODER_BACKEND ?? 'vllm';
  if (!(BACKENDS as readonly string[]).includes(backendName)) throw new UsageError(`Unknown backend "${backendName}"; use one of ${BACKENDS.join(', ')}`);
  const backend = backendName as Backend;
  const base = defaultEndpointConfig({ backend });
  const models = { ...base.models };
  for (const pair of (values.adapter as string[] | undefined) ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(pair);
    if (!m || !AGENTS.includes(m[1] as AgentName)) throw new UsageError(`--adapter takes AGENT=NAME with AGENT one of ${AGENTS.join(', ')} (got "${pair}")`);
    models[m[1] as AgentName] = m[2];
  }
  const sampling = { ...base.sampling };
  const temperature = numberOption(values.temperature as string | undefined, 'temperature');
  if (temperature !== undefined) sampling.temperature = temperature;
  const maxTokens = intOption(values['max-tokens'] as string | undefined, 'max-tokens', 1);
  if (maxTokens !== undefined) sampling.maxTokens = maxTokens;
  return {
    ...base,
    baseUrl: endpointUrl((values.endpoint as string | undefined) ?? env.MAPCODER_ENDPOINT ?? defaultBaseUrl(backend)),
    apiKey: env.MAPCODER_API_KEY || undefined,
    models,
    plainModel: values.model as string | undefined,
    sampling,
    requestTimeoutMs: (secondsOption(values['request-timeout'] as string | undefined, 'request-timeout') ?? base.requestTimeoutMs / 1000) * 1000,
    idleTimeoutMs: (secondsOption(values['idle-timeout'] as string | undefined, 'idle-timeout') ?? base.idleTimeoutMs / 1000) * 1000,
    knobs: { idleTimeout: '--idle-timeout', requestTimeout: '--request-timeout' },
    constrain: constrainOption(values.constrain as string | undefined),
  };
}

function constrainOption(value: string | undefined): Constrain {
  if (value === undefined) return 'auto';
  if (!CONSTRAIN_MODES.includes(value as Constrain)) throw new UsageError(`--constrain must be one of ${CONSTRAIN_MODES.join(', ')} (got "${value}")`);
  return value as Constrain;
}

export const ENDPOINT_HELP = `Endpoint options:
  --endpoint URL          the server's base URL (env MAPCODER_ENDPOINT); default by backend: vllm and
                          openai http://127.0.0.1:8000/v1, llamacpp :8080/v1, ollama :11434
  --backend NAME          vllm | openai | llamacpp | ollama (default vllm)
  --model NAME            one plain model for all four agents (MapCoder without adapters)
  --adapter AGENT=NAME    model/adapter name for one agent (repeatable; default: the agent's name)
  --request-timeout S     whole-request time-out in seconds (default 600)
  --idle-timeout S        longest wait for the next token in seconds (default 60)
  --temperature T, --max-tokens N
  --constrain auto|on|off hold replies to the protocol's shape with a grammar: auto (default) on llama.cpp
                          and vLLM; on also sends llama.cpp's grammar to an openai backend; off
  The API key, if the server wants one, comes from the environment variable MAPCODER_API_KEY.`;
