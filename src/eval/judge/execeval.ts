// Client for ExecEval servers (ntunlp/ExecEval, the judge MapCoder used): POST /api/execute_code with
// {language, source_code, unittests: [{input, output: [...]}], limits, ...}; the answer is
// {data: [{input, output, result, exec_outcome, ...}]} or, on a bad job, {error} with status 400.
// How ExecEval really judges (read in its code, checked against it by test/execeval): `limits.cpu` is a
// wall-clock timeout in seconds times a per-language factor (Python 3 x3, C/C++ x1, Java x3); limits
// not sent take its built-in defaults (nofile 4, nproc 1), not its limits_by_lang.yaml; a nonzero exit
// with empty stderr is MEMORY_LIMIT_EXCEEDED; a compile error or an unknown runtime is one unittest
// with COMPILATION_ERROR; non-ASCII stdin is a 400; outputs match line by line when stripped lines are
// equal, else token by token with numbers equal within 1e-12 absolute (`nan` equal to any number) and
// yes/no in any case.
import { randomBytes } from 'node:crypto';
import { causeOf } from '../../core/engine/download';
import type { Lang, Verdict } from '../../core/types';
import type { EvalProblem } from '../datasets';
import { harnessSource, oneSnippetVerdict, PASSED_MARK } from './python-harness';
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

/** ExecEval's timelimit_factor per runtime (config.yaml): the wall clock it allows is cpu x this. */
const TIME_FACTOR: Record<Lang, number> = { python3: 3, cpp: 1, c: 1, java: 3, javascript: 3, rust: 1 };

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

/** Room beyond the tests' own time: the compile, the request, a loaded machine. */
const JOB_MARGIN_MS = 60_000;

export interface ExecEvalUnittest {
  input: string;
  output: string[];
}

export interface ExecEvalOptions {
  /** Time limit when the problem names none. */
  defaultTimeLimitMs?: number;
  /** Jobs at once on each server (its gunicorn workers); default 1. */
  concurrency?: number;
  /** Longest wait for one job beyond what its limits allow (default 60 s). */
  marginMs?: number;
  fetchImpl?: typeof fetch;
}

/** A judge server answered with something other than results (after every server in the pool was tried). */
export class ExecEvalError extends Error {
  override name = 'ExecEvalError';
}

interface Server {
  url: string;
  running: number;
  /** It let a job run past its timeout: no new job until it answers a probe again. */
  busySince?: number;
  /** Runtimes it lists (GET /api/all_runtimes), once. */
  runtimes?: Promise<Set<string>>;
}

/**
 * Judges hidden tests on a pool of ExecEval servers, `concurrency` jobs at a time on each, a job going
 * to the server with the fewest running. A server that cannot be reached is skipped for that job and the
 * next one tried. A job that outlives its timeout (from its limits and test count) is never sent again
 * elsewhere, since the first server may still be running it: the job fails with a judge error (retried
 * on the next run) and that server counts as busy, given no new job until it answers a probe.
 * Function-style tests run through the Python harness, one unittest per snippet (input "i").
 */
export class ExecEvalJudge implements HiddenJudge {
  readonly name = 'execeval';
  /** ExecEval compares outputs itself. */
  readonly usesCheckers = false;
  private readonly servers: Server[];
  private readonly fetchImpl: typeof fetch;
  private readonly waiting: (() => void)[] = [];

  constructor(urls: string[], private readonly opts: ExecEvalOptions = {}) {
    if (!urls.length) throw new ExecEvalError('no ExecEval URL given');
    this.servers = urls.map((u) => ({ url: u.replace(/\/+$/, ''), running: 0 }));
    this.fetchImpl = opts.fetchImpl ?? fetch;
  }

  /** Checks once, before a run, that every server answers and has the runtime `lang` needs. */
  async ready(lang: Lang, signal?: AbortSignal): Promise<void> {
    await Promise.all(this.servers.map(async (s) => {
      const have = await this.runtimesOf(s, signal);
      if (!have.has(EXECEVAL_LANGS[lang])) {
        throw new ExecEvalError(`${s.url} has no runtime "${EXECEVAL_LANGS[lang]}" (it lists ${[...have].slice(0, 8).join(', ')}${have.size > 8 ? ', ...' : ''})`);
      }
    }));
  }

  async judgeHidden(code: string, lang: Lang, ep: EvalProblem, signal?: AbortSignal): Promise<HiddenResult> {
    const timeMs = ep.problem.timeLimitMs ?? this.opts.defaultTimeLimitMs ?? 5000;
    if (ep.hidden.kind === 'stdio') {
      const tests = ep.hidden.tests.map((t) => ({ input: t.input, output: t.outputs }));
      const bad = tests.findIndex((t) => /[^\x00-\x7f]/.test(t.input));
      if (bad >= 0) throw new ExecEvalError(`${ep.id}: hidden test ${bad + 1} has non-ASCII input, which ExecEval refuses (its stdin is ASCII)`);
      return summarize(await this.execute(lang, code, tests, timeMs, ep.problem.memoryLimitMb, signal));
    }
    if (lang !== 'python3') throw new ExecEvalError(`${ep.id}: function-style tests need python3 (got ${lang})`);
    const nonce = randomBytes(8).toString('hex');
    const source = harnessSource(code, ep.hidden.snippets, timeMs, nonce);
    const unittests = ep.hidden.snippets.map((_, i) => ({ input: String(i), output: [`${PASSED_MARK}${nonce}`] }));
    // each unittest loads the program and runs one snippet: allow both within the time limit
    const answers = await this.run(lang, source, unittests, timeMs * 2, ep.problem.memoryLimitMb, signal);
    // the harness says a failing snippet's verdict in the output ExecEval calls WRONG_ANSWER
    return summarize(answers.map((a) => (a.outcome === 'WA' ? oneSnippetVerdict(a.result, nonce) : a.outcome)));
  }

  /** Runs `source` on `unittests` on a server of the pool; one verdict per unittest. */
  async execute(lang: Lang, source: string, unittests: ExecEvalUnittest[], timeMs: number, memoryMb: number | undefined, signal?: AbortSignal): Promise<Verdict[]> {
    return (await this.run(lang, source, unittests, timeMs, memoryMb, signal)).map((a) => a.outcome);
  }

  private async run(lang: Lang, source: string, unittests: ExecEvalUnittest[], timeMs: number, memoryMb: number | undefined, signal?: AbortSignal) {
    if (!unittests.length) return [];
    const cpu = Math.max(1, Math.ceil(timeMs / 1000));
    const limits: Record<string, number> = { ...LANG_LIMITS[lang], cpu };
    // ExecEval gives the JVM -Xmx of this and 1 GiB of address space on top; Node's V8 cannot run under one
    if (memoryMb && lang !== 'javascript') limits._as = memoryMb * 1024 * 1024;
    const body = JSON.stringify({
      language: EXECEVAL_LANGS[lang], source_code: source, unittests, limits, block_network: true, stop_on_first_fail: false,
    });
    // each test may take cpu x factor seconds of wall clock (ExecEval's own timeout) plus a second
    const jobMs = unittests.length * (cpu * TIME_FACTOR[lang] + 1) * 1000 + (this.opts.marginMs ?? JOB_MARGIN_MS);
    const errors: string[] = [];
    const tried = new Set<Server>();
    for (;;) {
      const server = await this.acquire(tried, signal);
      if (!server) break;
      tried.add(server);
      try {
        const answer = await this.post(server, body, jobMs, signal);
        const data = answer.data;
        // after a compile error (or an unknown runtime) ExecEval answers one unittest: every test is CE
        if (data.length === 1 && data[0].exec_outcome === 'COMPILATION_ERROR') return unittests.map(() => ({ outcome: 'CE' as Verdict, result: '' }));
        return unittests.map((_, i) => ({ outcome: OUTCOMES[data[i]?.exec_outcome ?? ''] ?? 'RE', result: String(data[i]?.result ?? '') }));
      } catch (err) {
        if (err instanceof UnreachableError) {
          errors.push(err.message);
          continue;
        }
        throw err;
      } finally {
        this.release(server);
      }
    }
    throw new ExecEvalError(`no ExecEval server reachable (${errors.join('; ') || 'every server is busy with a job past its timeout'})`);
  }

  private async post(server: Server, body: string, jobMs: number, signal?: AbortSignal): Promise<{ data: { exec_outcome?: string | null; result?: unknown }[] }> {
    const timeout = AbortSignal.timeout(jobMs);
    let res: Response;
    try {
      res = await this.fetchImpl(`${server.url}/api/execute_code`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      if (timeout.aborted) throw this.overdue(server, jobMs);
      throw new UnreachableError(`${server.url}: ${causeOf(err)}`);
    }
    let json: { data?: { exec_outcome?: string | null; result?: unknown }[]; error?: unknown } | undefined;
    try {
      json = (await res.json()) as typeof json;
    } catch {
      if (timeout.aborted && !signal?.aborted) throw this.overdue(server, jobMs);
      json = undefined;
    }
    if (!json || !Array.isArray(json.data)) {
      throw new ExecEvalError(`${server.url} answered ${res.status}: ${json?.error !== undefined ? String(json.error).split('\n')[0] : 'no results'}`);
    }
    return { data: json.data };
  }

  /** The job is still running there, perhaps: not sent elsewhere, and the server counts as busy. */
  private overdue(server: Server, jobMs: number): ExecEvalError {
    server.busySince = Date.now();
    return new ExecEvalError(`${server.url} gave no answer within ${Math.round(jobMs / 1000)} s; the job may still run there, so it is not sent to another server (the next run judges it again)`);
  }

  /** A server with a free slot not yet tried for this job (fewest running first), waiting for one if all are full. */
  private async acquire(tried: Set<Server>, signal?: AbortSignal): Promise<Server | undefined> {
    const per = Math.max(1, this.opts.concurrency ?? 1);
    for (;;) {
      signal?.throwIfAborted();
      const left = this.servers.filter((s) => !tried.has(s));
      for (const s of left.filter((x) => x.busySince !== undefined)) await this.probe(s, signal);
      const open = left.filter((s) => s.busySince === undefined);
      if (!open.length) return undefined;
      const free = open.filter((s) => s.running < per).sort((a, b) => a.running - b.running)[0];
      if (free) {
        free.running++;
        return free;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(server: Server): void {
    server.running--;
    this.waiting.shift()?.();
  }

  /** A busy server is free again when it answers GET /api/all_runtimes within a few seconds. */
  private async probe(s: Server, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(5000);
    const ok = await this.fetchImpl(`${s.url}/api/all_runtimes`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout }).then((r) => r.ok, () => false);
    if (ok) s.busySince = undefined;
  }

  private runtimesOf(s: Server, signal?: AbortSignal): Promise<Set<string>> {
    s.runtimes ??= (async () => {
      let res: Response;
      try {
        res = await this.fetchImpl(`${s.url}/api/all_runtimes`, { signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000) });
      } catch (err) {
        throw new ExecEvalError(`ExecEval at ${s.url} does not answer (${causeOf(err)})`);
      }
      const list = (await res.json().catch(() => undefined)) as { runtime_name?: unknown }[] | undefined;
      if (!res.ok || !Array.isArray(list)) throw new ExecEvalError(`${s.url}/api/all_runtimes answered ${res.status}, not a list of runtimes: is it ExecEval?`);
      return new Set(list.map((r) => String(r?.runtime_name)));
    })();
    return s.runtimes;
  }

  async dispose(): Promise<void> {}
}

class UnreachableError extends Error {}
