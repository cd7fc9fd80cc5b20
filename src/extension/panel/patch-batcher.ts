import type { RunState, RunSummary, TextAppend, ToWebview } from '../../panel-protocol';
import { OneShot, realTimers, type Timers } from '../state/timers';

// Turns the store's stream of updates into few webview messages: everything that arrives within one
// interval is posted together when the interval ends. Tokens are merged, never dropped, and stay in order;
// a structural change is sent as one full snapshot that already contains every token applied before it.

export interface BatchSource {
  snapshot(runId: string): RunState | undefined;
  history(): RunSummary[];
}

export interface PatchBatcherOptions {
  /** Default 100 ms: at most ~10 posts per second for a single run. */
  intervalMs?: number;
  timers?: Timers;
}

interface Pending {
  snapshot: boolean;
  appends: TextAppend[];
}

export class PatchBatcher {
  private readonly timer: OneShot;
  /** Insertion order is the order runs became dirty. */
  private readonly pending = new Map<string, Pending>();
  private historyDirty = false;

  constructor(private readonly post: (m: ToWebview) => void, private readonly source: BatchSource, opts: PatchBatcherOptions = {}) {
    this.timer = new OneShot(opts.timers ?? realTimers, opts.intervalMs ?? 100, () => this.send());
  }

  tokens(runId: string, callId: string, text: string): void {
    if (!text) return;
    const p = this.entry(runId);
    if (p.snapshot) return; // the snapshot is taken at flush time and will contain this text
    const last = p.appends.at(-1);
    if (last?.callId === callId) last.text += text;
    else p.appends.push({ callId, text });
    this.timer.schedule();
  }

  /** The run changed beyond text: send a full snapshot at the next flush. */
  run(runId: string): void {
    const p = this.entry(runId);
    p.snapshot = true;
    p.appends = [];
    this.timer.schedule();
  }

  history(): void {
    this.historyDirty = true;
    this.timer.schedule();
  }

  /** Forget what is pending (the caller just posted a full state that supersedes it). */
  discard(): void {
    this.pending.clear();
    this.historyDirty = false;
    this.timer.cancel();
  }

  /** Sends what is pending now. */
  flush(): void {
    this.timer.fire();
  }

  dispose(): void {
    this.discard();
  }

  private entry(runId: string): Pending {
    let p = this.pending.get(runId);
    if (!p) {
      p = { snapshot: false, appends: [] };
      this.pending.set(runId, p);
    }
    return p;
  }

  private send(): void {
    const pending = [...this.pending];
    this.pending.clear();
    if (this.historyDirty) {
      this.historyDirty = false;
      this.post({ type: 'history', runs: this.source.history() });
    }
    for (const [runId, p] of pending) {
      if (p.snapshot) {
        const run = this.source.snapshot(runId);
        if (run) this.post({ type: 'run', run });
      } else if (p.appends.length) {
        this.post({ type: 'patch', runId, appends: p.appends });
      }
    }
  }
}
