// Code in the panel, coloured by a small tokenizer: comments, strings, numbers and keywords of the
// judge's languages, in the theme's symbol colours. One linear pass; the text goes in as text nodes.
import type { Lang } from '../core/types';

export type TokenKind = 'kw' | 'str' | 'num' | 'com' | 'text';
export interface Token {
  kind: TokenKind;
  text: string;
}

const C_LIKE = 'auto bool break case char class const continue default do double else enum extern false float for if inline int long namespace new nullptr private protected public return short signed sizeof static struct switch template this true typedef typename unsigned using virtual void volatile while include define';
const KEYWORDS: Record<Lang, Set<string>> = {
  python3: new Set('and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return True try while with yield print range len int str input map list'.split(' ')),
  cpp: new Set(`${C_LIKE} std vector string cin cout endl`.split(' ')),
  c: new Set(C_LIKE.split(' ')),
  java: new Set('abstract boolean break byte case catch char class continue default do double else extends final finally float for if implements import instanceof int interface long new null package private protected public return short static super switch this throw throws try void while true false String var'.split(' ')),
  javascript: new Set('async await break case catch class const continue default delete do else export false finally for function if import in instanceof let new null of return switch this throw true try typeof undefined var void while yield'.split(' ')),
  rust: new Set('as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while i32 i64 u32 u64 usize f64 String Vec'.split(' ')),
};

/** The tokens of `code` in `lang`; joined, their texts give `code` back exactly. */
export function tokenize(code: string, lang: Lang): Token[] {
  const hash = lang === 'python3';
  const out: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind && kind === 'text') last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    const rest2 = code.slice(i, i + 2);
    let end = i + 1;
    let kind: TokenKind = 'text';
    if ((hash && c === '#') || (!hash && rest2 === '//')) {
      end = code.indexOf('\n', i);
      if (end < 0) end = code.length;
      kind = 'com';
    } else if (!hash && rest2 === '/*') {
      end = code.indexOf('*/', i + 2);
      end = end < 0 ? code.length : end + 2;
      kind = 'com';
    } else if (c === '"' || c === "'" || (c === '`' && lang === 'javascript')) {
      const triple = hash && code.startsWith(c.repeat(3), i) ? c.repeat(3) : '';
      end = i + (triple ? 3 : 1);
      while (end < code.length) {
        if (code[end] === '\\') end += 2;
        else if (triple ? code.startsWith(triple, end) : code[end] === c) { end += triple ? 3 : 1; break; }
        else if (!triple && code[end] === '\n' && c !== '`') break;
        else end++;
      }
      end = Math.min(end, code.length);
      kind = 'str';
    } else if (/[0-9]/.test(c)) {
      while (end < code.length && /[0-9a-zA-Z_.]/.test(code[end])) end++;
      kind = 'num';
    } else if (/[A-Za-z_]/.test(c)) {
      while (end < code.length && /[A-Za-z0-9_]/.test(code[end])) end++;
      if (KEYWORDS[lang].has(code.slice(i, end))) kind = 'kw';
    }
    push(kind, code.slice(i, end));
    i = end;
  }
  return out;
}
