// Cleaning the raw text of one XML field. Field text is taken as written (as if in CDATA); these
// helpers only undo wrappers a model may add around it.
import { unwrapFence } from './fences';
import { issue, ParseIssue } from './issues';

const CDATA = /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g;
const ENTITY = /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntity(whole: string, name: string): string {
  const n = name.toLowerCase();
  if (n in NAMED) return NAMED[n];
  const code = n.startsWith('#x') ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
}

/**
 * CDATA sections are unwrapped. Otherwise XML entities are decoded only when the field has entities
 * and no raw `<`: that is a model that escaped its text for XML. A field with a raw `<` is raw text
 * already, and an `&lt;` in it is something the program itself prints, so it stays.
 */
function unescape(raw: string, field: string, issues: ParseIssue[]): string {
  if (raw.includes('<![CDATA[')) return raw.replace(CDATA, '$1');
  ENTITY.lastIndex = 0;
  if (!raw.includes('<') && ENTITY.test(raw)) {
    issues.push(issue('escaped_entities', `<${field}> was XML-escaped; entities decoded`));
    return raw.replace(ENTITY, decodeEntity);
  }
  return raw;
}

/** Removes the indentation shared by every non-blank line (XML pretty-printing around code). */
function dedent(text: string): string {
  const lines = text.split('\n');
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = widths.length ? widths.reduce((a, b) => Math.min(a, b)) : 0;
  return cut ? lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n') : text;
}

/** Drops blank lines at the start and whitespace at the end, keeping the first line's indentation. */
export function trimBlock(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

/** A prose field (description, planning, algorithm, explanation): unescaped and trimmed. */
export function fieldText(raw: string, field: string, issues: ParseIssue[]): string {
  return unescape(raw, field, issues).trim();
}

/** A code field: unescaped, dedented, and freed of one wrapping code fence (normal, so no issue). */
export function codeText(raw: string, field: string, issues: ParseIssue[]): string {
  const text = trimBlock(dedent(trimBlock(unescape(raw, field, issues))));
  const fenced = unwrapFence(text);
  return fenced ? trimBlock(fenced.content) : text;
}
