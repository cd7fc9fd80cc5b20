// Harness progress lines, stamped with seconds since the harness started.
const t0 = Date.now();

export function log(...parts: unknown[]): void {
  console.log(`[harness ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...parts);
}

export const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
