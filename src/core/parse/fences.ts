// Markdown code fences: ``` or ~~~ (three or more), indented up to three spaces, closed by a fence of the
// same character at least as long. A fence left open runs to the end of the text.

export interface FenceBlock {
  /** The info string after the opening fence, trimmed (`cpp`, `python title="x"`, or ''). */
  info: string;
  /** The lines between the fences, with the opening fence's indentation removed; no final newline. */
  content: string;
  /** Offset of the opening fence line. */
  start: number;
  /** Offset just after the closing fence line (the text's length when unclosed). */
  end: number;
  closed: boolean;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\n]*?)[ \t]*$/;
const CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

interface Line {
  text: string;
  start: number;
  /** Offset after the line's newline (or the text's end). */
  next: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 ? text.length : nl;
    lines.push({ text: text.slice(start, stop).replace(/\r$/, ''), start, next: nl < 0 ? text.length : nl + 1 });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

function unindent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}

export function findFences(text: string): FenceBlock[] {
  const lines = splitLines(text);
  const blocks: FenceBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i].text);
    if (!open) continue;
    const [, indent, fence, info] = open;
    if (fence[0] === '`' && info.includes('`')) continue; // inline code such as ```x``` is not a fence
    const body: string[] = [];
    let j = i + 1;
    let closed = false;
    for (; j < lines.length; j++) {
      const close = CLOSE.exec(lines[j].text);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) {
        closed = true;
        break;
      }
      body.push(unindent(lines[j].text, indent.length));
    }
    const last = closed ? lines[j] : lines[lines.length - 1];
    blocks.push({
      info: info.trim(),
      content: body.join('\n'),
      start: lines[i].start,
      end: closed ? last.start + last.text.length : text.length,
      closed,
    });
    i = j;
  }
  return blocks;
}

/**
 * When the whole (trimmed) text is one fence, its content; otherwise undefined. An opening fence that
 * is never closed also counts (a reply cut short).
 */
export function unwrapFence(text: string): { content: string; closed: boolean } | undefined {
  const t = text.trim();
  const blocks = findFences(t);
  if (blocks.length === 0 || blocks[0].start !== 0) return undefined;
  const b = blocks[0];
  if (b.closed && b.end !== t.length) return undefined;
  return { content: b.content, closed: b.closed };
}
