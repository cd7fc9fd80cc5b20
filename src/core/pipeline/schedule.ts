import type { PipelineEvent, PipelineListener, RankedPlan } from '../events';

// The speculative scheduler: with speculative plans every plan's branch runs at once, and this keeps
// the outcome the ordered schedule gives. It knows whose turn it is (the plan being committed, best
// confidence first), holds a branch's events back until its turn, and gives the branch in turn the
// judge first. MapCoder's semantics (what a branch does, when a plan is done) stay in run.ts.

/** A branch's events as listeners may hear them: `emit` holds them back until `tell` (or the branch's turn). */
export interface HeldEvents {
  emit: PipelineListener;
  /** Tells listeners what the branch did so far, and from now on as it happens: its turn has come. */
  tell(): void;
}

export class PlanTurns {
  /** Plan indices in rank order, once ranked. */
  private order: number[] = [];
  /** Rank of the plan being committed now; the plans ranked before it are done. */
  private turn = 0;
  /** The judge call of the branch in turn, while it runs. */
  private turnJudge: Promise<unknown> | undefined;
  /** Stoppers of the judge calls running for branches whose turn has not come. */
  private readonly yielding = new Set<AbortController>();

  /** `unranked`: the judge priority of a branch before the ranking (behind any ranked one). */
  constructor(private readonly unranked: number) {}

  ranked(plans: RankedPlan[]): void {
    this.order = plans.map((p) => p.index);
  }

  /** The plan at this rank is the one being committed now. */
  setTurn(rank: number): void {
    this.turn = rank;
  }

  /** Whether the result waits on this plan's branch now (always, for the direct mode's program). */
  inTurn(plan: number): boolean {
    return plan < 0 || this.order[this.turn] === plan;
  }

  /**
   * Judge priority of a plan's branch (smaller runs first): 0 for the plan whose turn it is, then by
   * rank. Before the ranking no branch's turn has come: all wait behind any ranked one.
   */
  priority(plan: number): number {
    const rank = this.order.indexOf(plan);
    return rank < 0 ? this.unranked : rank - this.turn;
  }

  /**
   * Runs a judge call for a plan's branch. The branch in turn never waits for speculative work: its call
   * stops the speculative calls running (their tests are killed; they ask again once it is judged), and
   * no speculative call starts while it runs. The judge does not preempt running tests by itself, and
   * a speculative judge holding the slots would otherwise delay every step of the branch in turn.
   * `call` gets the signal to judge under and whether the call is speculative (a display of the judge's
   * work does not show it: its turn may never come).
   */
  async judge<T>(plan: number, signal: AbortSignal, call: (signal: AbortSignal, speculative: boolean) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.inTurn(plan)) {
        for (const stop of this.yielding) stop.abort();
        const running = call(signal, false);
        this.turnJudge = running;
        try {
          return await running;
        } finally {
          if (this.turnJudge === running) this.turnJudge = undefined;
        }
      }
      while (this.turnJudge) await this.turnJudge.catch(() => undefined);
      signal.throwIfAborted();
      if (this.inTurn(plan)) continue; // its turn came while it waited
      const stop = new AbortController();
      this.yielding.add(stop);
      try {
        return await call(AbortSignal.any([signal, stop.signal]), true);
      } catch (err) {
        if (signal.aborted || !stop.signal.aborted) throw err;
        // Stopped for the branch in turn: ask again once it is judged.
      } finally {
        this.yielding.delete(stop);
      }
    }
  }

  /**
   * Listeners hear only the run's committed work: a speculative branch's events wait for its turn and
   * are told then, in order; a branch dropped before its turn (or by its own controller, whose cut
   * calls are not failures) is never told. `branch` is the branch's own signal, `run` the run's.
   */
  hold(plan: number, branch: AbortSignal, run: AbortSignal, emit: PipelineListener): HeldEvents {
    const held: PipelineEvent[] = [];
    let told = false;
    const tell = () => {
      if (told) return;
      told = true;
      for (const e of held.splice(0)) emit(e);
    };
    return {
      tell,
      emit: (e) => {
        if (branch.aborted && !run.aborted) return;
        if (!told && this.inTurn(plan)) tell();
        if (told) emit(e);
        else held.push(e);
      },
    };
  }
}
