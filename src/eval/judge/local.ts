import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Judge } from '../../core/judge';
import { scrubbedEnv } from '../../core/judge/env';
import { Limiter } from '../../core/limiter';
import { runProcess } from '../../core/judge/run';
import { sandboxWorks } from '../../core/judge/sandbox';
import type { Lang, Problem } from '../../core/types';
import type { EvalProblem } from '../datasets';
import { harnessSource, parseHarnessOutput } from './python-harness';
import { summarize, type HiddenJudge, type HiddenResult } from './types';

export interface LocalJudgeOptions {
  /** Judges stdio hidden tests; default a new core Judge (disposed with this one). */
  judge?: Pick<Judge, 'judge' | 'dispose'>;
  /** Time limit per snippet when the problem names none (HumanEval and MBPP name none). */
  defaultTimeLimitMs?: number;
  /** Longest one harness process may run, whatever the number of snippets. */
  maxWallMs?: number;
  /** Harness processes at once; default the number of CPUs. */
  parallel?: number;
}

/**
 * The built-in hidden judge. stdio tests go through the core Judge (a Problem whose samples are the
 * hidden tests); Python snippets through the test harness in one process per program under the core's
 * process limits, each snippet under the per-test time limit.
 */
export class LocalHiddenJudge implements HiddenJudge {
  readonly name = 'local';
  readonly usesCheckers = true;
  private readonly judge: Pick<Judge, 'judge' | 'dispose'>;
  private readonly limiter: Limiter;

  constructor(private readonly opts: LocalJudgeOptions = {}) {
    this.judge = opts.judge ?? new Judge();
    this.limiter = new Limiter(opts.parallel ?? Math.max(1, cpus().length));
  }

  async judgeHidden(code: string, lang: Lang, ep: EvalProblem, signal?: AbortSignal): Promise<HiddenResult> {
    if (ep.hidden.kind === 'stdio') {
      const problem: Problem = { ...ep.problem, samples: ep.hidden.tests, asserts: [], style: { kind: 'stdio' } };
      const report = await this.judge.judge({ code, lang, problem, signal });
      return { passed: report.passed, total: report.total, verdict: report.verdict };
    }
    if (lang !== 'python3') throw new Error(`${ep.id}: function-style tests need python3 (got ${lang})`);
    const snippets = ep.hidden.snippets;
    const perTest = ep.problem.timeLimitMs ?? this.opts.defaultTimeLimitMs ?? 5000;
    return this.limiter.run(() => this.runSnippets(code, snippets, perTest, ep.problem.memoryLimitMb, signal), signal);
  }

  private async runSnippets(code: string, snippets: string[], perTestMs: number, memoryLimitMb: number | undefined, signal?: AbortSignal): Promise<HiddenResult> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mapcoder-hidden-'));
    try {
      const nonce = randomBytes(8).toString('hex');
      await writeFile(path.join(dir, 'harness.py'), harnessSource(code, snippets, perTestMs, nonce));
      const wall = Math.min(perTestMs * (snippets.length + 1), this.opts.maxWallMs ?? 120_000) + 1000;
      // The model's code runs here too: in the sandbox wherever the judge's works.
      const r = await runProcess(['python3', '-B', 'harness.py'], { cwd: dir, wallLimitMs: wall, memoryLimitMb, env: scrubbedEnv(dir), signal, sandbox: sandboxWorks() });
      const missing = r.timedOut ? 'TLE' : r.memoryExceeded ? 'MLE' : 'RE';
      return summarize(parseHarnessOutput(r.stdout, snippets.length, missing, nonce));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async dispose(): Promise<void> {
    if (!this.opts.judge) await this.judge.dispose();
  }
}
