// The range of limits the judge accepts from a statement or a setting, and the output cap a problem's
// own answers need.
import type { Sample } from '../types';

/** Limits as whole numbers in a range the timers and rlimits can hold (statements say 255.3 MB, or 2,500,000 s). */
export const MIN_TIME_LIMIT_MS = 100;
export const MAX_TIME_LIMIT_MS = 10 * 60_000;
export const MIN_MEMORY_LIMIT_MB = 16;
export const MAX_MEMORY_LIMIT_MB = 64 * 1024;

export function clampLimit(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : max;
}

/** Stdout is never cut below what a correct answer needs: twice the longest expected output, up to 256 MiB. */
export const MAX_OUTPUT_CAP_BYTES = 256 * 1024 * 1024;

export function outputCapFor(base: number, samples: readonly Sample[]): number {
  const longest = samples.reduce((m, s) => s.outputs.reduce((n, o) => Math.max(n, Buffer.byteLength(o, 'utf8')), m), 0);
  return 2 * longest <= base ? base : Math.min(MAX_OUTPUT_CAP_BYTES, 2 * longest + 64 * 1024);
}
