// Output checking as agent-protocol.md "Judging sample tests" describes it.

export interface Tolerance {
  absTol: number;
  relTol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { absTol: 1e-6, relTol: 1e-6 };

/** True when `actual` matches any of the `expected` outputs. */
export function outputsMatch(actual: string, expected: string[], tol: Tolerance = DEFAULT_TOLERANCE): boolean {
  const actualLines = normalizedLines(actual);
  const actualTokens = tokens(actual);
  return expected.some((e) => linesEqual(actualLines, normalizedLines(e)) || tokensMatch(actualTokens, tokens(e), tol));
}

/** Lines with each one trimmed and trailing blank lines dropped. */
export function normalizedLines(s: string): string[] {
  const lines = s.split(/\r?\n|\r/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function linesEqual(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/** Whitespace-separated tokens. */
export function tokens(s: string): string[] {
  return s.split(/\s+/).filter((t) => t !== '');
}

function tokensMatch(actual: string[], expected: string[], tol: Tolerance): boolean {
  return actual.length === expected.length && actual.every((t, i) => tokenMatches(t, expected[i], tol));
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN_WORDS = new Set(['yes', 'no', 'true', 'false']);

function tokenMatches(actual: string, expected: string, tol: Tolerance): boolean {
  if (actual === expected) return true;
  const lower = actual.toLowerCase();
  if (BOOLEAN_WORDS.has(lower)) return lower === expected.toLowerCase();
  // Two integers compare exactly (as big integers): a tolerance would accept 1000000008 for
  // 1000000007. Tolerance applies as soon as either side is written with a fraction or exponent.
  if (INTEGER.test(actual) && INTEGER.test(expected)) return BigInt(actual) === BigInt(expected);
  return numbersWithin(actual, expected, tol);
}

/**
 * Two tokens that are both finite decimal numbers, within the absolute or the relative error of the
 * expected one; `slack` is added to both bounds (testlib's checkers allow 1e-15 for rounding).
 */
export function numbersWithin(actual: string, expected: string, tol: Tolerance, slack = 0): boolean {
  if (!DECIMAL.test(actual) || !DECIMAL.test(expected)) return false;
  const a = Number(actual);
  const e = Number(expected);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return false;
  const diff = Math.abs(a - e);
  return diff <= tol.absTol + slack || diff <= tol.relTol * Math.abs(e) + slack;
}
