// Where a wrong answer first departs from the expected output, for people reading a WA: the line and
// column, and both lines around that column ("got 3 4 1 2, expected 3 4 2 1" hides nothing).
import { normalizedLines } from './compare';

export interface Difference {
  /** 1-based, in the lines as compared (each trimmed, trailing blank lines dropped). */
  line: number;
  column: number;
  /** That line of each side, undefined past its end. */
  got?: string;
  expected?: string;
}

/** The first difference of `actual` from `expected` line by line; undefined when the lines agree (a WA by the output cap, or a tolerance miss). */
export function firstDifference(actual: string, expected: string): Difference | undefined {
  const a = normalizedLines(actual);
  const e = normalizedLines(expected);
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] === e[i]) continue;
    let c = 0;
    while (a[i] !== undefined && e[i] !== undefined && c < a[i].length && a[i][c] === e[i][c]) c++;
    return { line: i + 1, column: c + 1, got: a[i], expected: e[i] };
  }
  return undefined;
}

/** Characters of each line shown around the column. */
const WINDOW = 40;

function around(text: string | undefined, column: number): string {
  if (text === undefined) return '(end of output)';
  const from = Math.max(0, Math.min(column - 1 - WINDOW / 2, text.length - WINDOW));
  const shown = text.slice(from, from + WINDOW);
  // quoted as is: the caller makes control characters visible (printable) where it prints
  return `"${from > 0 ? '…' : ''}${shown}${from + WINDOW < text.length ? '…' : ''}"`;
}

/** `line 2, column 5: got "3 4 1 2", expected "3 4 2 1"` (long lines cut around the column). */
export function differenceText(d: Difference): string {
  return `line ${d.line}, column ${d.column}: got ${around(d.got, d.column)}, expected ${around(d.expected, d.column)}`;
}
