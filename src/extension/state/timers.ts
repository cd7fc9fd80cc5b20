// Timers behind an interface so that throttling and debouncing are tested with a fake clock, never with sleeps.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs `fn` once, `ms` after the first `schedule()` since the last run: bursts collapse into one call. */
export class OneShot {
  private handle: unknown;

  constructor(private readonly timers: Timers, private readonly ms: number, private readonly fn: () => void) {}

  get pending(): boolean {
    return this.handle !== undefined;
  }

  schedule(): void {
    if (this.handle !== undefined) return;
    this.handle = this.timers.setTimeout(() => this.fire(), this.ms);
  }

  /** Runs now if scheduled. */
  fire(): void {
    if (this.handle === undefined) return;
    this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.fn();
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
