// The built-in checkers, chosen by name (`--checker tokens`): what testlib's standard checkers do for
// the usual cases (wcmp, lcmp, rcmp6 with a tolerance, case-insensitive and unordered comparisons).
import type { BuiltinChecker } from '../../types';
import { numbersWithin, tokens, type Tolerance } from '../compare';

/** A checker's word on one output: its verdict and the first line it said. */
export interface CheckOutcome {
  verdict: 'AC' | 'WA' | 'PE' | 'JE';
  message: string;
}

export function builtinCheck(name: BuiltinChecker, output: string, answer: string, tol: Tolerance): CheckOutcome {
  switch (name) {
    case 'lines': return linesCheck(output, answer);
    case 'tokens': return sequenceCheck(tokens(output), tokens(answer), 'token', (a, b) => a === b);
    case 'case-insensitive': return sequenceCheck(tokens(output), tokens(answer), 'token', (a, b) => a.toLowerCase() === b.toLowerCase());
    case 'floats': return sequenceCheck(tokens(output), tokens(answer), 'number', (a, b) => floatsMatch(a, b, tol));
    case 'unordered-tokens': return multisetCheck(tokens(output), tokens(answer), 'token');
    case 'unordered-lines': return multisetCheck(lines(output), lines(answer), 'line');
  }
}

/** Lines with trailing spaces cut and trailing blank lines dropped (as testlib's lcmp reads them). */
function lines(s: string): string[] {
  const all = s.split(/\r?\n|\r/).map((l) => l.trimEnd());
  while (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

/** Exact lines; the same tokens laid out differently is a presentation error. */
function linesCheck(output: string, answer: string): CheckOutcome {
  const got = sequenceCheck(lines(output), lines(answer), 'line', (a, b) => a === b);
  if (got.verdict === 'AC') return got;
  const sameTokens = sequenceCheck(tokens(output), tokens(answer), 'token', (a, b) => a === b).verdict === 'AC';
  return sameTokens ? { verdict: 'PE', message: `the right tokens, laid out differently: ${got.message}` } : got;
}

function sequenceCheck(got: string[], want: string[], what: string, same: (a: string, b: string) => boolean): CheckOutcome {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) {
    if (!same(got[i], want[i])) return { verdict: 'WA', message: `${what} ${i + 1} differs: expected '${short(want[i])}', found '${short(got[i])}'` };
  }
  if (got.length < want.length) return { verdict: 'WA', message: `expected ${want.length} ${what}s, found ${got.length}` };
  if (got.length > want.length) return { verdict: 'WA', message: `expected ${want.length} ${what}s, found more: '${short(got[want.length])}'` };
  return { verdict: 'AC', message: `ok ${want.length} ${what}${want.length === 1 ? '' : 's'}` };
}

function multisetCheck(got: string[], want: string[], what: string): CheckOutcome {
  if (got.length !== want.length) return { verdict: 'WA', message: `expected ${want.length} ${what}s, found ${got.length}` };
  const left = new Map<string, number>();
  for (const w of want) left.set(w, (left.get(w) ?? 0) + 1);
  for (const g of got) {
    const n = left.get(g) ?? 0;
    if (n === 0) return { verdict: 'WA', message: `${what} '${short(g)}' is not in the answer (or appears too often)` };
    left.set(g, n - 1);
  }
  return { verdict: 'AC', message: `ok ${want.length} ${what}${want.length === 1 ? '' : 's'} in any order` };
}

/** Equal numbers within the absolute or the relative error (as testlib's doubleCompare), other tokens exactly. */
function floatsMatch(got: string, want: string, tol: Tolerance): boolean {
  return got === want || numbersWithin(got, want, tol, 1e-15);
}

function short(s: string): string {
  return s.length <= 40 ? s : `${s.slice(0, 37)}...`;
}
