import type { Context, Sequence, Token } from './nlc';

// One llama.cpp context per adapter (a context applies its adapters to every sequence it decodes),
// all over the one loaded model, each with `parallel` sequences (slots). Contexts are made when an
// adapter is first asked for; when memory holds fewer contexts than adapters, the least recently used
// idle one is disposed to make room. A request takes the free slot of its adapter whose cached tokens
// share the longest prefix with its prompt (llama-server's prompt cache), or waits for one, first come
// first served.

export interface Slot {
  seq: Sequence;
  busy: boolean;
}

interface Entry {
  key: number;
  context?: Context;
  creating?: Promise<void>;
  slots: Slot[];
  lastUsed: number;
}

interface Waiter {
  key: number;
  prompt: Token[];
  resolve: (slot: Slot) => void;
  reject: (e: unknown) => void;
}

export type MakeContext = (key: number) => Promise<Context>;

export class ContextPool {
  private readonly entries = new Map<number, Entry>();
  private waiters: Waiter[] = [];
  private disposing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Orders uses (a clock's milliseconds would tie). */
  private tick = 0;

  constructor(
    private readonly make: MakeContext,
    private readonly parallel: number,
    /** Contexts alive at once (memory). */
    private readonly maxContexts: number,
  ) {}

  /** A slot of context `key` (an adapter's index, -1 the bare model), once one is free. */
  acquire(key: number, prompt: Token[], signal: AbortSignal): Promise<Slot> {
    if (this.closed) return Promise.reject(new Error('the engine is stopping'));
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = {
        key, prompt,
        resolve: (slot) => {
          signal.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        reject,
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  release(key: number, slot: Slot): void {
    slot.busy = false;
    const entry = this.entries.get(key);
    if (entry) entry.lastUsed = ++this.tick;
    this.pump();
  }

  /** Contexts alive now. */
  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(new Error('the engine is stopping'));
    await this.disposing;
    await Promise.all([...this.entries.values()].map(async (e) => {
      await e.creating?.catch(() => undefined);
      await e.context?.dispose();
    }));
    this.entries.clear();
  }

  private pump(): void {
    for (const w of [...this.waiters]) {
      const entry = this.entries.get(w.key);
      if (entry?.context) {
        const slot = bestSlot(entry.slots, w.prompt);
        if (!slot) continue;
        slot.busy = true;
        entry.lastUsed = ++this.tick;
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(slot);
        continue;
      }
      if (entry) continue; // being made
      if (this.entries.size >= this.maxContexts && !this.evictOne()) continue;
      this.create(w.key);
    }
  }

  /** Disposes the least recently used context with no busy slot and no one waiting for it. */
  private evictOne(): boolean {
    const wanted = new Set(this.waiters.map((w) => w.key));
    const idle = [...this.entries.values()]
      .filter((e) => e.context && !wanted.has(e.key) && e.slots.every((s) => !s.busy))
      .sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!idle) return false;
    this.entries.delete(idle.key);
    const context = idle.context!;
    this.disposing = this.disposing.then(() => context.dispose()).catch(() => undefined);
    return true;
  }

  private create(key: number): void {
    const entry: Entry = { key, slots: [], lastUsed: ++this.tick };
    this.entries.set(key, entry);
    // A disposed context's memory is given back before the next one takes its own.
    entry.creating = this.disposing.then(() => this.make(key)).then(
      (context) => {
        entry.context = context;
        entry.slots = Array.from({ length: this.parallel }, () => ({ seq: context.getSequence(), busy: false }));
        entry.creating = undefined;
        if (!this.closed) this.pump();
      },
      (e: unknown) => {
        this.entries.delete(key);
        const failed = this.waiters.filter((w) => w.key === key);
        this.waiters = this.waiters.filter((w) => w.key !== key);
        for (const w of failed) w.reject(e);
        this.pump();
      },
    );
  }
}

/** The free slot whose cached tokens share the longest prefix with `prompt`. */
function bestSlot(slots: Slot[], prompt: Token[]): Slot | undefined {
  let best: Slot | undefined;
  let bestLen = -1;
  for (const s of slots) {
    if (s.busy) continue;
    const n = commonPrefix(s.seq.contextTokens, prompt);
    if (n > bestLen) {
      best = s;
      bestLen = n;
    }
  }
  return best;
}

export function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
