// MapCoder's run: retrieval, k plans ranked by confidence, each plan's code and debugging rounds (on
// the speculative schedule when asked), stress checks of a program that passes, and the result.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { AgentRunner, DEFAULT_CALL_POLICY } from '../agents/call';
import { codingCall, directCall } from '../agents/coding';
import { debugCall } from '../agents/debugging';
import { confidenceCall, planCall } from '../agents/planning';
import { retrievalCall } from '../agents/retrieval';
import type { Candidate, PipelineEvent, PipelineListener, RankedPlan, RetrievalResult, SolveResult, StepRef, StressCheck, StressSummary } from '../events';
import type { Exemplar } from '../parse';
import { DEFAULT_K, DEFAULT_T } from '../defaults';
import { sampleCount } from '../problem';
import { settleAll } from '../settle-all';
import { programName } from '../step-names';
import { accepted, judgeError, passesSamples, statusOf, unjudged } from './candidate';
import { CheckerStep } from './checker-step';
import type { SolveMode, SolveOptions } from './options';
import { PlanTurns } from './schedule';
import { describe } from './words';
import { StressTester } from '../stress';
import type { JudgeReport, Problem, Sample } from '../types';


interface PlanText {
  index: number;
  plan: string;
}

interface BranchOutcome {
  /** Every program the branch tested, in order. */
  candidates: Candidate[];
  winner?: Candidate;
  /** The branch's last program ran cleanly but its output could not be judged (UV): it waits for a checker. */
  unverified?: Candidate;
  error?: unknown;
}

interface Branch {
  abort: AbortController;
  outcome: Promise<BranchOutcome>;
  /** Tells listeners what the branch did so far, and from now on as it happens: its turn has come. */
  tell(): void;
}

/** A program a branch starts from instead of a coding call: the user's, or one the stress tests broke in debugging round `round`. */
interface StartingProgram {
  code: string;
  report?: JudgeReport;
  round?: number;
}

/**
 * The MapCoder control flow. Resolves (never rejects) with the chosen program and how it was found;
 * endpoint failures and cancellation end the run with status `error` / `cancelled` and whatever
 * best candidate existed by then.
 */
export async function solve(opts: SolveOptions): Promise<SolveResult> {
  return new SolveRun(opts).run();
}

class SolveRun {
  private readonly k: number;
  private readonly t: number;
  private readonly mode: SolveMode;
  private readonly runner: AgentRunner;
  /** Aborted by the caller's signal, or by us when one branch of the run fails for good. */
  private readonly abort = new AbortController();
  private readonly started = Date.now();
  private candidates: Candidate[] = [];
  private nextCandidate = 1;
  private best: Candidate | undefined;
  private retrieval: RetrievalResult | undefined;
  private plans: RankedPlan[] = [];
  /** Whose turn it is, and the judge's order between the branches. */
  private readonly turns: PlanTurns;
  /** Reports by tests and program text: a program the run already judged (debugging often returns it unchanged) is not run again. */
  private readonly reports = new Map<string, JudgeReport>();
  private readonly stress: StressTester | undefined;
  /** Inputs where a program and the brute force disagreed: tests from then on, after the samples. */
  private readonly found: Sample[] = [];
  /** The last stress check's outcome (the result's stress summary is made from it and `found`). */
  private lastCheck: StressCheck | undefined;
  /** The first program to pass every sample: what the samples alone would have returned. */
  private firstSamplePass: Candidate | undefined;
  /** The problem's checker: its own, or one the model wrote for an any-answer problem. */
  private readonly checker: CheckerStep;

  constructor(private readonly opts: SolveOptions) {
    this.k = opts.k ?? DEFAULT_K;
    this.t = opts.t ?? DEFAULT_T;
    this.mode = opts.mode ?? 'mapcoder';
    if (!(this.k >= 1) || !Number.isInteger(this.k)) throw new RangeError(`k must be a positive integer (got ${opts.k})`);
    if (!(this.t >= 0) || !Number.isInteger(this.t)) throw new RangeError(`t must be a non-negative integer (got ${opts.t})`);
    this.turns = new PlanTurns(this.k);
    this.runner = new AgentRunner(opts.llm, opts.prompts, (e) => this.emit(e), { ...DEFAULT_CALL_POLICY, ...opts.policy });
    if (opts.stress && opts.stress.tests > 0 && this.mode === 'mapcoder') {
      this.stress = new StressTester(opts.stress, opts.problem, opts.lang, this.runner, opts.judge, (e) => this.emit(e));
    }
    this.checker = new CheckerStep(opts.problem, opts.lang, this.runner, opts.judge, (c) => this.stress?.useChecker(c));
    // Every concurrent LLM stream and sample run listens on this signal: more than Node's default 10.
    setMaxListeners(0, this.abort.signal);
    if (opts.signal?.aborted) this.abort.abort();
    else opts.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  private readonly onCallerAbort = () => this.abort.abort();

  async run(): Promise<SolveResult> {
    const { problem, lang } = this.opts;
    this.emit({
      type: 'run-started', runId: randomBytes(6).toString('hex'), problem, lang, mode: this.mode, k: this.k, t: this.t,
      promptsHash: this.opts.prompts.hash, at: this.started, ...(this.stress ? { stressTests: this.opts.stress!.tests } : {}),
    });
    let result: SolveResult;
    try {
      const winner = this.mode === 'direct' ? await this.direct() : await this.mapcoder();
      result = this.result(winner ? statusOf(winner) : this.best ? (this.best.report.passed > 0 ? 'partial' : 'failed') : 'failed', winner);
    } catch (err) {
      const cancelled = this.opts.signal?.aborted === true;
      result = this.result(cancelled ? 'cancelled' : 'error', undefined, cancelled ? undefined : errorMessage(err));
    }
    // A caller may reuse one signal for many runs (evaluation, distillation): leave no listener on it.
    this.opts.signal?.removeEventListener('abort', this.onCallerAbort);
    this.emit({ type: 'done', result });
    return result;
  }

  private async direct(): Promise<Candidate | undefined> {
    const code = await this.runner.run(directCall(this.opts.problem, this.opts.lang), this.abort.signal);
    if (!code.ok) return undefined;
    const c = await this.test(code.value, { kind: 'direct', agent: 'coding', plan: -1 }, -1, 0, this.abort.signal, (e) => this.emit(e));
    this.commit(c);
    if (c.report.verdict === 'JE') throw judgeError(c);
    const judged = c.report.verdict === 'UV' ? ((await this.verify(c)) ?? c) : c;
    return accepted(judged) || judged.report.verdict === 'UV' ? judged : undefined;
  }

  private async mapcoder(): Promise<Candidate | undefined> {
    const { problem, lang } = this.opts;
    this.retrieval = this.opts.from?.retrieval ?? (await this.runner.run(retrievalCall(problem, lang, this.k), this.abort.signal)).value;
    this.emit({ type: 'retrieval-done', result: this.retrieval });
    const given = this.opts.from?.program;
    const speculate = this.opts.speculate === true && given === undefined;
    const branches = new Map<number, Branch>();
    const startBranch = (p: PlanText) => branches.set(p.index, this.branch(p));
    this.plans = this.opts.from?.plans ?? (await this.rankPlans(this.retrieval, speculate ? startBranch : undefined));
    this.turns.ranked(this.plans);
    this.emit({ type: 'plans-ranked', plans: this.plans });
    if (speculate) for (const p of this.plans) if (!branches.has(p.index)) startBranch(p);
    try {
      // Plans are committed best confidence first, whatever order their branches finish in.
      for (const [order, p] of this.plans.entries()) {
        this.turns.setTurn(order);
        let branch = branches.get(p.index) ?? this.branch(p, order === 0 ? given : undefined);
        for (;;) {
          branch.tell();
          const outcome = await branch.outcome;
          for (const c of outcome.candidates) this.commit(c);
          if (outcome.error !== undefined) throw outcome.error;
          let winner = outcome.winner;
          if (!winner && outcome.unverified) {
            // Its verdict waits for a checker; without one the run ends with it, unverified.
            const judged = await this.verify(outcome.unverified);
            if (!judged) return outcome.unverified;
            if (accepted(judged)) winner = judged;
            else if (judged.round >= this.t) break;
            else {
              branch = this.branch(p, { code: judged.code, report: judged.report, round: judged.round });
              continue;
            }
          }
          if (!winner) break;
          const broken = await this.challenge(winner);
          if (!broken) return winner;
          if (broken.round! >= this.t) break; // the plan's debugging rounds are spent
          // The plan's debugging goes on from the program the new test broke.
          branch = this.branch(p, broken);
        }
      }
      return undefined;
    } finally {
      // Speculative branches the ordered schedule never reached: stopped, and waited for (they never
      // reject), so no call or test of this run outlives it.
      for (const b of branches.values()) b.abort.abort();
      await Promise.all([...branches.values()].map((b) => b.outcome));
    }
  }

  /**
   * One plan's code, test and debugging rounds. It never rejects: an error comes back in the outcome
   * with the candidates made before it, so they still count when the branch's turn comes.
   */
  private branch(p: PlanText, given?: StartingProgram): Branch {
    const { problem, lang } = this.opts;
    const abort = new AbortController();
    setMaxListeners(0, abort.signal);
    const onRunAbort = () => abort.abort();
    if (this.abort.signal.aborted) abort.abort();
    else this.abort.signal.addEventListener('abort', onRunAbort, { once: true });
    const { emit, tell } = this.turns.hold(p.index, abort.signal, this.abort.signal, (e) => this.emit(e));
    const candidates: Candidate[] = [];
    const test = async (code: string, step: StepRef, round: number, known?: JudgeReport) => {
      const c = await this.test(code, step, p.index, round, abort.signal, emit, known);
      candidates.push(c);
      return c;
    };
    const algorithm = this.retrieval?.algorithm ?? '';
    const outcome = (async (): Promise<BranchOutcome> => {
      const code = given !== undefined
        ? { ok: true, value: given.code }
        : await this.runner.run(codingCall(problem, lang, algorithm, p.plan, p.index), abort.signal, emit);
      if (!code.ok) return { candidates }; // protocol fallback: no usable program, try the next plan
      const first = given?.round ?? 0;
      const step: StepRef = given?.round !== undefined ? { kind: 'stress', agent: 'coding', plan: p.index, round: first } : { kind: 'code', agent: 'coding', plan: p.index };
      let cand = await test(code.value, step, first, given?.report);
      let plan = p.plan;
      // An unverified or judge-error verdict is not the program's fault: never debugged.
      for (let round = first + 1; !accepted(cand) && !unjudged(cand) && round <= this.t; round++) {
        const fix = await this.runner.run(debugCall(problem, lang, algorithm, plan, cand.code, cand.report, p.index, round), abort.signal, emit);
        if (!fix.ok) break;
        if (fix.value.plan) plan = fix.value.plan;
        cand = await test(fix.value.code, { kind: 'debug', agent: 'debugging', plan: p.index, round }, round);
      }
      if (cand.report.verdict === 'JE') throw judgeError(cand);
      return { candidates, winner: accepted(cand) ? cand : undefined, ...(cand.report.verdict === 'UV' ? { unverified: cand } : {}) };
    })()
      .catch((error: unknown): BranchOutcome => ({ candidates, error }))
      .finally(() => this.abort.signal.removeEventListener('abort', onRunAbort));
    return { abort, outcome, tell };
  }

  /** Judges a program of a plan's branch, in the order the speculative schedule gives the branches. */
  private judgeFor(code: string, step: StepRef, plan: number, signal: AbortSignal): Promise<JudgeReport> {
    const { lang } = this.opts;
    const problem = this.tests();
    const priority = () => this.turns.priority(plan);
    const purpose = programName(step);
    return this.turns.judge(plan, signal, (signal, speculative) =>
      this.opts.judge.judge({ code, lang, problem, signal, priority, purpose, ...(speculative ? { quiet: true } : {}) }));
  }

  /** The problem as judged now: its samples, then the inputs stress tests found; through its checker once it has one. */
  private tests(): Problem {
    const problem = this.checker.applyTo(this.opts.problem);
    return this.found.length ? { ...problem, samples: [...problem.samples, ...this.found] } : problem;
  }

  /** An unverified program judged again through a checker; undefined when no checker can be had. */
  private verify(c: Candidate): Promise<Candidate | undefined> {
    return this.checker.verify(c, this.abort.signal, () => this.rejudge(c, 'checker'));
  }

  /** A candidate's program judged again on the tests of now, counted in the ordered schedule. */
  private async rejudge(c: Candidate, kind: 'checker' | 'stress'): Promise<Candidate> {
    const judged = await this.test(c.code, { kind, agent: 'coding', plan: c.plan, round: c.round }, c.plan, c.round, this.abort.signal, (e) => this.emit(e));
    this.commit(judged);
    return judged;
  }

  /**
   * A program that passed the tests of its time, before it is the answer: judged again when stress tests
   * found new inputs since, then stress-tested itself. The program with its failing report when either
   * breaks it; undefined when it holds (or stress tests are off).
   */
  private async challenge(w: Candidate): Promise<StartingProgram | undefined> {
    const retest = async (): Promise<StartingProgram | undefined> => {
      const c = await this.rejudge(w, 'stress');
      return accepted(c) ? undefined : { code: w.code, report: c.report, round: w.round };
    };
    if (w.report.total < sampleCount(this.tests())) {
      const broken = await retest();
      if (broken) return broken;
    }
    if (!this.stress) return undefined;
    // Against a brute force, another valid answer is no difference: stress tests wait for a checker.
    if (this.opts.problem.anyAnswer && !(await this.checker.obtain(w.plan, this.abort.signal))) {
      this.lastCheck = { status: 'no-checker', candidateId: w.id, plan: w.plan, round: w.round, tests: 0 };
      this.emit({ type: 'stress-done', check: this.lastCheck });
      return undefined;
    }
    const check = await this.stress.check(w, this.abort.signal);
    this.lastCheck = check;
    if (check.status !== 'difference' || !check.counterexample) return undefined;
    this.found.push({ input: check.counterexample.input, outputs: [check.counterexample.expected] });
    return retest();
  }

  /** The k plan+confidence chains run concurrently (a LoRA server batches them); best confidence first, ties in retrieval order. */
  private async rankPlans(r: RetrievalResult, onPlan?: (p: PlanText) => void): Promise<RankedPlan[]> {
    const sources: (Exemplar | undefined)[] = r.exemplars.length ? r.exemplars : [undefined];
    const chains = sources.map((ex, i) => this.planChain(r.algorithm, ex, i, onPlan));
    return (await settleAll(chains))
      .filter((p): p is RankedPlan => p !== undefined)
      .sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  }

  private async planChain(algorithm: string, ex: Exemplar | undefined, index: number, onPlan?: (p: PlanText) => void): Promise<RankedPlan | undefined> {
    const { problem, lang } = this.opts;
    try {
      const plan = await this.runner.run(planCall(problem, lang, algorithm, ex, index), this.abort.signal);
      if (!plan.ok) return undefined;
      onPlan?.({ index, plan: plan.value });
      const conf = await this.runner.run(confidenceCall(problem, lang, plan.value, index), this.abort.signal);
      return { index, plan: plan.value, ...conf.value };
    } catch (err) {
      this.abort.abort(); // one chain failed for good: stop its siblings' streams too
      throw err;
    }
  }

  /** Judges a program on the samples (unless its report is already known) and announces it as a candidate. */
  private async test(
    code: string, step: StepRef, plan: number, round: number, signal: AbortSignal, emit: PipelineListener, known?: JudgeReport,
  ): Promise<Candidate> {
    const key = `${this.found.length}\n${this.checker.checked ? 'checked' : ''}\n${code}`;
    const report = known ?? this.reports.get(key) ?? (await this.judgeFor(code, step, plan, signal));
    if (!report.wallClockOnly) this.reports.set(key, report);
    const cand: Candidate = { id: this.nextCandidate++, code, plan, round, report };
    emit({ type: 'candidate', candidate: cand, step });
    return cand;
  }

  /** Counts a candidate in the ordered schedule: the best is the first to pass the most samples. */
  private commit(c: Candidate): void {
    this.candidates.push(c);
    if (!this.best || c.report.passed > this.best.report.passed) this.best = c;
    if (!this.firstSamplePass && passesSamples(c, this.opts.problem)) this.firstSamplePass = c;
  }

  private result(status: SolveResult['status'], winner: Candidate | undefined, error?: string): SolveResult {
    const chosen = winner ?? this.best;
    const total = chosen?.report.total ?? sampleCount(this.opts.problem);
    const first = this.firstSamplePass;
    const stress: StressSummary | undefined = this.lastCheck && {
      status: this.lastCheck.status, tests: this.lastCheck.tests, counterexamples: this.found.length,
      ...(first && chosen && first.code !== chosen.code ? { samplesOnly: { id: first.id, code: first.code } } : {}),
    };
    // A program that passes every sample passed, whatever the tests stress found say (the message does).
    if (status === 'partial' && stress && chosen && passesSamples(chosen, this.opts.problem)) status = 'passed';
    const result: SolveResult = {
      status,
      code: chosen?.code ?? '',
      lang: this.opts.lang,
      passed: chosen?.report.passed ?? 0,
      total,
      chosen: chosen && { id: chosen.id, plan: chosen.plan, round: chosen.round, report: chosen.report },
      candidates: this.candidates.length,
      retrieval: this.retrieval,
      plans: this.plans,
      agents: this.runner.tallies,
      ms: Date.now() - this.started,
      message: '',
      error,
      ...(stress ? { stress } : {}),
    };
    result.message = describe(result, this.opts.problem);
    return result;
  }

  private emit(e: PipelineEvent): void {
    this.opts.onEvent?.(e);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
