import type { AgentRunner } from './agents/call';
import { bruteCall, generatorCall } from './agents/stress';
import type { Candidate, PipelineListener, StressCheck } from './events';
import type { Judge } from './judge';
import type { CheckerSpec, Lang, Problem, Sample } from './types';
import { DEFAULT_TIME_LIMIT_MS } from './defaults';

/** A generated input larger than this is not "small": the brute force may not finish on it. */
const MAX_INPUT_BYTES = 64 * 1024;
/** The brute force's time limit: generous, it is meant to be slow. */
const bruteTimeLimitMs = (limitMs: number | undefined) => Math.max(5000, 3 * (limitMs ?? DEFAULT_TIME_LIMIT_MS));

export interface StressOptions {
  /** Generated inputs per check; 0 turns stress tests off. */
  tests: number;
  /** The user's own brute force and generator, standing in for the model's (each in any language). */
  brute?: { code: string; lang: Lang };
  generator?: { code: string; lang: Lang };
}

interface Tools {
  brute?: { code: string; lang: Lang };
  generator?: { code: string; lang: Lang };
  /** Generated inputs with the brute force's output on each. */
  tests: Sample[];
}

/**
 * Checks programs that pass every sample against a brute force on generated inputs (agent protocol,
 * section 5). The brute force and the generator are asked of the coding adapter once per run, and the
 * generated tests made once: each later check only runs the new program on them. The brute force is
 * trusted only once it passes every sample (one more ask when the first fails).
 */
export class StressTester {
  private tools?: Promise<Tools>;

  constructor(
    private readonly opts: StressOptions,
    private problem: Problem,
    private readonly lang: Lang,
    private readonly runner: AgentRunner,
    private readonly judge: Pick<Judge, 'judge'>,
    private readonly emit: PipelineListener,
  ) {}

  /** Judges through `checker` from now on (an any-answer problem's, once one is trusted): the brute force's output is one answer of many. */
  useChecker(checker: CheckerSpec): void {
    this.problem = { ...this.problem, checker };
  }

  /** Runs `cand` on the generated tests; the first input where it disagrees with the brute force is the counterexample. */
  async check(cand: Candidate, signal: AbortSignal): Promise<StressCheck> {
    const base = { candidateId: cand.id, plan: cand.plan, round: cand.round };
    this.emit({ type: 'stress-started', plan: cand.plan, round: cand.round, candidateId: cand.id, tests: this.opts.tests });
    const done = (check: StressCheck): StressCheck => {
      this.emit({ type: 'stress-done', check });
      return check;
    };
    // A brute force's output is no test of an interactive program: its interactor is.
    if (this.problem.style.kind !== 'stdio' || this.problem.interactive) return done({ ...base, status: 'unsupported', tests: 0 });
    this.tools ??= this.makeTools(cand.plan, signal);
    const tools = await this.tools;
    const shown = { brute: tools.brute?.code, generator: tools.generator?.code };
    if (!tools.brute) return done({ ...base, ...shown, status: 'untrusted', tests: 0 });
    if (!tools.tests.length) return done({ ...base, ...shown, status: 'no-inputs', tests: 0 });
    const purpose = `stress tests: plan ${cand.plan + 1}${cand.round ? `, round ${cand.round}` : ''} on ${tools.tests.length} generated inputs`;
    const report = await this.judge.judge({ code: cand.code, lang: this.lang, problem: { ...this.problem, samples: tools.tests }, signal, priority: () => 0, purpose });
    const failed = report.tests.find((t) => t.verdict !== 'AC');
    if (!failed && report.verdict === 'AC') return done({ ...base, ...shown, status: 'passed', tests: tools.tests.length });
    const t = failed ?? { input: tools.tests[0].input, actual: report.compile?.message ?? '', verdict: report.verdict };
    const expected = tools.tests.find((s) => s.input === t.input)?.outputs[0] ?? '';
    return done({ ...base, ...shown, status: 'difference', tests: tools.tests.length, counterexample: { input: t.input, expected, actual: t.actual, verdict: t.verdict } });
  }

  private async makeTools(plan: number, signal: AbortSignal): Promise<Tools> {
    const [brute, generator] = await Promise.all([this.trustedBrute(plan, signal), this.generatorProgram(plan, signal)]);
    if (!brute || !generator) return { brute, generator, tests: [] };
    return { brute, generator, tests: await this.generate(brute, generator, signal) };
  }

  /** The user's brute force or the model's, once it passes every sample; the model gets a second ask. */
  private async trustedBrute(plan: number, signal: AbortSignal): Promise<{ code: string; lang: Lang } | undefined> {
    const passes = async (b: { code: string; lang: Lang }) => {
      if (!this.problem.samples.length) return false;
      const r = await this.judge.judge({
        ...b, problem: { ...this.problem, timeLimitMs: bruteTimeLimitMs(this.problem.timeLimitMs) }, signal, priority: () => 0, purpose: 'stress tests: the brute force on the samples',
      });
      return r.verdict === 'AC';
    };
    if (this.opts.brute) return (await passes(this.opts.brute)) ? this.opts.brute : undefined;
    for (let ask = 0; ask < 2; ask++) {
      const reply = await this.runner.run(bruteCall(this.problem, this.lang, plan), signal);
      if (!reply.ok) continue;
      const brute = { code: reply.value, lang: this.lang };
      if (await passes(brute)) return brute;
    }
    return undefined;
  }

  private async generatorProgram(plan: number, signal: AbortSignal): Promise<{ code: string; lang: Lang } | undefined> {
    if (this.opts.generator) return this.opts.generator;
    const reply = await this.runner.run(generatorCall(this.problem, this.lang, plan), signal);
    return reply.ok ? { code: reply.value, lang: this.lang } : undefined;
  }

  /**
   * One input per seed 1..N (the generator's first argument), small and distinct, each with the brute
   * force's output. An input the generator or the brute force fails on is dropped.
   */
  private async generate(brute: { code: string; lang: Lang }, generator: { code: string; lang: Lang }, signal: AbortSignal): Promise<Sample[]> {
    const empty = { ...this.problem, samples: [{ input: '', outputs: [''] }] };
    const seeds = Array.from({ length: this.opts.tests }, (_, i) => String(i + 1));
    const made = await Promise.all(seeds.map((seed) => this.judge.judge({ ...generator, problem: empty, args: [seed], collect: true, signal, priority: () => 0, quiet: true })));
    const inputs = [...new Set(made.filter((r) => r.verdict === 'AC').map((r) => r.tests[0].actual).filter((s) => s.trim() !== '' && Buffer.byteLength(s) <= MAX_INPUT_BYTES))];
    if (!inputs.length) return [];
    const outputs = await this.judge.judge({
      ...brute, collect: true, signal, priority: () => 0, quiet: true,
      problem: { ...this.problem, timeLimitMs: bruteTimeLimitMs(this.problem.timeLimitMs), samples: inputs.map((input) => ({ input, outputs: [''] })) },
    });
    return outputs.tests.filter((t) => t.verdict === 'AC').map((t) => ({ input: t.input, outputs: [t.actual] }));
  }
}
