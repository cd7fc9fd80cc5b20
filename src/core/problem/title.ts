import { SECTION_END, stripMarkup } from './text';

// Headings that name a part of a statement, never the problem itself.
const SECTION = /^(problem(\s+statement)?|statement|description|input|output|examples?\s*\d*|samples?\s*\d*|sample\s+(input|output)\s*\d*|input\s+format|output\s+format|problem\s+description|score|scoring|問題文|入力|出力)$/i;
const LIMITS = /\b(time|memory)\s*limit/i;

const usable = (t: string) => t.length > 0 && t.length <= 120 && !SECTION.test(t) && !SECTION_END.test(t) && !LIMITS.test(t);

/**
 * The problem's title: the first Markdown heading that is not a section name, else the first line
 * (a Codeforces "A. Title", an AtCoder "A - Title", a LeetCode "1. Two Sum"), else "Untitled problem".
 */
export function findTitle(text: string): string {
  const lines = text.split('\n');
  const heading = lines
    .filter((l) => /^\s{0,3}#{1,6}\s+\S/.test(l))
    .map(stripMarkup)
    .find(usable);
  if (heading) return heading;
  const first = lines.map(stripMarkup).find((l) => l.length > 0 && !LIMITS.test(l));
  return first && usable(first) ? first : 'Untitled problem';
}
