import type { Candidate, PipelineEvent, SolveResult, StepRef } from '../core/events';
import type { AgentName, ChatMessage, Lang } from '../core/types';
import { normalizeReply } from './normalize';
import type { ExampleSource, TrainingExample } from './types';

// Which calls of a successful run become training data, and in what form.
//
// Only calls on the path that produced the passing program: the retrieval call; the plan call and the
// confidence call of the plan that solved it (plans never tried, or tried and failed, were not
// validated by a passing program); the coding call of that plan when its program passed as written
// (a program that needed debugging is not a target to imitate); and that plan's debugging rounds that
// led to the passing program or improved on the program before them (a round that passed no more
// samples than its input taught nothing that worked). Per call, the reply used is the attempt the pipeline
// used (the first usable one after format retries); the prompt is identical for every attempt.

/** One agent call as the run saw it: the exact prompt and the used reply. */
export interface CallRecord {
  step: StepRef;
  messages: ChatMessage[];
  raw: string;
  parsed: unknown;
  ok: boolean;
  model: string;
}

export interface Trajectory {
  runId: string;
  lang: Lang;
  k: number;
  promptsHash: string;
  mode: 'mapcoder' | 'direct';
  calls: CallRecord[];
  candidates: { candidate: Candidate; step: StepRef }[];
  result?: SolveResult;
}

/** Gathers a run's events (live, or read back from a trace file) into calls and candidates. */
export function trajectoryOf(events: readonly PipelineEvent[]): Trajectory {
  const started = new Map<string, ChatMessage[]>();
  const t: Trajectory = { runId: '', lang: 'python3', k: 0, promptsHash: '', mode: 'mapcoder', calls: [], candidates: [] };
  for (const e of events) {
    if (e.type === 'run-started') Object.assign(t, { runId: e.runId, lang: e.lang, k: e.k, promptsHash: e.promptsHash, mode: e.mode });
    else if (e.type === 'agent-started') started.set(e.callId, e.messages);
    else if (e.type === 'agent-finished') {
      const messages = started.get(e.callId);
      if (!messages) continue;
      const call: CallRecord = { step: e.step, messages, raw: e.raw, parsed: e.parsed, ok: e.ok, model: e.model };
      // A retried call (same step) replaces its earlier attempt: the last attempt is the one the pipeline used.
      const same = t.calls.findIndex((c) => stepKey(c.step) === stepKey(e.step));
      if (same >= 0) t.calls[same] = call;
      else t.calls.push(call);
    } else if (e.type === 'candidate') t.candidates.push({ candidate: e.candidate, step: e.step });
    else if (e.type === 'done') t.result = e.result;
  }
  return t;
}

function stepKey(s: StepRef): string {
  return `${s.kind}:${s.plan ?? ''}:${s.round ?? ''}`;
}

/** The calls on the path to the chosen program (see the comment at the top), in call order. */
export function successfulPath(t: Trajectory): CallRecord[] {
  const chosen = t.result?.chosen;
  if (!chosen || chosen.plan < 0) return [];
  const plan = chosen.plan;
  const passedAt = new Map<number, number>();
  for (const { candidate } of t.candidates) if (candidate.plan === plan) passedAt.set(candidate.round, candidate.report.passed);
  return t.calls.filter(({ step }) => {
    if (step.kind === 'retrieval') return true;
    if (step.plan !== plan) return false;
    if (step.kind === 'code') return chosen.round === 0;
    if (step.kind !== 'debug') return step.kind !== 'direct';
    const round = step.round ?? 0;
    if (round > chosen.round) return false;
    return round === chosen.round || (passedAt.get(round) ?? 0) > (passedAt.get(round - 1) ?? 0);
  });
}

export interface ExampleContext {
  source: ExampleSource;
  problem: string;
  /** Only these agents' calls become examples (all four when absent). */
  agents?: readonly AgentName[];
}

export interface Extracted {
  examples: TrainingExample[];
  /** Calls on the path that gave no example, with why (fallback reply, unclean rebuild ...). */
  skipped: { step: StepRef; why: string }[];
}

/** Training examples from the given calls: usable replies only, normalised to the protocol's shapes. */
export function examplesFrom(calls: readonly CallRecord[], t: Pick<Trajectory, 'lang' | 'k' | 'promptsHash'>, ctx: ExampleContext): Extracted {
  const out: Extracted = { examples: [], skipped: [] };
  for (const c of calls) {
    if (ctx.agents && !ctx.agents.includes(c.step.agent)) continue;
    if (!c.ok) {
      out.skipped.push({ step: c.step, why: 'the reply was unusable (a parser fallback)' });
      continue;
    }
    const n = normalizeReply(c.step.kind, c.parsed, t.lang, t.k);
    if ('dropped' in n) {
      out.skipped.push({ step: c.step, why: n.dropped });
      continue;
    }
    out.examples.push({
      agent: c.step.agent, kind: c.step.kind, messages: c.messages, reply: n.reply, source: ctx.source, problem: ctx.problem,
      promptsHash: t.promptsHash, model: c.model,
    });
  }
  return out;
}
