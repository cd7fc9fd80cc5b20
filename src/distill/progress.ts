/** "[12/150] ... · about 3 min left": the estimate is this run's average time per problem times what is left. */
export class Progress {
  private readonly started: number;
  private doneHere = 0;

  constructor(
    private readonly total: number,
    private done: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Counts one finished problem and returns its progress line. */
  line(what: string): string {
    this.done++;
    this.doneHere++;
    const left = this.total - this.done;
    const perProblem = (this.now() - this.started) / this.doneHere;
    const eta = left > 0 ? ` · about ${duration(perProblem * left)} left` : '';
    return `[${this.done}/${this.total}] ${what}${eta}\n`;
  }
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 90 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
