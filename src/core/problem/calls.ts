// Examples of a named function written as calls, turned into assert statements:
// explicit `assert f(1) == 2` lines (MBPP), doctests `>>> f(1)` / `2` (HumanEval), and the looser
// `f(1) ==> 2`, `f(1) ➞ 2`, `f(1) returns 2` forms found in docstrings and kata statements.
import { exampleAssert } from './leetcode';
import { matchBracket, pyLiteral, splitTopLevel, stripComment } from './pyexpr';

const escape = (s: string) => s.replace(/[$]/g, '\\$');

/** The call starting at `from` in `text` (`name(...)`, possibly over several lines) and what follows it. */
function callAt(text: string, from: number, name: string): { call: string; end: number } | undefined {
  const open = text.indexOf('(', from + name.length);
  const close = open >= 0 ? matchBracket(text, open) : -1;
  return close < 0 ? undefined : { call: text.slice(from, close + 1), end: close + 1 };
}

function explicitAsserts(text: string, name: string): string[] {
  const re = new RegExp(String.raw`^[ \t]*assert\b[^\n]*\b${escape(name)}\s*\(`, 'gm');
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[0].search(/assert/);
    const call = callAt(text, text.indexOf(name, start), name);
    if (!call) continue;
    const lineEnd = text.indexOf('\n', call.end);
    out.push(text.slice(start, lineEnd < 0 ? text.length : lineEnd).trim());
  }
  return out;
}

function doctestAsserts(text: string, name: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  const usesName = new RegExp(String.raw`\b${escape(name)}\s*\(`);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:"""|''')?\s*>>>\s?(.*)$/.exec(lines[i]);
    if (!m) continue;
    let expr = m[1].trim();
    while (i + 1 < lines.length && /^\s*\.\.\.(\s|$)/.test(lines[i + 1])) expr += ' ' + lines[++i].replace(/^\s*\.\.\.\s?/, '').trim();
    const expected: string[] = [];
    while (i + 1 < lines.length && lines[i + 1].trim() && !/^\s*>>>/.test(lines[i + 1])) {
      const line = lines[++i].trim();
      const q = line.search(/"""|'''/);
      if (q >= 0) {
        if (line.slice(0, q).trim()) expected.push(line.slice(0, q).trim());
        break;
      }
      expected.push(line);
    }
    expr = stripComment(expr);
    if (!usesName.test(expr) || /^print\s*\(/.test(expr) || /^[A-Za-z_]\w*\s*=[^=]/.test(expr)) continue;
    // `>>> f(1) == 2` is already a check; otherwise the shown value (nothing shown: None)
    if (!expected.length && splitTopLevel(expr, '=').length > 1) out.push(`assert ${expr}`);
    else out.push(`assert ${expr} == ${expected.length ? expected.join(' ') : 'None'}`);
  }
  return out;
}

const ARROW = /^\s*;?\s*(?:==>|=>|➞|->|→|==|=|#?\s*(?:should\s+)?returns?)\s*(\S[^\n]*)/;

function arrowAsserts(text: string, name: string): string[] {
  const re = new RegExp(String.raw`^[ \t]*(?:[*-]\s+|for\s+)?(${escape(name)}\s*\()`, 'gim');
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const call = callAt(text, m.index! + m[0].length - m[1].length, name);
    const rest = call && ARROW.exec(text.slice(call.end));
    if (!call || !rest) continue;
    // shown working ("-> 19 - 5 - 6 = 8"): the value is after the last top-level "="
    const value = splitTopLevel(stripComment(rest[1]).replace(/[;.]\s*$/, ''), '=').pop()!.trim();
    if (value) out.push(`assert ${call.call} == ${pyLiteral(value)}`);
  }
  return out;
}

// "For lst = [1,2,3] the output should be 14", "For s = "abc", c = "a", the result should be ('bc',False)"
const FOR_EXAMPLE = /^\s*for\s+([A-Za-z_]\w*\s*=.*?),?\s+the\s+(?:output|result|answer)\s+(?:should\s+be|is|will\s+be)\s+(.+?)\.?\s*$/gim;

function forExampleAsserts(text: string, name: string, params: string[]): string[] {
  return [...text.matchAll(FOR_EXAMPLE)].map((m) => exampleAssert(name, { input: m[1], output: m[2] }, params));
}

/** Asserts for `name` from the examples in `text`, the first kind found winning; [] when none. */
export function callAsserts(text: string, name: string, params: string[] = []): string[] {
  for (const find of [explicitAsserts, doctestAsserts, arrowAsserts, forExampleAsserts]) {
    const found = find(text, name, params);
    if (found.length) return found;
  }
  return [];
}
