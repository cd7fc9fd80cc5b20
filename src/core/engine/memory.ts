import { freemem } from 'node:os';
import { formatBytes, kvBytesPerToken, metaNumber, metaString, type GgufInfo } from './gguf';

// Whether the model fits in memory, estimated from its header before anything loads: the weights
// (mapped from the file), the runtime's own share, and per context its KV cache (f16, every slot) and
// working buffers. When all adapters' contexts do not fit at once, fewer stay alive (least recently
// used one disposed); when not even one fits, the model is refused with the figures.

/** node-llama-cpp with the vocabulary loaded, measured with the tests' 150k-token model: ~290 MB. */
const RUNTIME_BYTES = 300e6;

export interface MemoryPlan {
  /** Bytes for the weights and the runtime, and per context. */
  base: number;
  perContext: number;
  /** Contexts alive at once. */
  contexts: number;
  available: number;
}

/**
 * Memory the engine may use: MAPCODER_ENGINE_MEMORY (bytes, or with K, M or G) where set, else what is
 * free now (the cgroup's limit counted).
 */
export function availableMemory(env: NodeJS.ProcessEnv = process.env): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(env.MAPCODER_ENGINE_MEMORY?.trim() ?? '');
  if (m) return Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6, g: 1e9 } as Record<string, number>)[m[2].toLowerCase()];
  const p = process as NodeJS.Process & { availableMemory?: () => number };
  return typeof p.availableMemory === 'function' ? p.availableMemory() : freemem();
}

export function contextBytes(info: GgufInfo, ctx: number, parallel: number): number {
  const arch = metaString(info, 'general.architecture') ?? '';
  const embd = metaNumber(info, `${arch}.embedding_length`) ?? 0;
  const ff = metaNumber(info, `${arch}.feed_forward_length`) ?? 4 * embd;
  // Activations of one 512-token batch (f32), besides the cache.
  const work = 512 * 4 * (4 * embd + 3 * ff) + 16e6;
  return kvBytesPerToken(info) * ctx * parallel + work;
}

/** The plan for `wanted` contexts, or one line saying why the model does not fit. */
export function planMemory(info: GgufInfo, ctx: number, parallel: number, wanted: number, available: number): MemoryPlan | string {
  const weights = info.tensors.length ? info.expectedSize : info.fileSize;
  const base = weights + RUNTIME_BYTES;
  const perContext = contextBytes(info, ctx, parallel);
  const fits = Math.floor((available - base) / perContext);
  if (fits < 1) {
    return `the model needs about ${formatBytes(base + perContext)} of memory (weights ${formatBytes(weights)}, ${parallel} x ${ctx} tokens of context ${formatBytes(perContext)}); ` +
      `${formatBytes(available)} is free: choose a smaller model, or fewer or shorter slots (--parallel, --ctx)`;
  }
  return { base, perContext, contexts: Math.min(wanted, fits), available };
}
