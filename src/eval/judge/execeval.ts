// Client for an ExecEval server (ntunlp/ExecEval, the judge MapCoder used): POST /api/execute_code with
// {language, source_code, unittests: [{input, output: [...]}], limits, ...}; the answer is
// {data: [{input, output, result, exec_outcome, ...}]} or, on a bad job, {error} with status 400.
import type { Lang, Verdict } from '../../core/types';
import type { EvalProblem } from '../datasets';
import { harnessSource, PASSED_MARK } from './python-harness';
import { summarize, type HiddenJudge, type HiddenResult } from './types';

/** ExecEval runtime names (its `runtime_name`s) for our languages. */
export const EXECEVAL_LANGS: Record<Lang, string> = {
  python3: 'Python 3',
  cpp: 'GNU C++17',
  c: 'GNU C11',
  java: 'Java 17',
  javascript: 'Node.js',
  rust: 'Rust 2021',
};

/** Open-file and process limits as ExecEval's own limits_by_lang.yaml sets them (JVM and Node need more). */
const LANG_LIMITS: Record<Lang, Record<string, number>> = {
  python3: { nofile: 4 },
  cpp: { nofile: 0 },
  c: { nofile: 0 },
  java: { nofile: 25, nproc: 23 },
  javascript: { nofile: 25, nproc: 25 },
  rust: { nofile: 4 },
};

const OUTCOMES: Record<string, Verdict> = {
  PASSED: 'AC',
  WRONG_ANSWER: 'WA',
  TIME_LIMIT_EXCEEDED: 'TLE',
  RUNTIME_ERROR: 'RE',
  COMPILATION_ERROR: 'CE',
  MEMORY_LIMIT_EXCEEDED: 'MLE',
};

export interface ExecEvalUnittest {
  input: string;
  output: string[];
}

export interface ExecEvalOptions {
  /** Time limit when the problem names none. */
  defaultTimeLimitMs?: number;
  /** Longest wait for one server answer. */
  requestTimeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** A judge server answered with something other than results (after every server in the pool was tried). */
export class ExecEvalError extends Error {
  override name = 'ExecEvalError';
}

/**
 * Judges hidden tests on a pool of ExecEval servers, round-robin per program; a server that cannot be
 * reached is skipped for that program and the next one tried. Function-style tests run through the
 * Python harness in one-snippet mode: unittest i has input "i" and expects PASSED.
 */
export class ExecEvalJudge implements HiddenJudge {
  /** ExecEval compares outputs itself. */
  readonly usesCheckers = false;
  private next = 0;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly urls: string[],
    private readonly opts: ExecEvalOptions = {},
  ) {
    if (!urls.length) throw new ExecEvalError('no ExecEval URL given');
    this.fetchImpl = opts.fetchImpl ?? fetch;
  }

  async judgeHidden(code: string, lang: Lang, ep: EvalProblem, signal?: AbortSignal): Promise<HiddenResult> {
    const timeMs = ep.problem.timeLimitMs ?? this.opts.defaultTimeLimitMs ?? 5000;
    if (ep.hidden.kind === 'stdio') {
      return summarize(await this.execute(lang, code, ep.hidden.tests.map((t) => ({ input: t.input, output: t.outputs })), timeMs, ep.problem.memoryLimitMb, signal));
    }
    if (lang !== 'python3') throw new ExecEvalError(`${ep.id}: function-style tests need python3 (got ${lang})`);
    const source = harnessSource(code, ep.hidden.snippets, timeMs);
    const unittests = ep.hidden.snippets.map((_, i) => ({ input: String(i), output: [PASSED_MARK] }));
    // each unittest loads the program and runs one snippet: allow both within the CPU limit
    return summarize(await this.execute(lang, source, unittests, timeMs * 2, ep.problem.memoryLimitMb, signal));
  }

  /** Runs `source` on `unittests` on the next server of the pool; one verdict per unittest. */
  async execute(lang: Lang, source: string, unittests: ExecEvalUnittest[], timeMs: number, memoryMb: number | undefined, signal?: AbortSignal): Promise<Verdict[]> {
    if (!unittests.length) return [];
    const limits: Record<string, number> = { ...LANG_LIMITS[lang], cpu: Math.max(1, Math.ceil(timeMs / 1000)) };
    if (memoryMb && lang !== 'java' && lang !== 'javascript') limits._as = memoryMb * 1024 * 1024;
    const body = JSON.stringify({
      language: EXECEVAL_LANGS[lang], source_code: source, unittests, limits, block_network: true, stop_on_first_fail: false,
    });
    const errors: string[] = [];
    for (let tried = 0; tried < this.urls.length; tried++) {
      const url = this.urls[this.next++ % this.urls.length];
      let res: Response;
      try {
        res = await this.fetchImpl(`${url.replace(/\/+$/, '')}/api/execute_code`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body,
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.opts.requestTimeoutMs ?? 300_000)]) : AbortSignal.timeout(this.opts.requestTimeoutMs ?? 300_000),
        });
      } catch (err) {
        if (signal?.aborted) throw err;
        errors.push(`${url}: ${(err as Error).message}`);
        continue; // unreachable: try the next server
      }
      const json = (await res.json().catch(() => undefined)) as { data?: { exec_outcome?: string | null }[]; error?: unknown } | undefined;
      if (!json || !Array.isArray(json.data)) {
        throw new ExecEvalError(`${url} answered ${res.status}: ${json?.error !== undefined ? String(json.error).split('\n')[0] : 'no results'}`);
      }
      return unittests.map((_, i) => OUTCOMES[json.data![i]?.exec_outcome ?? ''] ?? 'RE');
    }
    throw new ExecEvalError(`no ExecEval server reachable (${errors.join('; ')})`);
  }

  async dispose(): Promise<void> {}
}
