// A Competitive Companion POST body read as a problem to save: what the page said (readCompanion
// validates the JSON), the Problem it makes, and the batch it came in (a contest sends all its
// problems with one batch id).
import { companionProblem, readCompanion, type CompanionData } from '../problem/companion';
import { ProblemError } from '../problem/error';
import type { Problem } from '../types';

export interface CompanionTask extends CompanionData {
  problem: Problem;
  /** The problem's name as the page gave it ("Untitled problem" when it gave none). */
  name: string;
}

/** The task in a POST body; throws ProblemError with one line when the body is not a Companion problem. */
export function readCompanionTask(body: string): CompanionTask {
  const data = readCompanion(body);
  if (!data) throw new ProblemError('Not a Competitive Companion problem: expected a JSON object with "tests"');
  const problem = companionProblem(data);
  return { ...data, problem, name: problem.title };
}
