// Line diff for the inline proposal, on jsdiff's `diffArrays` (Myers' O(ND) algorithm). vscode-free so
// it is unit-tested in Node.
//
// Text is cut into line units that keep their terminators ("a\n", "b\r\n", a last "c" without one), so
// "c" and "c\n" differ and applying the hunks reproduces the proposed text byte for byte.
import { diffArrays } from 'diff';

/** One change: `oldCount` units removed at unit `oldStart`, replaced by `newLines` (units, terminators kept). */
export interface Hunk {
  oldStart: number;
  oldCount: number;
  /** Where the added units sit in the new text (unit index). */
  newStart: number;
  newLines: string[];
}

/** A replacement in character offsets of the old text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function lineUnits(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A line unit without its terminator, for display. */
export function stripEol(unit: string): string {
  return unit.replace(/\r?\n$/, '');
}

/** The end-of-line a document mostly uses ("\r\n" only when it is the majority). */
export function detectEol(text: string): '\n' | '\r\n' {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** Rewrites every line break of `text` to `eol`. */
export function withEol(text: string, eol: '\n' | '\r\n'): string {
  return text.replace(/\r?\n/g, eol);
}

export function diffText(oldText: string, newText: string): Hunk[] {
  return diffUnits(lineUnits(oldText), lineUnits(newText));
}

/** The changes from `a` to `b` (line units compared exactly), a removal and the addition beside it as one hunk. */
function diffUnits(a: string[], b: string[]): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  let ai = 0;
  let bi = 0;
  for (const change of diffArrays(a, b)) {
    if (!change.added && !change.removed) {
      current = undefined;
      ai += change.count;
      bi += change.count;
      continue;
    }
    if (!current) {
      current = { oldStart: ai, oldCount: 0, newStart: bi, newLines: [] };
      hunks.push(current);
    }
    if (change.removed) {
      current.oldCount += change.count;
      ai += change.count;
    } else {
      current.newLines.push(...change.value);
      bi += change.count;
    }
  }
  return hunks;
}

/** The hunks as character-offset edits of the old text, in order and non-overlapping. */
export function hunkEdits(oldText: string, hunks: Hunk[]): TextEdit[] {
  const starts = [0];
  for (const u of lineUnits(oldText)) starts.push(starts[starts.length - 1] + u.length);
  return hunks.map((h) => ({ start: starts[h.oldStart], end: starts[h.oldStart + h.oldCount], text: h.newLines.join('') }));
}

/** Applies non-overlapping edits given in old-text offsets. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = '';
  let pos = 0;
  for (const e of [...edits].sort((x, y) => x.start - y.start)) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
