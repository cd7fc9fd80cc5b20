// Line diff for the inline proposal (Myers' O(ND) algorithm). vscode-free so it is unit-tested in Node.
//
// Text is cut into line units that keep their terminators ("a\n", "b\r\n", a last "c" without one), so
// "c" and "c\n" differ and applying the hunks reproduces the proposed text byte for byte.

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

export function diffUnits(a: string[], b: string[]): Hunk[] {
  // Common prefix and suffix never change; trimming them keeps the search small for the usual case.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  for (const [op, ai, bi] of myers(midA, midB)) {
    if (op === '=') {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { oldStart: pre + ai, oldCount: 0, newStart: pre + bi, newLines: [] };
      hunks.push(current);
    }
    if (op === '-') current.oldCount++;
    else current.newLines.push(midB[bi]);
  }
  return hunks;
}

type Step = ['=' | '-' | '+', number, number];

/** The edit script from a to b: each step with the positions in a and b it starts at. */
function myers(a: string[], b: string[]): Step[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back from (n, m) through the saved frontiers, collecting steps in reverse.
  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      steps.push(['=', x, y]);
    }
    if (d > 0) {
      if (down) steps.push(['+', x, --y]);
      else steps.push(['-', --x, y]);
    }
  }
  return steps.reverse();
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
