import type { TestResult } from '../types';

/** "cpu 9 ms, 3.1 MB" for a test whose CPU time and peak memory were measured; undefined otherwise. */
export function usageText(t: Pick<TestResult, 'cpuMs' | 'memoryKb'>): string | undefined {
  if (t.cpuMs === undefined || t.memoryKb === undefined) return undefined;
  return `cpu ${t.cpuMs} ms, ${(t.memoryKb / 1024).toFixed(1)} MB`;
}
