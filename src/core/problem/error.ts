/** Thrown by `parseProblem` only for empty input or an invalid Competitive Companion JSON. */
export class ProblemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProblemError';
  }
}
