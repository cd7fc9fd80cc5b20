import type { Candidate } from '../core/events';
import { chosenPlace } from '../core/pipeline/words';
import type { TestResult } from '../core/types';
import { lastOf, type CallRecord, type RunState, type RunStatus } from './state';

// A run's state in the words and groupings the panel and the CodeLens show.

/** One debugging round as the panel shows it: what failed before, and what the round produced. */
export interface DebugRound {
  plan: number;
  round: number;
  failing: TestResult[];
  /** Verdict of the program being debugged (CE shows the compiler message instead of samples). */
  before?: Candidate;
  after?: Candidate;
  call?: CallRecord;
}

/** A run whose program fails some of its tests: it is offered ("Keep anyway"), not recommended ("Accept"). */
export function keepAnyway(status: RunStatus): boolean {
  return status !== 'passed' && status !== 'untested';
}

/** What keeping a program that is not recommended is called: an unverified one is no failure. */
export function keepLabel(status: RunStatus): string {
  return status === 'unverified' ? 'Keep (unverified)' : 'Keep anyway';
}

export const RUN_LABEL: Record<RunStatus, string> = {
  running: 'Running', passed: 'Passed', untested: 'Untested', partial: 'Partial', failed: 'Failed', unverified: 'Unverified', error: 'Error', cancelled: 'Cancelled',
};

/** The panel's final line, e.g. "Passed 3/3 (plan 2, debugging round 1)". The place is worded as in the core's messages. */
export function finalSummary(r: RunState): string {
  if (r.interrupted) return 'Interrupted';
  const res = r.result;
  if (!res) return RUN_LABEL[r.status];
  const c = res.chosen;
  if (!c) return res.status === 'untested' ? 'Untested' : RUN_LABEL[res.status];
  const where = chosenPlace(c);
  if (res.status === 'untested') return `Untested${where}`;
  return `${RUN_LABEL[res.status]} ${res.passed}/${res.total}${where}`;
}

/** The debugging rounds in the order they ran, each paired with the program it started from. */
export function debugRounds(state: RunState): DebugRound[] {
  const rounds: DebugRound[] = [];
  const debugCalls = state.calls.filter((c) => c.step.kind === 'debug');
  const keys = new Set<string>();
  for (const c of debugCalls) keys.add(`${c.step.plan ?? 0}:${c.step.round ?? 0}`);
  for (const key of keys) {
    const [plan, round] = key.split(':').map(Number);
    // The program the round started from, as last judged (stress tests may have judged it again on more tests).
    const before = lastOf(state.candidates, (c) => c.plan === plan && c.round === round - 1);
    const after = state.candidates.find((c) => c.plan === plan && c.round === round);
    const call = lastOf(debugCalls, (c) => c.step.plan === plan && c.step.round === round);
    rounds.push({ plan, round, before, after, call, failing: before ? before.report.tests.filter((t) => t.verdict !== 'AC') : [] });
  }
  return rounds;
}
