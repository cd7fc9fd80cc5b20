import type { EngineKind } from './lock';

// What the engine is doing, as its host reports it to every client (the CLI's progress line, the
// editor's status bar): installing its runtime, downloading n %, loading, ready (model, adapters,
// memory), failed (why), stopped (why).

export type EngineStatus =
  | { state: 'starting' }
  | { state: 'installing'; bytes: number; expected: number }
  | { state: 'downloading'; file: string; received: number; total?: number }
  | { state: 'loading'; detail: string }
  | { state: 'ready'; ready: EngineReady; users: number }
  | { state: 'failed'; why: string }
  | { state: 'stopped'; why: string };

export interface EngineReady {
  kind: EngineKind;
  /** OpenAI-compatible base URL (…/v1) and the bearer token it wants. */
  baseUrl: string;
  /** The model id the endpoint lists first. */
  model: string;
  /** Adapter file per agent, as the endpoint lists them (GET /lora-adapters). */
  adapters: Record<string, string>;
  ctx: number;
  parallel: number;
  /** Resident memory of the process that holds the model, when known. */
  memoryBytes?: number;
  /** Said once: what the engine chose for the user (no adapters; fewer contexts than adapters). */
  notices: string[];
  pid: number;
}

/** A percentage for the progress line, when the total is known. */
export function percentOf(done: number, total?: number): number | undefined {
  return total ? Math.min(100, Math.floor((done / total) * 100)) : undefined;
}
