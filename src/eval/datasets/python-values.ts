// Turning the benchmark files' JSON values and argument strings into Python source for assert statements.
import { matchBracket, splitTopLevel } from '../../core/problem/pyexpr';

/** A JSON value as a Python literal: true/false/null become True/False/None; strings keep JSON escapes (valid in Python). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const CONSTANT = /^(True|False|None)$/;
const QUOTED = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')$/;

/**
 * One argument written as text, as a Python expression: a number, constant, quoted string or bracketed
 * literal stays as written; anything else is a string. (APPS call-based tests lost their argument types
 * when MapCoder flattened them to text, so `"1"` for a PIN reads as the number 1: a known ambiguity.)
 */
export function argExpr(text: string): string {
  const t = text.trim();
  if (NUMBER.test(t) || CONSTANT.test(t) || QUOTED.test(t)) return t;
  if ('[({'.includes(t[0] ?? ' ') && t.length > 1 && matchBracket(t, 0) === t.length - 1) return t;
  return JSON.stringify(text);
}

/** Parameters of a Python `def` line: how many in all and how many without a default. */
export function paramCounts(signature: string): { all: number; required: number } {
  const open = signature.indexOf('(');
  const close = open >= 0 ? matchBracket(signature, open) : -1;
  if (close < 0) return { all: 0, required: 0 };
  const params = splitTopLevel(signature.slice(open + 1, close), ',')
    .map((p) => p.trim())
    .filter((p) => p && p !== 'self' && !p.startsWith('*'));
  return { all: params.length, required: params.filter((p) => !p.includes('=')).length };
}

/**
 * Splits a flattened call input (one argument per line) into argument texts. A first argument that held
 * line breaks itself shows up as extra lines: the surplus goes to it.
 */
export function splitArgs(input: string, counts: { all: number; required: number }): string[] {
  const lines = input.split('\n');
  if (counts.all <= 1 || lines.length === 1) return [input];
  if (lines.length <= counts.all) return lines;
  const extra = lines.length - counts.all;
  return [lines.slice(0, extra + 1).join('\n'), ...lines.slice(extra + 1)];
}

/** `assert name(args) == expected` (or `in (...)` when several outputs are accepted). */
export function callAssert(name: string, args: string[], outputs: unknown[]): string {
  const call = `${name}(${args.map(argExpr).join(', ')})`;
  return outputs.length === 1 ? `assert ${call} == ${pyRepr(outputs[0])}` : `assert ${call} in (${outputs.map(pyRepr).join(', ')},)`;
}
