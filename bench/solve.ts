// The solve's critical path: the scripted scenarios on a latency-modelled endpoint, run by our
// pipeline and by a strictly sequential MapCoder schedule (the same pipeline with every LLM call
// serialized), against the lower bound of calls that cannot overlap.
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
  /** Sum of the modelled service times of the calls that cannot overlap, plus their judge times. */
  boundMs: number;
  peakBatch: number;
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

/**
 * The lower bound of the run's schedule: retrieval, then the longest plan+confidence chain (the k
 * chains are independent), then every coding and debugging call of the plans tried, each followed by
 * its judge run, in order (each depends on the report before it). LLM times come from the latency
 * model and the calls' token counts; judge times are the ones measured in the run.
 */
export function criticalPathMs(events: PipelineEvent[], judgeTimes: Map<string, number>, model: LatencyModel): number {
  let retrieval = 0;
  const chains = new Map<number, number>();
  let tail = 0;
  for (const e of events) {
    if (e.type === 'agent-finished') {
      const ms = serviceMs(e.usage.promptTokens, e.usage.completionTokens, model);
      if (e.step.kind === 'retrieval') retrieval += ms;
      else if (e.step.kind === 'plan' || e.step.kind === 'confidence') chains.set(e.step.plan ?? 0, (chains.get(e.step.plan ?? 0) ?? 0) + ms);
      else tail += ms;
    } else if (e.type === 'candidate') {
      tail += judgeTimes.get(e.candidate.code) ?? 0;
    }
  }
  return retrieval + Math.max(0, ...chains.values()) + tail;
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
    const t0 = performance.now();
    const result = await solve({
      problem: MAX_SUBARRAY, lang: 'python3', k: s.k, t: s.t, llm: llm.llm, judge: j.judge, prompts: PromptSet.load(),
      onEvent: (e) => void (e.type !== 'token' && events.push(e)), speculate: mode === 'speculative', ...extra,
    });
    const wallMs = performance.now() - t0;
    if (result.status === 'error') throw new Error(`${s.name}/${mode}: ${result.error}`);
    const reported = Object.values(result.agents).reduce((n, a) => n + a.calls, 0);
    return {
      scenario: s.name, mode, status: result.status, code: result.code, candidates: result.candidates, wallMs,
      calls: llm.m.calls, reportedCalls: reported, completionTokens: llm.m.completionTokens, promptTokens: llm.m.promptTokens,
      judgeCalls: j.m.calls, judgeMs: j.m.ms, boundMs: criticalPathMs(events, j.m.times, model), peakBatch: lat.peakRunning(),
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
