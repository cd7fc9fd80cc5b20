import type { PromptSet } from '../core/agents/prompts';
import type { Judge } from '../core/judge';
import { LlmClient, type EndpointConfig } from '../core/llm';
import { solve, DEFAULT_T, type SolveOptions } from '../core/pipeline';
import { AGENTS, type Lang } from '../core/types';
import type { DatasetInfo, EvalProblem } from './datasets';
import { join } from 'node:path';
import { withJudging } from '../core/judge/checker/find';
import type { HiddenJudge, HiddenResult } from './judge/types';
import { runPool } from './pool';
import { agentCounts, endpointFailed, sumAgents, type EvalMode, type EvalRecord } from './record';
import { appendRecord, finishedIds, readRecords, resultsFile } from './results-file';

export interface EvalRunOptions {
  dataset: DatasetInfo;
  modes: EvalMode[];
  lang: Lang;
  /** Exemplars; default the dataset's (5 for HumanEval, 3 elsewhere). */
  k?: number;
  /** Debugging rounds per plan; default 5. */
  t?: number;
  /** Only the first N problems (after dropping those the language cannot be judged in). */
  limit?: number;
  concurrency: number;
  outDir: string;
  /** The endpoint; `plainModel` is used by direct and mapcoder, the per-agent adapters by lite. */
  endpoint: EndpointConfig;
  /** More replicas of the same model (vLLM, llama.cpp): each problem goes to the one with the fewest running. */
  moreEndpoints?: EndpointConfig[];
  /** This machine's part of the dataset: problems i, i + n, i + 2n, ... (0-based i) of the supported ones. */
  shard?: { index: number; count: number };
  prompts: PromptSet;
  /** Judges candidates on the samples during solving. */
  judge: Pick<Judge, 'judge'>;
  /** Judges the final program on the hidden tests. */
  hidden: HiddenJudge;
  signal?: AbortSignal;
  /** Called after each record is written. */
  onRecord?: (r: EvalRecord, done: number, total: number) => void;
  policy?: SolveOptions['policy'];
  /** Stress tests with this many generated inputs per check (MapCoder modes); off when absent or 0, as in the paper. */
  stress?: number;
  /** A folder of checkers, `<id>.checker.<ext>` (testlib.h beside them): samples and hidden tests judge through them. */
  checkers?: string;
}

export interface EvalRunSummary {
  /** Problems of the dataset in this run (after language filter and limit). */
  problems: number;
  /** Problems the language cannot be judged in (function-style tests need python3). */
  unsupported: number;
  /** Records already in the results files and skipped. */
  resumed: number;
  /** Records written by this run. */
  written: number;
  /** Records written by this run whose endpoint failed (not measured). */
  endpointFailed: number;
  cancelled: boolean;
}

/** The results already in `file` were made with other settings: mixing them would corrupt the table. */
export class ResumeMismatchError extends Error {
  override name = 'ResumeMismatchError';
}

/**
 * Solves every (problem, mode) pair not yet in the results files, a bounded number at a time, and
 * appends one record per pair as it finishes. Modes alternate per problem so that a partial run still
 * compares the modes on the same problems. Cancelled solves write nothing.
 */
export async function runEval(opts: EvalRunOptions): Promise<EvalRunSummary> {
  const k = opts.k ?? opts.dataset.defaultK;
  const t = opts.t ?? DEFAULT_T;
  const supported = opts.dataset.problems.filter((p) => !p.langs || p.langs.includes(opts.lang));
  const limited = opts.limit === undefined ? supported : supported.slice(0, opts.limit);
  const problems = opts.shard ? limited.filter((_, i) => i % opts.shard!.count === opts.shard!.index) : limited;
  const done = new Map<EvalMode, Set<string>>();
  for (const mode of opts.modes) {
    const file = resultsFile(opts.outDir, opts.dataset.name, mode);
    const records = readRecords(file);
    const stress = mode === 'direct' ? 0 : (opts.stress ?? 0);
    const other = records.find((r) => r.lang !== opts.lang || r.k !== k || r.t !== t || (r.stress?.tests ?? 0) !== stress);
    if (other) {
      const was = `--lang ${other.lang} --k ${other.k} --t ${other.t} --stress ${other.stress?.tests || 'off'}`;
      throw new ResumeMismatchError(`${file} holds results for ${was}; this run is --lang ${opts.lang} --k ${k} --t ${t} --stress ${stress || 'off'}. Use another --out.`);
    }
    done.set(mode, finishedIds(records));
  }
  const endpoints = [opts.endpoint, ...(opts.moreEndpoints ?? [])];
  const clients = new Map(opts.modes.map((m) => [m, endpoints.map((e) => ({ llm: new LlmClient(m === 'lite' ? { ...e, plainModel: undefined } : e), running: 0 }))]));
  const todo = problems.flatMap((p) => opts.modes.filter((m) => !done.get(m)!.has(p.id)).map((mode) => ({ p, mode })));
  const summary: EvalRunSummary = {
    problems: problems.length,
    unsupported: opts.dataset.problems.length - supported.length,
    resumed: problems.length * opts.modes.length - todo.length,
    written: 0,
    endpointFailed: 0,
    cancelled: false,
  };
  await runPool(
    todo,
    opts.concurrency,
    async ({ p, mode }) => {
      const client = clients.get(mode)!.reduce((a, b) => (b.running < a.running ? b : a));
      client.running++;
      const record = await withChildSignal(opts.signal, (signal) => solveOne({ ...opts, signal }, p, mode, client.llm, k, t)).finally(() => client.running--);
      if (!record || opts.signal?.aborted) return;
      appendRecord(resultsFile(opts.outDir, opts.dataset.name, mode), record);
      summary.written++;
      if (endpointFailed(record)) summary.endpointFailed++;
      opts.onRecord?.(record, summary.resumed + summary.written, todo.length + summary.resumed);
    },
    opts.signal,
  );
  summary.cancelled = opts.signal?.aborted === true;
  return summary;
}

/**
 * Runs `fn` with a signal of its own that follows `parent`: whatever listeners the solve leaves on its
 * signal go away with it, instead of piling up on the run's signal over hundreds of problems.
 */
async function withChildSignal<T>(parent: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const child = new AbortController();
  const onAbort = () => child.abort();
  if (parent?.aborted) child.abort();
  parent?.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(child.signal);
  } finally {
    parent?.removeEventListener('abort', onAbort);
  }
}

/**
 * The problem as judged with checkers: what its statement says (a tolerance, any answer) and its checker
 * in `--checkers DIR`. The exact problem drops both: the comparison published figures use.
 */
function judgedProblems(ep: EvalProblem, checkers: string | undefined): { checked: EvalProblem; exact: EvalProblem } {
  const problem = withJudging(ep.problem, checkers ? join(checkers, `${ep.id}.md`) : undefined);
  const { checker: _checker, anyAnswer: _anyAnswer, ...exact } = problem;
  return { checked: { ...ep, problem }, exact: { ...ep, problem: exact } };
}

async function solveOne(opts: EvalRunOptions, given: EvalProblem, mode: EvalMode, llm: LlmClient, k: number, t: number): Promise<EvalRecord | undefined> {
  const started = Date.now();
  const { checked: ep, exact } = judgedProblems(given, opts.checkers);
  const result = await solve({
    problem: ep.problem, lang: opts.lang, mode: mode === 'direct' ? 'direct' : 'mapcoder', k, t,
    llm, judge: opts.judge, prompts: opts.prompts, signal: opts.signal, policy: opts.policy,
    ...(opts.stress && mode !== 'direct' ? { stress: { tests: opts.stress } } : {}),
  });
  if (result.status === 'cancelled') return undefined;
  let hidden: HiddenResult | undefined;
  let checked: HiddenResult | undefined;
  let judgeError: string | undefined;
  const total = ep.hidden.kind === 'stdio' ? ep.hidden.tests.length : ep.hidden.snippets.length;
  if (!result.code) hidden = { passed: 0, total, verdict: 'CE' };
  else {
    try {
      hidden = await opts.hidden.judgeHidden(result.code, opts.lang, exact, opts.signal);
      if (ep.problem.checker && opts.hidden.usesCheckers) checked = await opts.hidden.judgeHidden(result.code, opts.lang, ep, opts.signal);
    } catch (err) {
      if (opts.signal?.aborted) return undefined;
      judgeError = (err as Error).message;
    }
  }
  const agents = agentCounts(result);
  const solved = hidden !== undefined && hidden.total > 0 && hidden.passed === hidden.total;
  let stress: EvalRecord['stress'];
  if (opts.stress && mode !== 'direct') {
    // The samples-only answer is judged too when stress tests changed it (same run, same trajectory up to there).
    const before = result.stress?.samplesOnly?.code;
    let samplesOnlySolved = solved;
    if (before !== undefined) {
      const h = await opts.hidden.judgeHidden(before, opts.lang, exact, opts.signal).catch(() => undefined);
      samplesOnlySolved = h !== undefined && h.total > 0 && h.passed === h.total;
    }
    stress = { tests: opts.stress, status: result.stress?.status, counterexamples: result.stress?.counterexamples ?? 0, samplesOnlySolved };
  }
  return {
    id: ep.id, dataset: ep.dataset, mode, lang: opts.lang, model: modelLabel(llm.cfg), k, t,
    status: result.status,
    solved,
    code: result.code,
    samples: { passed: result.passed, total: result.total },
    hidden: { passed: hidden?.passed ?? 0, total: hidden?.total ?? total, verdict: hidden?.verdict, available: ep.hiddenAvailable, error: judgeError, judge: opts.hidden.name },
    agents,
    promptTokens: sumAgents(agents, 'promptTokens'),
    completionTokens: sumAgents(agents, 'completionTokens'),
    calls: sumAgents(agents, 'calls'),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    plan: result.chosen?.plan,
    round: result.chosen?.round,
    error: result.error,
    ...(stress ? { stress } : {}),
    ...(checked ? { checked: { ...checked, solved: checked.total > 0 && checked.passed === checked.total } } : {}),
  };
}

function modelLabel(cfg: EndpointConfig): string {
  return cfg.plainModel ?? AGENTS.map((a) => `${a}=${cfg.models[a]}`).join(' ');
}
