// Slots shared by concurrent tasks: the judge's test runs, the endpoint client's requests.
import { abortError } from './abort';

export interface LimiterTicket {
  /** Slots the task holds while it runs (a batch of tests running side by side); default 1, at most the limiter's size. */
  weight?: number;
  /** Among waiting tasks the smallest value starts first, read each time slots free up; ties in arrival order. Default 0. */
  priority?: () => number;
  signal?: AbortSignal;
}

interface Waiter {
  weight: number;
  priority: () => number;
  grant: () => void;
}

/** Runs tasks holding at most `size` slots at once; the rest wait. A waiting task leaves the queue on abort. */
export class Limiter {
  private running = 0;
  /** In arrival order. */
  private readonly waiting: Waiter[] = [];

  constructor(readonly size: number) {}

  async run<T>(task: () => Promise<T>, ticket: LimiterTicket | AbortSignal = {}): Promise<T> {
    const t: LimiterTicket = ticket instanceof AbortSignal ? { signal: ticket } : ticket;
    const weight = Math.min(this.size, Math.max(1, t.weight ?? 1));
    await this.acquire(weight, t);
    try {
      return await task();
    } finally {
      this.running -= weight;
      this.dispatch();
    }
  }

  private acquire(weight: number, t: LimiterTicket): Promise<void> {
    if (t.signal?.aborted) return Promise.reject(abortError());
    if (this.waiting.length === 0 && this.running + weight <= this.size) {
      this.running += weight;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        weight, priority: t.priority ?? (() => 0),
        grant: () => {
          t.signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortError());
        this.dispatch(); // a heavy waiter at the head may have been holding lighter ones back
      };
      this.waiting.push(waiter);
      t.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Starts waiters best first while they fit. The best waiter that does not fit yet blocks the ones
   * behind it, so a batch needing every slot is not starved by a stream of single runs.
   */
  private dispatch(): void {
    while (this.waiting.length > 0) {
      // The first of the smallest priority: ties go in arrival order.
      const priorities = this.waiting.map((w) => w.priority());
      const at = priorities.indexOf(Math.min(...priorities));
      const best = this.waiting[at];
      if (this.running + best.weight > this.size) return;
      this.waiting.splice(at, 1);
      this.running += best.weight;
      best.grant();
    }
  }
}
