import type { Target } from '../target';

/** Targets of recent runs, for re-runs from the panel (a selection's insertion point stays tracked while kept). */
const KEPT_TARGETS = 20;

export class KeptTargets {
  private readonly targets = new Map<string, Target>();

  /** `running`: whether a run in progress still places its answer at this target. */
  constructor(private readonly running: (target: Target) => boolean) {}

  get(runId: string): Target | undefined {
    return this.targets.get(runId);
  }

  remember(runId: string, target: Target): void {
    this.targets.set(runId, target);
    while (this.targets.size > KEPT_TARGETS) {
      const [oldest, t] = this.targets.entries().next().value as [string, Target];
      this.targets.delete(oldest);
      this.release(t);
    }
  }

  /** Stops following a selection's insertion point once no kept run (re-runs share targets) needs it. */
  release(target: Target): void {
    if (target.answer.kind !== 'in-file' || [...this.targets.values()].includes(target)) return;
    if (this.running(target)) return;
    target.answer.anchor?.dispose();
  }

  dispose(): void {
    for (const t of this.targets.values()) if (t.answer.kind === 'in-file') t.answer.anchor?.dispose();
    this.targets.clear();
  }
}
