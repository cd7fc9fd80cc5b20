// The run's checker: the problem's own, or, for an any-answer problem that came without one, one the
// model writes (checker-writer.ts), asked once per run when a program first needs it. From then on every
// judge call goes through it; an unverified program is judged again through it.
import type { AgentRunner } from '../agents/call';
import { CheckerWriter } from '../checker-writer';
import type { Candidate } from '../events';
import type { Judge } from '../judge';
import type { CheckerSpec, Lang, Problem } from '../types';
import { judgeError } from './candidate';

export class CheckerStep {
  private checker: CheckerSpec | undefined;
  private readonly writer: CheckerWriter | undefined;

  /** `onWritten`: hears the model's checker once it is trusted (the stress tests judge through it too). */
  constructor(private readonly problem: Problem, lang: Lang, runner: AgentRunner, judge: Pick<Judge, 'judge'>, private readonly onWritten: (c: CheckerSpec) => void) {
    this.checker = problem.checker;
    if (problem.anyAnswer && !this.checker) this.writer = new CheckerWriter(problem, lang, runner, judge);
  }

  /** Whether judge calls go through a checker now. */
  get checked(): boolean {
    return this.checker !== undefined;
  }

  /** `problem` judged through the model's checker once there is one. */
  applyTo(problem: Problem): Problem {
    return this.checker && !this.problem.checker ? { ...problem, checker: this.checker } : problem;
  }

  /** The checker, asked of the model at most once per run; undefined when none could be trusted. */
  async obtain(plan: number, signal: AbortSignal): Promise<CheckerSpec | undefined> {
    if (this.checker || !this.writer) return this.checker;
    const checker = await this.writer.get(plan, signal);
    if (checker && !this.checker) {
      this.checker = checker;
      this.onWritten(checker);
    }
    return this.checker;
  }

  /**
   * An unverified program judged again (`rejudge`) through the checker; undefined when no checker can be
   * had. A checker that fails on it stops the run (judgeError).
   */
  async verify(c: Candidate, signal: AbortSignal, rejudge: () => Promise<Candidate>): Promise<Candidate | undefined> {
    if (!(await this.obtain(c.plan, signal))) return undefined;
    const judged = await rejudge();
    if (judged.report.verdict === 'JE') throw judgeError(judged);
    return judged;
  }
}
