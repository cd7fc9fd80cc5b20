import { AGENTS, type AgentName } from '../types';
import type { Constrain } from './constrain';

/** Which kinds of server can be behind the URL; the kind decides how an agent's adapter is chosen. */
export const BACKENDS = ['vllm', 'openai', 'llamacpp', 'ollama'] as const;
export type Backend = (typeof BACKENDS)[number];

/**
 * Whether a solve codes and debugs every plan at once (the pipeline's `speculate`). `auto`: on for vLLM,
 * which batches the extra requests (no slower in the benchmark, much faster when the best plan fails);
 * off for servers with few parallel slots (llama.cpp, Ollama) or unknown ones, where speculative
 * requests would queue ahead of the plan in turn.
 */
export type Speculation = 'auto' | 'on' | 'off';
export const SPECULATIONS: readonly Speculation[] = ['auto', 'on', 'off'];

export function speculates(choice: Speculation, backend: Backend): boolean {
  return choice === 'on' || (choice === 'auto' && backend === 'vllm');
}

export interface Sampling {
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
}

export interface EndpointConfig {
  /** OpenAI-compatible base URL, ending in /v1 for every supported server. */
  baseUrl: string;
  /** Sent as a Bearer token when set; never taken from the environment here. */
  apiKey?: string;
  backend: Backend;
  /** Model (vLLM: LoRA module, Ollama: model) name per agent. */
  models: Record<AgentName, string>;
  /** One model for all four agents and no adapters: plain MapCoder, the paper's baseline. */
  plainModel?: string;
  sampling: Sampling;
  /** Longest one attempt may take, streaming included. */
  requestTimeoutMs: number;
  /** Longest wait for the first byte and between two streamed chunks. */
  idleTimeoutMs: number;
  /** Extra attempts after 429, 5xx or a broken connection, only while no token has arrived. */
  maxRetries: number;
  /** First backoff delay; doubles per retry. A Retry-After header wins (capped at 30 s). */
  retryBaseMs?: number;
  /** How the user raises the time-outs where they configure them (a CLI flag, an editor setting). */
  knobs?: TimeoutKnobs;
  /** Hold replies to the protocol's shape with a grammar where the server can (default auto). */
  constrain?: Constrain;
}

export interface TimeoutKnobs {
  idleTimeout: string;
  requestTimeout: string;
}

export const DEFAULT_RETRY_BASE_MS = 500;

export function defaultBaseUrl(backend: Backend): string {
  switch (backend) {
    case 'ollama':
      return 'http://127.0.0.1:11434/v1';
    case 'llamacpp':
      return 'http://127.0.0.1:8080/v1';
    default:
      return 'http://127.0.0.1:8000/v1';
  }
}

/** Defaults for the given overrides; the base URL follows the backend unless one is given. */
export function defaultEndpointConfig(overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  const backend = overrides.backend ?? 'vllm';
  return {
    baseUrl: defaultBaseUrl(backend),
    backend,
    models: Object.fromEntries(AGENTS.map((a) => [a, a])) as Record<AgentName, string>,
    // Retrieval writes k problems with code and plans: it needs room.
    sampling: { temperature: 0, topP: 1, maxTokens: 4096 },
    requestTimeoutMs: 600_000,
    idleTimeoutMs: 60_000,
    maxRetries: 3,
    retryBaseMs: DEFAULT_RETRY_BASE_MS,
    ...stripUndefined(overrides),
  };
}

export function modelFor(cfg: EndpointConfig, agent: AgentName): string {
  return cfg.plainModel || cfg.models[agent] || agent;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
