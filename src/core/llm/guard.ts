import { timerMs } from '../timer';

const timer = (f: () => void, ms: number) => setTimeout(f, timerMs(ms));

/** Why an attempt was stopped by us rather than by the server. */
export type StopReason = 'cancelled' | 'idle' | 'timeout' | 'done';

/**
 * One attempt's AbortController: aborted by the caller's signal, by a whole-attempt deadline, or
 * when no chunk arrived for `idleMs` (`touch()` on every chunk restarts that clock). Aborting it
 * makes fetch close the connection, so the server stops generating.
 */
export class AttemptGuard {
  private readonly controller = new AbortController();
  private stopReason: StopReason | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly deadline: NodeJS.Timeout;
  private readonly onCallerAbort = () => this.stop('cancelled');

  constructor(
    private readonly caller: AbortSignal | undefined,
    totalMs: number,
    private readonly idleMs: number,
    /** The wait for the first chunk (headers), default the idle time. */
    firstMs = idleMs,
  ) {
    this.deadline = timer(() => this.stop('timeout'), totalMs);
    this.idleTimer = timer(() => this.stop('idle'), firstMs);
    if (caller?.aborted) this.stop('cancelled');
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  touch(): void {
    if (this.stopReason) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = timer(() => this.stop('idle'), this.idleMs);
  }

  /** Ends the attempt: timers cleared, caller listener removed, connection closed if still open. */
  stop(reason: StopReason = 'done'): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    clearTimeout(this.idleTimer);
    clearTimeout(this.deadline);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort(reason);
  }
}
