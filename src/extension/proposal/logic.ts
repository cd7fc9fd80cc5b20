// The vscode-free half of the inline proposal: what to decorate, how the target range follows the
// user's edits while the proposal shows, and whether Accept may apply, must ask, or must refuse.
import { diffText, hunkEdits, stripEol, type Hunk, type TextEdit } from '../diff';

/** Character offsets in the document. */
export interface OffsetRange {
  start: number;
  end: number;
}

export interface AddedBlock {
  /** Document line the block is shown on. */
  line: number;
  /** `after`: at the end of `line`; `before`: at its start (only at the top of a document). */
  where: 'after' | 'before';
  lines: string[];
}

export interface DecorationPlan {
  removed: number[];
  added: AddedBlock[];
}

/**
 * Lines to strike through and where to show added lines. `start` is the (line, character) of the
 * target range's start; hunk units count lines from there.
 */
export function decorationPlan(hunks: Hunk[], start: { line: number; character: number }): DecorationPlan {
  const removed: number[] = [];
  const added: AddedBlock[] = [];
  for (const h of hunks) {
    for (let i = 0; i < h.oldCount; i++) removed.push(start.line + h.oldStart + i);
    if (!h.newLines.length) continue;
    const lines = h.newLines.map(stripEol);
    if (h.oldCount > 0) added.push({ line: start.line + h.oldStart + h.oldCount - 1, where: 'after', lines });
    else if (h.oldStart > 0 || start.character > 0) added.push({ line: start.line + h.oldStart - (h.oldStart > 0 ? 1 : 0), where: 'after', lines });
    else if (start.line > 0) added.push({ line: start.line - 1, where: 'after', lines });
    else added.push({ line: 0, where: 'before', lines });
  }
  return { removed, added };
}

/** Added lines shown inline after their anchor line; all of them are in the hover and in Compare (opened by itself when there are more). */
export const INLINE_PREVIEW_LINES = 3;
const INLINE_LINES = INLINE_PREVIEW_LINES;
const INLINE_CHARS = 160;

/** Lines a proposal adds to `oldText` (the part of the document it replaces). */
export function addedLineCount(oldText: string, proposed: string): number {
  return diffText(oldText, proposed).reduce((n, h) => n + h.newLines.length, 0);
}

/** One line of text standing for an added block: its first lines joined by ⏎, cut, with a count of the rest. */
export function inlinePreview(lines: string[]): string {
  const shown = lines.slice(0, INLINE_LINES).map((l) => l.trim()).join('  ⏎  ');
  const more = lines.length > INLINE_LINES ? `  … +${lines.length - INLINE_LINES} more lines (hover or Compare)` : '';
  const text = shown.length > INLINE_CHARS ? `${shown.slice(0, INLINE_CHARS)}…` : shown;
  return `＋ ${text || '(blank line)'}${more}`;
}

/** One document change as VS Code reports it (offsets in the text before the change). */
export interface ContentChange {
  offset: number;
  length: number;
  text: string;
}

/**
 * `inside`: the user edited the target range itself. `crossing`: an edit began before the range and
 * reached into it (e.g. the statement comment and the code were edited together), so where the
 * answer belongs is no longer known.
 */
export type Touch = 'none' | 'inside' | 'crossing';

const TOUCH_ORDER: Touch[] = ['none', 'inside', 'crossing'];

/** Moves the range with one change; touching includes edits right at its edges (typing at its start or end). */
export function trackChange(range: OffsetRange, touched: Touch, c: ContentChange): { range: OffsetRange; touched: Touch } {
  const changeEnd = c.offset + c.length;
  const delta = c.text.length - c.length;
  // Entirely before the range (a deletion may end right at its start: the range's own text is intact).
  if (changeEnd < range.start || (changeEnd === range.start && c.offset < range.start)) {
    return { range: { start: range.start + delta, end: range.end + delta }, touched };
  }
  if (c.offset > range.end) return { range, touched };
  const now: Touch = c.offset < range.start ? 'crossing' : 'inside';
  const worst = TOUCH_ORDER[Math.max(TOUCH_ORDER.indexOf(touched), TOUCH_ORDER.indexOf(now))];
  return { range: { start: Math.min(range.start, c.offset), end: Math.max(range.end, changeEnd) + delta }, touched: worst };
}

/** VS Code reports a batch of changes against the text before the batch, sorted last-first; apply them in that order. */
export function trackChanges(range: OffsetRange, touched: Touch, changes: readonly ContentChange[]): { range: OffsetRange; touched: Touch } {
  let state = { range, touched };
  for (const c of [...changes].sort((a, b) => b.offset - a.offset)) state = trackChange(state.range, state.touched, c);
  return state;
}

export type AcceptDecision =
  | { kind: 'apply'; edits: TextEdit[] }
  /** The user edited the range: applying replaces their edits, so ask first. */
  | { kind: 'ask'; edits: TextEdit[] }
  | { kind: 'nothing' }
  | { kind: 'refuse'; reason: string };

/**
 * The stale-proposal check. `current` is the target range's text now. Edits are offsets into it,
 * always computed against the current text, so nothing outside what the diff shows ever changes.
 */
export function decideAccept(proposed: string, current: string, touched: Touch): AcceptDecision {
  if (touched === 'crossing') {
    return { kind: 'refuse', reason: 'The statement and the code around the proposal were edited together, so where the answer belongs is no longer clear.' };
  }
  if (current === proposed) return { kind: 'nothing' };
  const edits = hunkEdits(current, diffText(current, proposed));
  return touched === 'none' ? { kind: 'apply', edits } : { kind: 'ask', edits };
}
