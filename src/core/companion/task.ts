// A Competitive Companion POST body read as a problem to save: the Problem (parseCompanion validates the
// JSON and reads tests and limits), plus what names its files (group: the contest; name: the problem).
import { parseCompanion } from '../problem/companion';
import { ProblemError } from '../problem/error';
import type { Problem } from '../types';

export interface CompanionTask {
  problem: Problem;
  name: string;
  /** The contest ("Codeforces - Round 900 (Div. 2)"); may be empty. */
  group: string;
  url?: string;
}

/** The task in a POST body; throws ProblemError with one line when the body is not a Companion problem. */
export function readCompanionTask(body: string): CompanionTask {
  const problem = parseCompanion(body);
  if (!problem) throw new ProblemError('Not a Competitive Companion problem: expected a JSON object with "tests"');
  const data = JSON.parse(body) as { name?: unknown; group?: unknown };
  return {
    problem,
    name: problem.title,
    group: typeof data.group === 'string' ? data.group.trim() : '',
    ...(problem.url ? { url: problem.url } : {}),
  };
}
