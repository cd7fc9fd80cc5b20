// The solve's critical path: the scripted scenarios on a latency-modelled endpoint, run by our
// pipeline and by a strictly sequential MapCoder schedule (the same pipeline with every LLM call
// serialized), against the lower bound of calls that cannot overlap.
import { prefixReuse, type PrefixReuse } from './prefix';
import { PromptSet } from '../src/core/agents/prompts';
import type { PipelineEvent, SolveResult } from '../src/core/events';
import { Judge, type JudgeRequest } from '../src/core/judge';
import { defaultEndpointConfig, LlmClient, type Completion, type CompletionRequest } from '../src/core/llm';
import { solve, type SolveOptions } from '../src/core/pipeline';
import { countTokens, serviceMs, VLLM_7B_SCALED, withLatency, type LatencyModel } from '../test/fixtures/llm-server/latency';
import { startScriptedServer } from '../test/fixtures/llm-server/server';
import { MAX_SUBARRAY, SCENARIOS, scenarioHandler, type Scenario } from './scenarios';
import { median } from './stats';

/** `speculative`: ours with speculative plans (every plan coded and debugged as soon as it exists). */
export type ScheduleMode = 'sequential' | 'ours' | 'speculative';

export interface SolveRun {
  scenario: string;
  mode: ScheduleMode;
  status: SolveResult['status'];
  code: string;
  candidates: number;
  wallMs: number;
  /** Requests sent to the endpoint, discarded speculation included. */
  calls: number;
  /** Calls the pipeline reports (its per-agent tallies). */
  reportedCalls: number;
  completionTokens: number;
  promptTokens: number;
  judgeCalls: number;
  judgeMs: number;
  /** Sum of the modelled service times of the calls that cannot overlap in the MapCoder order, plus their judge times. */
  boundMs: number;
  /** The shortest schedule honouring data dependencies only (see dependencyBoundMs). */
  depBoundMs: number;
  peakBatch: number;
  /** Prompt text sent, and how much of it a server's prefix cache could serve (prefix.ts). */
  prefix: PrefixReuse;
  /** With stress tests: from the first of the step's calls to its last check's end, and how the last check ended. */
  stressMs?: number;
  stress?: SolveResult['stress'];
}

/** Serializes calls: at most one runs at a time, in the order they were asked for. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Counts what the pipeline asks of the endpoint; `serial` makes it the sequential schedule. */
function meteredLlm(llm: LlmClient, serial: boolean, model: LatencyModel) {
  const m = { calls: 0, completionTokens: 0, promptTokens: 0 };
  const mutex = new Mutex();
  const call = async (req: CompletionRequest): Promise<Completion> => {
    m.calls++;
    let chars = 0;
    try {
      const c = await llm.complete({ ...req, onToken: (d) => ((chars += d.length), req.onToken?.(d)) });
      m.completionTokens += c.usage.completionTokens;
      m.promptTokens += c.usage.promptTokens;
      return c;
    } catch (e) {
      // A cancelled call still cost its prompt and whatever it streamed.
      m.completionTokens += Math.ceil(chars / model.charsPerToken);
      m.promptTokens += countTokens(req.messages.map((x) => x.content).join(''), model);
      throw e;
    }
  };
  return { m, llm: { complete: (req: CompletionRequest) => (serial ? mutex.run(() => call(req)) : call(req)) } };
}

function meteredJudge(judge: Judge) {
  const times = new Map<string, number>();
  const m = { calls: 0, ms: 0, times };
  return {
    m,
    judge: {
      judge: async (req: JudgeRequest) => {
        const t0 = performance.now();
        const r = await judge.judge(req);
        const ms = performance.now() - t0;
        m.calls++;
        m.ms += ms;
        times.set(req.code, ms);
        return r;
      },
    },
  };
}

/** Modelled LLM service times and measured judge times of one run, by step. */
interface StepTimes {
  retrieval: number;
  /** Per plan (retrieval order): the planning call, and its confidence call. */
  plan: Map<number, number>;
  confidence: Map<number, number>;
  /** Per plan: its coding and debugging calls, each with the judge run after it. */
  branch: Map<number, number>;
}

function stepTimes(events: PipelineEvent[], judgeTimes: Map<string, number>, model: LatencyModel): StepTimes {
  const t: StepTimes = { retrieval: 0, plan: new Map(), confidence: new Map(), branch: new Map() };
  const add = (m: Map<number, number>, plan: number, ms: number) => m.set(plan, (m.get(plan) ?? 0) + ms);
  const judged = new Set<string>();
  for (const e of events) {
    if (e.type === 'agent-finished') {
      const ms = serviceMs(e.usage.promptTokens, e.usage.completionTokens, model);
      const plan = e.step.plan ?? 0;
      if (e.step.kind === 'retrieval') t.retrieval += ms;
      else if (e.step.kind === 'plan') add(t.plan, plan, ms);
      else if (e.step.kind === 'confidence') add(t.confidence, plan, ms);
      else add(t.branch, plan, ms);
    } else if (e.type === 'candidate' && !judged.has(e.candidate.code)) {
      // A program judged before is not run again (the pipeline reuses its report).
      judged.add(e.candidate.code);
      add(t.branch, e.candidate.plan, judgeTimes.get(e.candidate.code) ?? 0);
    }
  }
  return t;
}

/** The slowest plan+confidence chain (the k chains are independent). */
function rankingMs(t: StepTimes): number {
  return Math.max(0, ...[...t.plan.keys()].map((i) => (t.plan.get(i) ?? 0) + (t.confidence.get(i) ?? 0)));
}

/**
 * The lower bound of the MapCoder order: retrieval, then the longest plan+confidence chain, then every
 * coding and debugging call of the plans tried, each followed by its judge run, one plan after the
 * other. LLM times come from the latency model and the calls' token counts; judge times are the ones
 * measured in the run. Computed from an ordered run, whose events hold exactly the plans tried.
 */
export function criticalPathMs(events: PipelineEvent[], judgeTimes: Map<string, number>, model: LatencyModel): number {
  const t = stepTimes(events, judgeTimes, model);
  return t.retrieval + rankingMs(t) + [...t.branch.values()].reduce((a, b) => a + b, 0);
}

/**
 * The lower bound of any schedule that honours only data dependencies: plan i needs retrieval; its
 * confidence needs plan i; its coding needs plan i alone; each debugging round needs the judge report
 * before it; the result needs the ranking (all confidences) and the branches of every plan ranked up to
 * the winner (the plans an ordered run tries). Plans' branches overlap freely, judges included.
 */
export function dependencyBoundMs(events: PipelineEvent[], judgeTimes: Map<string, number>, model: LatencyModel): number {
  const t = stepTimes(events, judgeTimes, model);
  const branches = [...t.branch.entries()].map(([i, ms]) => (t.plan.get(i) ?? 0) + ms);
  return t.retrieval + Math.max(rankingMs(t), ...branches);
}

export async function runScenario(s: Scenario, mode: ScheduleMode, model: LatencyModel, extra: Partial<SolveOptions> = {}): Promise<SolveRun> {
  const server = await startScriptedServer();
  const judge = new Judge();
  try {
    const lat = withLatency(scenarioHandler(s), model, (i) => server.replyOutcome(i));
    server.setHandler(lat.handler);
    const client = new LlmClient(defaultEndpointConfig({ baseUrl: server.url, maxRetries: 0 }));
    const llm = meteredLlm(client, mode === 'sequential', model);
    const j = meteredJudge(judge);
    const events: PipelineEvent[] = [];
    const stress: number[] = [];
    const t0 = performance.now();
    const result = await solve({
      problem: MAX_SUBARRAY, lang: 'python3', k: s.k, t: s.t, llm: llm.llm, judge: j.judge, prompts: PromptSet.load(),
      onEvent: (e) => {
        if (e.type === 'token') return;
        events.push(e);
        const stressStep = (e.type === 'agent-started' && (e.step.kind === 'brute' || e.step.kind === 'generator')) || e.type === 'stress-started' || e.type === 'stress-done';
        if (stressStep) stress.push(performance.now());
      },
      speculate: mode === 'speculative', ...extra,
    });
    const wallMs = performance.now() - t0;
    if (result.status === 'error') throw new Error(`${s.name}/${mode}: ${result.error}`);
    const reported = Object.values(result.agents).reduce((n, a) => n + a.calls, 0);
    return {
      scenario: s.name, mode, status: result.status, code: result.code, candidates: result.candidates, wallMs,
      calls: llm.m.calls, reportedCalls: reported, completionTokens: llm.m.completionTokens, promptTokens: llm.m.promptTokens,
      judgeCalls: j.m.calls, judgeMs: j.m.ms, boundMs: criticalPathMs(events, j.m.times, model),
      depBoundMs: dependencyBoundMs(events, j.m.times, model), peakBatch: lat.peakRunning(), prefix: prefixReuse(server.requests),
      ...(stress.length ? { stressMs: stress[stress.length - 1] - stress[0], stress: result.stress } : {}),
    };
  } finally {
    await judge.dispose();
    await server.close();
  }
}

export interface SolveRow {
  scenario: string;
  what: string;
  seq: SolveRun;
  ours: SolveRun;
  spec: SolveRun;
}

/** Each scenario in both modes, `reps` times (alternating); the run with the median wall time is kept. */
export async function benchSolve(reps: number, model: LatencyModel = VLLM_7B_SCALED, log: (s: string) => void = () => undefined): Promise<SolveRow[]> {
  const rows: SolveRow[] = [];
  for (const s of SCENARIOS) {
    const runs: Record<ScheduleMode, SolveRun[]> = { sequential: [], ours: [], speculative: [] };
    for (let r = 0; r < reps; r++) {
      for (const mode of ['sequential', 'ours', 'speculative'] as const) runs[mode].push(await runScenario(s, mode, model));
    }
    const pick = (xs: SolveRun[]) => {
      const mid = median(xs.map((x) => x.wallMs));
      return xs.find((x) => x.wallMs === mid)!;
    };
    const row = { scenario: s.name, what: s.what, seq: pick(runs.sequential), ours: pick(runs.ours), spec: pick(runs.speculative) };
    for (const other of [row.ours, row.spec]) {
      if (row.seq.code !== other.code || row.seq.status !== other.status || row.seq.candidates !== other.candidates) {
        throw new Error(`${s.name}: the ${other.mode} schedule disagrees with the sequential one on the result`);
      }
    }
    log(`  ${s.name}: ours ${Math.round(row.ours.wallMs)} ms, speculative ${Math.round(row.spec.wallMs)} ms, sequential ${Math.round(row.seq.wallMs)} ms`);
    rows.push(row);
  }
  return rows;
}
