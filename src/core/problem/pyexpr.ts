// Small, quote-aware scanning of Python-like expressions for building assert statements.

/** The characters of `s` from `from` on that stand outside quotes (a backslash escapes inside quotes). */
function* unquoted(s: string, from = 0): Generator<[number, string]> {
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else yield [i, c];
  }
}

/** Index of the bracket closing the one at `open` (quotes respected), or -1. */
export function matchBracket(s: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (const [i, c] of unquoted(s, open)) {
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (!stack.length) return i;
    }
  }
  return -1;
}

/** Splits at `sep` characters that are outside quotes and brackets. */
export function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (const [i, c] of unquoted(s)) {
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push(s.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(s.slice(from));
  return parts;
}

/** The code before a `#` comment that is outside quotes. */
export function stripComment(s: string): string {
  for (const [i, c] of unquoted(s)) if (c === '#') return s.slice(0, i).trimEnd();
  return s;
}

/** Parameter names of a signature such as `def f(self, a: int, b=2)` or `int f(vector<int>& a, int b)`. */
export function paramNames(signature: string): string[] {
  const open = signature.indexOf('(');
  const close = open >= 0 ? matchBracket(signature, open) : -1;
  if (close < 0) return [];
  return splitTopLevel(signature.slice(open + 1, close), ',')
    .map((p) => p.split(/[:=]/)[0].trim().match(/([A-Za-z_$][\w$]*)\s*$/)?.[1] ?? '')
    .filter((n) => n && n !== 'self');
}

/** JSON-ish literal -> Python: true/false/null outside strings become True/False/None. */
export function pyLiteral(s: string): string {
  return s
    .trim()
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/)
    .map((part, i) =>
      i % 2 ? part : part.replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False').replace(/\bnull\b/g, 'None'),
    )
    .join('');
}
