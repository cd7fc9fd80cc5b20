import { basename } from 'node:path';
import { TYPICAL_PROMPT_TOKENS } from '../llm/context';
import { AGENTS } from '../types';
import type { EngineKind } from './lock';

// What an engine serves, as a client asks for it: the model and the agents' adapters as the user gave
// them, the sizing, and which engine runs them. Two clients share one engine when their specs agree.

export interface EngineSpec {
  model: string;
  /** Adapter per name (the agents'), as given; empty: one plain model for all four agents. */
  adapters: Record<string, string>;
  /** Tokens per request (a slot), prompt and reply together. */
  ctx: number;
  /** Requests at once (slots). */
  parallel: number;
  /** CPU threads for generation and prompts (0: node-llama-cpp's / llama-server's own choice). */
  threads: number;
  /** The user's llama-server binary; absent: the product's own engine (node-llama-cpp). */
  llamaServer?: string;
}

export const DEFAULT_CTX = 8192;

/** The sizing for a solve with `k` plans in parallel and replies of up to `maxTokens`. */
export function sizingFor(k: number, maxTokens: number): Pick<EngineSpec, 'ctx' | 'parallel'> {
  // A prompt that quotes a plan plus the longest reply, rounded up to whole kilo-tokens.
  const ctx = Math.max(2048, Math.ceil((maxTokens + TYPICAL_PROMPT_TOKENS + 16) / 1024) * 1024);
  return { ctx, parallel: Math.max(1, k) };
}

export function engineKind(spec: EngineSpec): EngineKind {
  return spec.llamaServer ? 'llama-server' : 'node';
}

/** The spec as one comparable string (adapters in name order). */
export function specKey(spec: EngineSpec): string {
  const adapters = Object.keys(spec.adapters).sort().map((k) => [k, spec.adapters[k]]);
  return JSON.stringify({ kind: engineKind(spec), model: spec.model, adapters, ctx: spec.ctx, parallel: spec.parallel, threads: spec.threads, llamaServer: spec.llamaServer ?? null });
}

/** One line: the model and its adapters, for messages about a running engine. */
export function describeSpec(spec: EngineSpec): string {
  const names = Object.keys(spec.adapters);
  const adapters = names.length ? ` with adapters ${names.map((n) => `${n}=${spec.adapters[n]}`).join(', ')}` : ' (no adapters)';
  return `${spec.model}${adapters}, ${spec.parallel} x ${spec.ctx} tokens${spec.llamaServer ? ` on ${spec.llamaServer}` : ''}`;
}

/**
 * What is wrong with the agents' adapters as given, if anything: all four or none (one plain model),
 * and file names that differ (llama.cpp clients tell adapters apart by file name).
 */
export function agentAdaptersProblem(adapters: Record<string, string>): string | undefined {
  const given = Object.keys(adapters);
  if (given.length > 0 && given.length < AGENTS.length) {
    return `give all four agents' adapters or none (missing: ${AGENTS.filter((a) => !adapters[a]).join(', ')})`;
  }
  const files = Object.values(adapters);
  if (new Set(files.map((a) => basename(a).toLowerCase())).size < new Set(files).size) {
    return 'the adapters\' file names must differ (llama.cpp clients tell adapters apart by file name)';
  }
  return undefined;
}
