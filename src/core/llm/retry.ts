import { setTimeout } from 'node:timers/promises';
import type { Fault } from './errors';

// The retry policy: which failures are tried again, and how long to wait before each retry.

export const MAX_RETRY_WAIT_MS = 30_000;

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Wait before retry number `retry` (0-based): the server's Retry-After when it gave one, else
 * exponential backoff with jitter so that parallel calls do not hammer the server in step.
 */
export function retryDelayMs(retry: number, baseMs: number, retryAfter?: string, random = Math.random): number {
  const asked = parseRetryAfter(retryAfter);
  const backoff = baseMs * 2 ** retry * (0.5 + random() / 2);
  return Math.min(MAX_RETRY_WAIT_MS, asked ?? backoff);
}

/** The wait before a retry: resolves after `ms`, or rejects (an AbortError) as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return setTimeout(ms, undefined, { signal });
}

/** Statuses a later attempt may not get: time-outs, rate limits, server errors. */
export function isTransient(status: number | undefined): boolean {
  return status !== undefined && (status === 408 || status === 429 || status >= 500);
}

/**
 * Whether attempt number `retry` (0-based), failed with `fault` after `chars` reply characters, is tried
 * again: a broken connection or a transient status, before any reply text (a retry would repeat it),
 * while retries are left.
 */
export function retriesAfter(fault: Fault, chars: number, retry: number, maxRetries: number): boolean {
  return chars === 0 && retry < maxRetries && (fault.kind === 'broken' || (fault.kind === 'status' && isTransient(fault.status)));
}
