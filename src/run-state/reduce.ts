import type { PipelineEvent, StepRef } from '../core/events';
import { emptyStep, lastOf, stepOf, STEPS, type CallRecord, type RunState, type StepName, type StepState } from './state';

// The reducer that folds a run's pipeline events into its state (state.ts), and the end of a run that
// can no longer progress.

/**
 * Folds one pipeline event into `state` and returns it. The state is updated in place: a token is one
 * array push, so a 20,000-token stream costs O(n), where copying per token would be O(n^2). Callers that
 * hand the state out (persistence, the webview) take a `snapshot` instead.
 */
export function reduce(state: RunState, e: PipelineEvent): RunState {
  switch (e.type) {
    case 'token': {
      const call = findCall(state, e.callId);
      if (call) call.chunks.push(e.delta);
      return state;
    }
    case 'run-started':
      state.k = e.k;
      state.t = e.t;
      state.meta.mode = e.mode;
      state.problem = e.problem;
      if (e.stressTests) state.stressTests = e.stressTests;
      if (e.isolation) state.isolation = e.isolation;
      return state;
    case 'agent-started':
      state.calls.push({
        callId: e.callId, step: e.step, model: e.model, attempt: e.attempt, status: 'running', chunks: [], startedAt: e.at,
        ...(e.note ? { note: e.note } : {}),
      });
      refreshStep(state, stepOf(e.step));
      return state;
    case 'agent-finished': {
      const call = findCall(state, e.callId);
      if (!call) return state;
      const judged = e.ok && (e.step.kind === 'code' || e.step.kind === 'debug' || e.step.kind === 'direct');
      call.status = judged ? 'judging' : 'done';
      call.chunks = [e.raw];
      call.model = e.model || call.model;
      call.ms = e.ms;
      call.usage = e.usage;
      call.ok = e.ok;
      call.formatIssues = e.formatIssues;
      if (e.notice) call.note = call.note ? `${call.note}; ${e.notice}` : e.notice;
      if (e.step.kind === 'debug') call.plan = debugPlan(e.parsed);
      refreshStep(state, stepOf(e.step));
      return state;
    }
    case 'agent-failed': {
      const call = findCall(state, e.callId);
      if (!call) return state;
      call.status = 'failed';
      call.error = e.error;
      refreshStep(state, stepOf(e.step));
      return state;
    }
    case 'retrieval-done':
      state.retrieval = e.result;
      refreshStep(state, 'retrieval');
      return state;
    case 'plans-ranked':
      state.plans = e.plans;
      refreshStep(state, 'planning');
      return state;
    case 'candidate': {
      state.candidates.push(e.candidate);
      const call = lastCall(state, (c) => c.status === 'judging' && sameStep(c.step, e.step));
      if (call) call.status = 'done';
      refreshStep(state, stepOf(e.step));
      return state;
    }
    case 'stress-started':
      (state.stress ??= []).push({ status: 'running', candidateId: e.candidateId, plan: e.plan, round: e.round, tests: e.tests });
      refreshStep(state, 'stress');
      return state;
    case 'stress-done': {
      const list = (state.stress ??= []);
      const at = list.findIndex((s) => s.status === 'running' && s.candidateId === e.check.candidateId);
      if (at >= 0) list[at] = e.check;
      else list.push(e.check);
      refreshStep(state, 'stress');
      return state;
    }
    case 'done':
      state.result = e.result;
      state.status = e.result.status;
      state.endedAt = state.meta.startedAt + e.result.ms;
      endRun(state, e.result.status === 'cancelled' ? 'Cancelled.' : e.result.error ?? 'The run ended before this call finished.');
      return state;
  }
}

/**
 * Marks a run that can no longer progress as ended: open calls fail (a program still being judged was
 * interrupted too, so its step does not end with a check mark), unreached steps are skipped.
 */
export function endRun(state: RunState, openCallError: string): void {
  for (const c of state.calls) {
    if (c.status === 'running' || c.status === 'judging') {
      c.error = c.status === 'judging' ? `${openCallError} Its program was being tested.` : openCallError;
      c.status = 'failed';
    }
  }
  if (state.stress) state.stress = state.stress.filter((s) => s.status !== 'running'); // a check cut short says nothing
  for (const name of STEPS) refreshStep(state, name);
  for (const name of STEPS) if (state.steps[name].status === 'waiting') state.steps[name].status = 'skipped';
}

function refreshStep(state: RunState, name: StepName): void {
  const step: StepState = emptyStep();
  const intervals: [number, number][] = [];
  let last: CallRecord | undefined;
  for (const c of state.calls) {
    if (stepOf(c.step) !== name) continue;
    last = c;
    if (c.model && !step.models.includes(c.model)) step.models.push(c.model);
    if (c.usage) {
      step.calls++;
      step.promptTokens += c.usage.promptTokens;
      step.completionTokens += c.usage.completionTokens;
    }
    if (c.ms !== undefined) intervals.push([c.startedAt, c.startedAt + c.ms]);
    for (const i of c.formatIssues ?? []) i.recovered ? step.formatRecovered++ : step.formatUnrecovered++;
    if (c.status === 'running' || c.status === 'judging') step.status = 'running';
  }
  step.ms = unionLength(intervals);
  if (name === 'stress' && state.stress?.some((s) => s.status === 'running')) step.status = 'running';
  if (step.status !== 'running') {
    if (last?.status === 'failed') {
      step.status = 'failed';
      step.error = last.error;
    } else if (last || milestoneReached(state, name)) {
      step.status = 'done';
    }
  }
  step.reused = !last && name !== 'stress' && milestoneReached(state, name) ? true : undefined;
  state.steps[name] = step;
}

function milestoneReached(state: RunState, name: StepName): boolean {
  if (name === 'retrieval') return state.retrieval !== undefined;
  if (name === 'planning') return state.plans.length > 0;
  if (name === 'stress') return (state.stress ?? []).some((s) => s.status !== 'running');
  return false;
}

function unionLength(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of intervals) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

function debugPlan(parsed: unknown): string | undefined {
  const plan = (parsed as { plan?: unknown } | null)?.plan;
  return typeof plan === 'string' && plan.trim() ? plan : undefined;
}

function sameStep(a: StepRef, b: StepRef): boolean {
  return a.kind === b.kind && a.plan === b.plan && a.round === b.round;
}

function findCall(state: RunState, callId: string): CallRecord | undefined {
  // The live call is almost always the newest, so search from the end.
  return lastCall(state, (c) => c.callId === callId);
}

function lastCall(state: RunState, pred: (c: CallRecord) => boolean): CallRecord | undefined {
  return lastOf(state.calls, pred);
}
