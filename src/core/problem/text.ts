// Line-level helpers shared by the format parsers.

export function normalizeNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/**
 * A sample's canonical form: LF line ends, trailing whitespace trimmed per line, leading and trailing
 * blank lines dropped, and exactly one final "\n" when anything is left.
 */
export function normalizeSample(s: string): string {
  const lines = normalizeNewlines(s).split('\n').map((l) => l.replace(/\s+$/, ''));
  return joinBlock(lines);
}

/** Lines -> sample text: blank lines at both ends dropped, one final "\n" when non-empty. */
export function joinBlock(lines: string[]): string {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return a < b ? lines.slice(a, b).map((l) => l.replace(/\s+$/, '')).join('\n') + '\n' : '';
}

export const isBlank = (line: string | undefined): boolean => line === undefined || line.trim() === '';

/** A line with its Markdown dressing removed: heading marks, emphasis, a trailing colon. */
export function stripMarkup(line: string): string {
  return line
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/^(\*\*|__|\*|_)(.*?)\1(?=\s|:|$)/, '$2')
    .replace(/^(\*\*|__)|(\*\*|__)$/g, '')
    .replace(/\s*[:：]\s*$/, '')
    .trim();
}

/**
 * True for a line of natural language rather than data: several words, starting with a capital or
 * ending like a sentence. Used to tell explanations and section text from sample contents.
 */
export function isProse(line: string): boolean {
  const t = line.trim();
  if (/[\u3040-\u30ff\u4e00-\u9fff]{4,}/.test(t)) return true;
  const words = t.split(/\s+/).filter((w) => /^[(“"']?[A-Za-z][a-z'’-]*[)”"',.;:!?]*$/.test(w));
  if (words.length < 3) return false;
  return /^[A-Z(“"]/.test(t) || /[.:;!?]$/.test(t);
}

/** Section headings that end a run of samples. */
export const SECTION_END = /^(notes?|explanations?|hints?|remarks?|constraints?|scoring|subtasks?|interaction|follow[- ]up|注意|解説|制約)$/i;

/** The text of a page's copy button, copied along with a sample (AtCoder, Codeforces). */
export const COPY_BUTTON = /^(copy|コピー)$/i;
