// Samples in Markdown code fences, labelled by the fence's info string (```input), the line just above
// (**Sample input**, ### Input 1, Input:) or a sample heading (## Sample 1) with input then output.
import { resolveLang } from '../judge/languages';
import type { Sample } from '../types';
import { COPY_BUTTON, joinBlock, stripMarkup } from './text';

export interface Fence {
  info: string;
  /** content lines, dedented by the fence's own indentation */
  lines: string[];
  /** line index of the opening and closing fence lines (close = lines.length when unclosed) */
  open: number;
  close: number;
}

export function findFences(text: string): Fence[] {
  const lines = text.split('\n');
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i]);
    if (!m) continue;
    const [, indent, marker, info] = m;
    const closeRe = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !closeRe.test(lines[j])) j++;
    const body = lines.slice(i + 1, j).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    fences.push({ info: info.trim(), lines: body, open: i, close: j });
    i = j;
  }
  return fences;
}

type Role = 'input' | 'output' | 'start' | 'none' | 'code';

/** What a label says a fence holds; the short words "in"/"out" count only in an info string. */
function roleOf(label: string, isInfo: boolean): Role {
  const inp = (isInfo ? /\b(input|stdin|in)\b|入力/i : /\b(input|stdin)\b|入力/i).test(label);
  const out = (isInfo ? /\b(output|stdout|out|expected|answer)\b|出力/i : /\b(output|stdout|expected)\b|出力/i).test(label);
  if (inp !== out) return inp ? 'input' : 'output';
  return /\b(sample|example|test)s?\b|入出力例/i.test(label) ? 'start' : 'none';
}

/** A label "says" which sample it is: a number, "sample", "example": explicit, unlike a bare "Input". */
const isExplicit = (label: string) => /\d|sample|example|test|例/i.test(label);

/**
 * A sample written as markdownSamples reads it back: an input fence, a blank line, an output fence.
 * Each fence is longer than any run of backticks in its text, so no line inside can close it; read
 * with `exact`, the text comes back byte for byte (a text lacking its final newline gets one).
 */
export function sampleFences(s: Sample): string {
  const fence = (label: string, text: string) => {
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const ticks = '`'.repeat(Math.max(3, longest + 1));
    return `${ticks}${label}\n${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${ticks}`;
  };
  return `${fence('input', s.input)}\n\n${fence('output', s.outputs[0] ?? '')}`;
}

/** A fence's lines as sample text, each line with its newline: trailing spaces and blank lines kept. */
const exactBlock = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

/**
 * The samples in fences. `exact`: each fence's text as it stands (for files sampleFences wrote, whose
 * trailing spaces and blank lines are the page's bytes); otherwise trimmed like pasted text.
 */
export function markdownSamples(text: string, opts: { exact?: boolean } = {}): Sample[] {
  const block = opts.exact ? exactBlock : joinBlock;
  const lines = text.split('\n');
  const fences = findFences(text);
  const underSampleAt = sampleHeadingAbove(lines);
  const classified = fences.map((f, k) => {
    const tag = f.info.split(/\s+/)[0] ?? '';
    if (tag && resolveLang(tag)) return { f, role: 'code' as Role, explicit: false };
    const fromInfo = f.info ? roleOf(f.info, true) : 'none';
    if (fromInfo !== 'none') return { f, role: fromInfo, explicit: true };
    // the nearest non-blank line above, unless it closes the previous fence; a copy button's "Copy" is no label
    let j = f.open - 1;
    while (j >= 0 && (lines[j].trim() === '' || COPY_BUTTON.test(lines[j].trim()))) j--;
    const prev = fences[k - 1];
    const label = j >= 0 && !(prev && prev.close === j) ? stripMarkup(lines[j]) : '';
    const role = label && label.length <= 80 ? roleOf(label, false) : 'none';
    // a bare "Input" label is explicit too under a "Sample"/"Example" heading (input/output headings skipped)
    const above = (label ? j : f.open) - 1;
    const underSample = above >= 0 && underSampleAt[above];
    return { f, role, explicit: role !== 'none' && (isExplicit(label) || underSample) };
  });

  const pair = (useAll: boolean): Sample[] => {
    const samples: Sample[] = [];
    let pending: string | undefined;
    for (const { f, role, explicit } of classified) {
      const content = block(f.lines);
      const counts = useAll || explicit;
      if ((role === 'input' || role === 'start') && counts) pending = content;
      else if ((role === 'output' && counts) || (role === 'none' && pending !== undefined)) {
        if (pending !== undefined) samples.push({ input: pending, outputs: [content] });
        pending = undefined;
      }
    }
    return samples;
  };
  const explicitOnly = pair(false);
  return explicitOnly.length ? explicitOnly : pair(true);
}

/**
 * For each line: whether the nearest heading at or above it, input/output headings skipped, is a
 * "Sample"/"Example" heading. One pass, so a statement of many fences parses in linear time.
 */
function sampleHeadingAbove(lines: string[]): boolean[] {
  const under: boolean[] = [];
  let current = false;
  for (const line of lines) {
    if (/^\s{0,3}#{1,6}\s/.test(line)) {
      const role = roleOf(stripMarkup(line), false);
      if (role !== 'input' && role !== 'output') current = role === 'start';
    }
    under.push(current);
  }
  return under;
}
