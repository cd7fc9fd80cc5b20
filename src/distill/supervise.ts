import * as path from 'node:path';
import { AgentRunner, DEFAULT_CALL_POLICY } from '../core/agents/call';
import { codingCall } from '../core/agents/coding';
import { planCall } from '../core/agents/planning';
import type { PipelineEvent, RankedPlan, SolveResult } from '../core/events';
import type { DatasetInfo, EvalProblem } from '../eval/datasets';
import { withFeedback, type Llm } from './endpoints';
import { writeFileAtomic } from './files';
import { runProblems, type LoopSummary } from './loop';
import { callCount, solveJudged, type JudgedSolve, type SolveSetup } from './solve-judged';
import { askSupervisor, feedbackParagraph, type Blame } from './supervisor';
import { examplesFrom, trajectoryOf } from './trajectory';
import type { DistillRecord, TrainingExample } from './types';

export interface SuperviseOptions extends SolveSetup {
  dataset: DatasetInfo;
  limit?: number;
  concurrency: number;
  outDir: string;
  student: Llm;
  supervisor: Llm;
  signal?: AbortSignal;
  onProgress?: (line: string, r: DistillRecord) => void;
}

export const superviseFile = (outDir: string) => path.join(outDir, 'supervise.jsonl');
export const summaryFile = (outDir: string) => path.join(outDir, 'supervise-summary.json');

export interface SuperviseSummary {
  problems: number;
  /** The student's own final program passed every hidden test. */
  studentSolved: number;
  /** Failed runs the supervisor was asked about. */
  supervised: number;
  /** Supervisor replies that named an agent, per agent, and those that named none. */
  blame: { planning: number; coding: number; none: number };
  /** Re-runs whose program then passed every hidden test, per blamed agent. */
  corrected: { planning: number; coding: number };
  /** corrected / blamed, per agent and overall (null when nothing was blamed). */
  correctionRate: { planning: number | null; coding: number | null; overall: number | null };
  examples: number;
}

/**
 * Supervisor-guided correction. The student solves; when its final program fails the hidden tests the
 * supervisor names the agent most to blame with feedback; only that agent is re-run with the feedback
 * appended to its prompt, then the pipeline goes on downstream (coding and debugging after a new plan,
 * testing and debugging after new code). A correction that passes yields one example: the blamed
 * agent's new reply under its ordinary prompt. A coding correction counts for the example only when
 * the new program passed on its own (not after further debugging rounds).
 */
export async function runSupervise(opts: SuperviseOptions): Promise<{ loop: LoopSummary; summary: SuperviseSummary }> {
  const supported = opts.dataset.problems.filter((p) => !p.langs || p.langs.includes(opts.lang));
  const loop = await runProblems({
    problems: opts.limit === undefined ? supported : supported.slice(0, opts.limit),
    file: superviseFile(opts.outDir),
    concurrency: opts.concurrency,
    signal: opts.signal,
    onProgress: opts.onProgress,
    sameSettings: (r) => (r.lang !== opts.lang || r.k !== opts.k || r.t !== opts.t ? `--lang ${r.lang} --k ${r.k} --t ${r.t}` : undefined),
    work: (ep, signal) => superviseOne({ ...opts, traceDir: opts.traceDir && path.join(opts.traceDir, 'supervise') }, ep, signal),
  });
  const summary = superviseSummary(loop.records);
  writeFileAtomic(summaryFile(opts.outDir), `${JSON.stringify(summary, null, 2)}\n`);
  return { loop, summary };
}

async function superviseOne(opts: SuperviseOptions, ep: EvalProblem, signal?: AbortSignal): Promise<DistillRecord | undefined> {
  const started = Date.now();
  const first = await solveJudged(opts, ep, opts.student, signal, ep.id);
  if (!first) return undefined;
  const { result, hidden } = first;
  const record: DistillRecord = {
    id: ep.id, dataset: ep.dataset, source: 'supervise', lang: opts.lang, k: opts.k, t: opts.t, status: result.status, kept: false, reason: '',
    samples: { passed: result.passed, total: result.total }, hidden, examples: [], promptsHash: opts.prompts.hash,
    calls: callCount(result), seconds: 0, error: result.error,
  };
  const finish = (reason: string) => {
    record.reason = reason;
    record.seconds = Math.round((Date.now() - started) / 100) / 10;
    return record;
  };
  if (result.status === 'error') return finish(`the student's run stopped: ${result.error}`);
  if (hidden.error) return finish(`the hidden judge failed: ${hidden.error}`);
  if (first.solved) return finish('the student solved it');
  const ranked = result.chosen && result.plans.find((p) => p.index === result.chosen!.plan);
  if (!result.retrieval || !ranked || !result.chosen) return finish('no program to supervise');

  const answer = await askSupervisor(opts.supervisor, opts.prompts, {
    problem: ep.problem, lang: opts.lang, algorithm: result.retrieval.algorithm, plan: ranked.plan, code: result.code,
    samples: result.chosen.report, hidden,
  }, signal);
  if (signal?.aborted) return undefined;
  record.calls++;
  if (!answer.blame) {
    record.supervision = { corrected: false };
    return finish('the supervisor named no agent');
  }
  const rerun = await correct(opts, ep, result, ranked, answer.blame, signal);
  if (!rerun) return undefined;
  record.calls += rerun.calls;
  record.supervision = {
    blame: answer.blame.agent, feedback: answer.blame.feedback, corrected: rerun.run?.solved ?? false,
    samples: rerun.run && { passed: rerun.run.result.passed, total: rerun.run.result.total },
    hidden: rerun.run && { passed: rerun.run.hidden.passed, total: rerun.run.hidden.total },
  };
  record.examples = rerun.examples;
  record.kept = rerun.examples.length > 0;
  return finish(`${answer.blame.agent} blamed; ${rerun.outcome}`);
}

interface Correction {
  run?: JudgedSolve;
  examples: TrainingExample[];
  calls: number;
  outcome: string;
}

/** Re-runs the blamed agent with the feedback, then the rest of the pipeline from there. undefined: cancelled. */
async function correct(
  opts: SuperviseOptions, ep: EvalProblem, result: SolveResult, ranked: RankedPlan, blame: Blame, signal?: AbortSignal,
): Promise<Correction | undefined> {
  const retrieval = result.retrieval!;
  const events: PipelineEvent[] = [];
  // The feedback goes into the request only; the runner's events keep the ordinary prompt for the example.
  const runner = new AgentRunner(withFeedback(opts.student, feedbackParagraph(blame.feedback)), opts.prompts, (e) => e.type !== 'token' && events.push(e), {
    ...DEFAULT_CALL_POLICY, ...opts.policy,
  });
  const call = blame.agent === 'planning'
    ? planCall(ep.problem, opts.lang, retrieval.algorithm, retrieval.exemplars[ranked.index], ranked.index)
    : codingCall(ep.problem, opts.lang, retrieval.algorithm, ranked.plan, ranked.index);
  let reply;
  try {
    reply = await runner.run<string>(call, signal ?? new AbortController().signal);
  } catch (err) {
    if (signal?.aborted) return undefined;
    return { examples: [], calls: 1, outcome: `the re-run failed: ${(err as Error).message}` };
  }
  const calls = runner.tallies[blame.agent].calls;
  if (!reply.ok) return { examples: [], calls, outcome: `the re-run ${blame.agent} reply was unusable` };
  const from = blame.agent === 'planning'
    ? { retrieval, plans: [{ ...ranked, plan: reply.value }] }
    : { retrieval, plans: [ranked], program: { code: reply.value } };
  const run = await solveJudged(opts, ep, opts.student, signal, `${ep.id}.rerun`, from);
  if (!run) return undefined;
  const total = calls + callCount(run.result);
  if (!run.solved) return { run, examples: [], calls: total, outcome: `the re-run passes ${run.hidden.passed} of ${run.hidden.total} hidden tests` };
  if (blame.agent === 'coding' && run.result.chosen?.round !== 0) {
    return { run, examples: [], calls: total, outcome: 'corrected, but only after debugging rounds: no coding example' };
  }
  const trajectory = trajectoryOf(events);
  const got = examplesFrom(trajectory.calls, { lang: opts.lang, k: opts.k, promptsHash: opts.prompts.hash }, { source: 'supervise', problem: `${ep.dataset}/${ep.id}` });
  return { run, examples: got.examples, calls: total, outcome: got.examples.length ? `corrected: 1 ${blame.agent} example` : `corrected, but ${got.skipped[0]?.why ?? 'no example'}` };
}

export function superviseSummary(records: DistillRecord[]): SuperviseSummary {
  const s: SuperviseSummary = {
    problems: records.length, studentSolved: 0, supervised: 0, blame: { planning: 0, coding: 0, none: 0 }, corrected: { planning: 0, coding: 0 },
    correctionRate: { planning: null, coding: null, overall: null }, examples: 0,
  };
  for (const r of records) {
    if (!r.hidden.error && r.hidden.total > 0 && r.hidden.passed === r.hidden.total) s.studentSolved++;
    s.examples += r.examples.length;
    const sup = r.supervision;
    if (!sup) continue;
    s.supervised++;
    if (!sup.blame) {
      s.blame.none++;
      continue;
    }
    s.blame[sup.blame]++;
    if (sup.corrected) s.corrected[sup.blame]++;
  }
  const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : null);
  s.correctionRate = {
    planning: rate(s.corrected.planning, s.blame.planning),
    coding: rate(s.corrected.coding, s.blame.coding),
    overall: rate(s.corrected.planning + s.corrected.coding, s.blame.planning + s.blame.coding),
  };
  return s;
}
