// The coding agent's reply: one fenced code block in the target language (chosen per the protocol).
import { fenceMatches, LANGS } from '../judge/languages';
import type { Lang } from '../types';
import { FenceBlock, findFences } from './fences';
import { issue, Parsed, ParseIssue } from './issues';
import { CODE } from './names';
import { codeText, trimBlock } from './text';
import { scanTags } from './xml';

/** The chosen code and where it sits in the reply (start = end = 0 when it is not a fenced block). */
export interface CodeLocation extends Parsed<string> {
  start: number;
  end: number;
}

// Fence tags that label data rather than a program: never taken as code of another language.
const NOT_CODE = new Set(['text', 'txt', 'plain', 'plaintext', 'output', 'input', 'console', 'log', 'markdown', 'md', 'xml', 'json', 'yaml']);

// A line that can only be code: a statement end, a brace, a preprocessor/import line, a definition,
// an assignment or a bare call.
const CODE_LINE = [
  /[;{}]\s*$/,
  /^\s*(?:#include|#define|import\s|from\s+\S+\s+import\s|def\s|class\s|using\s+namespace|int\s+main|public\s+(?:static|class)|fn\s+main|package\s)/,
  /^\s*[A-Za-z_][\w.[\]]*\s*(?:[-+*/%]?=)\s*\S/,
  /^\s*[A-Za-z_][\w.]*\(.*\)\s*$/,
];

function looksLikeCode(text: string): boolean {
  return text.split('\n').some((line) => CODE_LINE.some((re) => re.test(line)));
}

/** Prefers complete blocks; an unclosed one only when no complete block is left. */
function lastBlock(blocks: FenceBlock[]): FenceBlock | undefined {
  const usable = blocks.filter((b) => b.content.trim() !== '');
  return usable.filter((b) => b.closed).pop() ?? usable.pop();
}

function fromBlock(b: FenceBlock, issues: ParseIssue[]): CodeLocation {
  if (!b.closed) issues.push(issue('unclosed_fence', 'the code fence is never closed; read to the end'));
  return { value: trimBlock(b.content), ok: true, issues, start: b.start, end: b.end };
}

export function locateCode(reply: string, lang: Lang): CodeLocation {
  const issues: ParseIssue[] = [];
  const blocks = findFences(reply);
  const matching = lastBlock(blocks.filter((b) => b.info !== '' && fenceMatches(b.info, lang)));
  if (matching) return fromBlock(matching, issues);

  const untagged = lastBlock(blocks.filter((b) => b.info === ''));
  if (untagged) {
    issues.push(issue('untagged_fence', `code fence without a language tag read as ${LANGS[lang].label}`));
    return fromBlock(untagged, issues);
  }

  const other = lastBlock(blocks.filter((b) => !NOT_CODE.has(b.info.toLowerCase().split(/[\s{]/)[0])));
  if (other) {
    issues.push(issue('fence_language_mismatch', `only a \`${other.info}\` block; read as ${LANGS[lang].label}`));
    return fromBlock(other, issues);
  }

  const tagged = scanTags(reply, { fields: { code: CODE }, expectRoot: false }).top.code?.find((c) => c.trim() !== '');
  if (tagged !== undefined) {
    issues.push(issue('code_in_tags', 'code inside <code> tags instead of a fence'));
    return { value: codeText(tagged, 'code', issues), ok: true, issues, start: 0, end: 0 };
  }

  const whole = trimBlock(reply);
  if (whole.trim() !== '' && looksLikeCode(whole)) {
    issues.push(issue('no_fence', 'no code fence; the whole reply is the program'));
    return { value: whole, ok: true, issues, start: 0, end: 0 };
  }
  issues.push(issue('no_code', 'no code in the reply', false));
  return { value: '', ok: false, issues, start: 0, end: 0 };
}

/** The program in `lang` from a reply; ok=false (value '') when the reply holds no code at all. */
export function extractCode(reply: string, lang: Lang): Parsed<string> {
  const { value, ok, issues } = locateCode(reply, lang);
  return { value, ok, issues };
}
