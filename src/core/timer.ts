// What Node's timers can wait for. setTimeout (and AbortSignal.timeout, and the openai SDK's request
// time-out built on it) holds at most 2^31-1 ms, 24.8 days: a longer delay fires at once, so a time-out
// of 25 days would end every request immediately. Durations people give are checked against it
// (`durationProblem`: one clear line); durations the code computes are held to it (`timerMs`).

export const MAX_TIMER_MS = 2 ** 31 - 1;
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** A computed delay a timer can hold: a longer one waits the longest a timer can (24.8 days). */
export function timerMs(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** Why `seconds` is no time-out (as "must be ..."), or undefined when a timer can wait that long. */
export function durationProblem(seconds: number, min = 1): string | undefined {
  if (!Number.isFinite(seconds) || seconds < min) return `must be a number of seconds >= ${min}`;
  if (seconds * 1000 > MAX_TIMER_MS) return `must be at most ${MAX_TIMER_SECONDS} seconds (24.8 days, the longest a timer can wait)`;
  return undefined;
}
