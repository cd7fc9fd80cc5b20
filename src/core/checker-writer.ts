// A checker for a problem that accepts any valid answer and came without one: asked of the coding
// adapter (as the stress step asks for a brute force), trusted only when it accepts every sample's own
// answer and rejects an empty output and a cut one. Asked once per run, with one more ask when the
// first is not trusted.
import type { AgentRunner } from './agents/call';
import { checkerCall } from './agents/stress';
import type { Judge } from './judge';
import type { CheckerSpec, Lang, Problem, Sample, Verdict } from './types';

export class CheckerWriter {
  private checker?: Promise<CheckerSpec | undefined>;

  constructor(
    private readonly problem: Problem,
    private readonly lang: Lang,
    private readonly runner: AgentRunner,
    private readonly judge: Pick<Judge, 'judge'>,
  ) {}

  /** The trusted checker, or undefined when none could be had. */
  get(plan: number, signal: AbortSignal): Promise<CheckerSpec | undefined> {
    this.checker ??= this.write(plan, signal);
    return this.checker;
  }

  private async write(plan: number, signal: AbortSignal): Promise<CheckerSpec | undefined> {
    if (this.problem.style.kind !== 'stdio' || !this.problem.samples.length) return undefined;
    for (let ask = 0; ask < 2; ask++) {
      const reply = await this.runner.run(checkerCall(this.problem, this.lang, plan), signal);
      if (!reply.ok) continue;
      const checker: CheckerSpec = { kind: 'program', path: 'the checker the model wrote', lang: this.lang, code: reply.value };
      if (await trusted(checker, this.problem.samples, this.judge, signal)) return checker;
    }
    return undefined;
  }
}

/**
 * Whether `checker` judges the samples as a checker must: each sample's own answer accepted, an empty
 * output and the answer without its last token rejected (WA or PE; a judge error is no rejection).
 */
export async function trusted(checker: CheckerSpec, samples: Sample[], judge: Pick<Judge, 'judge'>, signal: AbortSignal): Promise<boolean> {
  const answered = samples.filter((s) => s.outputs.length && s.outputs[0].trim());
  if (!answered.length) return false;
  const verdicts = (outputs: string[]) => judgeOutputs(checker, answered, outputs, judge, signal);
  const [own, empty, cut] = await Promise.all([
    verdicts(answered.map((s) => s.outputs[0])),
    verdicts(answered.map(() => '')),
    verdicts(answered.map((s) => withoutLastToken(s.outputs[0]))),
  ]);
  const rejected = (v: Verdict) => v === 'WA' || v === 'PE';
  return own.every((v) => v === 'AC') && empty.every(rejected) && cut.every(rejected);
}

/** The checker's verdicts on `outputs` as the outputs of the samples: a program that prints them is judged. */
async function judgeOutputs(checker: CheckerSpec, samples: Sample[], outputs: string[], judge: Pick<Judge, 'judge'>, signal: AbortSignal): Promise<Verdict[]> {
  const table = JSON.stringify(Object.fromEntries(samples.map((s, i) => [s.input, outputs[i]])));
  const code = `import json, sys\nsys.stdout.write(json.loads(${JSON.stringify(table)}).get(sys.stdin.read(), ""))\n`;
  const report = await judge.judge({
    code, lang: 'python3', signal, priority: () => 0, quiet: true, purpose: 'the checker on the samples\' answers',
    problem: { samples, asserts: [], style: { kind: 'stdio' }, checker },
  });
  return report.tests.map((t) => t.verdict);
}

/** The answer cut short: its last line gone, or, on one line, its last token. */
function withoutLastToken(answer: string): string {
  const lines = answer.trimEnd().split('\n');
  if (lines.length > 1) return `${lines.slice(0, -1).join('\n')}\n`;
  const tokens = lines[0].trim().split(/\s+/);
  return tokens.length > 1 ? `${tokens.slice(0, -1).join(' ')}\n` : '';
}
