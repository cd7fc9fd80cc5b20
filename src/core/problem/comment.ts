import { langFromFileName, LANGS } from '../judge/languages';

interface Line {
  text: string; // without the line break (and without a trailing \r)
  start: number;
  end: number; // offset just after `text`
}

function splitLines(source: string): Line[] {
  const out: Line[] = [];
  let pos = 0;
  for (const raw of source.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    out.push({ text, start: pos, end: pos + text.length });
    pos += raw.length + 1;
  }
  return out;
}

/** Like Python's inspect.cleandoc: the first line stripped, the rest dedented together, blank ends dropped. */
function cleanBlock(lines: string[], firstIsSpecial = false): string {
  const rest = firstIsSpecial ? lines.slice(1) : lines;
  const indents = rest.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? indents.reduce((a, b) => Math.min(a, b)) : 0;
  const out = rest.map((l) => l.slice(cut).replace(/\s+$/, ''));
  if (firstIsSpecial) out.unshift(lines[0].trim());
  while (out.length && !out[0]) out.shift();
  while (out.length && !out[out.length - 1]) out.pop();
  return out.join('\n');
}

const PREPROCESSOR = /^#\s*(include|define|undef|pragma|if|ifdef|ifndef|else|elif|endif|import|line|error)\b/;

/** A run of line comments matching `prefix`; blank lines between comment lines stay in the run. */
function lineRun(lines: Line[], i: number, prefix: RegExp): { texts: string[]; last: number } {
  let last = i;
  for (let j = i; j < lines.length; j++) {
    if (prefix.test(lines[j].text)) last = j;
    else if (lines[j].text.trim() !== '') break;
  }
  const texts = lines.slice(i, last + 1).map((l) => (prefix.test(l.text) ? l.text.replace(prefix, '') : ''));
  return { texts, last };
}

function blockComment(source: string, at: number, open: string, close: string) {
  const endAt = source.indexOf(close, at + open.length);
  if (endAt < 0) return undefined;
  return { body: source.slice(at + open.length, endAt), end: endAt + close.length };
}

/** A block comment's text: a "/**" star and the stars starting its lines dropped, dedented. */
function blockText(comment: string): string {
  const body = comment.replace(/^\*(?!\/)/, '').replace(/\r/g, '').split('\n');
  const starred = body.slice(1).every((l) => l.trim() === '' || /^\s*\*/.test(l));
  const stripped = starred ? [body[0], ...body.slice(1).map((l) => l.replace(/^\s*\*(?: |$)?/, ''))] : body;
  return cleanBlock(stripped, true);
}

/**
 * The statement in a block comment that ends the file, below the code (where some keep it), with
 * the comment's offsets; undefined when the file does not end with one or its language has none.
 */
export function trailingStatement(source: string, fileName?: string): { statement: string; start: number; end: number } | undefined {
  const lang = fileName ? langFromFileName(fileName) : undefined;
  if (lang && LANGS[lang].lineComment !== '//') return undefined;
  const end = source.trimEnd().length;
  if (!source.startsWith('*/', end - 2)) return undefined;
  const start = source.lastIndexOf('/*', end - 3);
  if (start < 0) return undefined;
  const statement = blockText(source.slice(start + 2, end - 2));
  return statement ? { statement, start, end } : undefined;
}

/**
 * The statement held by a source file's leading comment or docstring, with the comment's offsets in
 * `source` (code is inserted after `end`). Undefined when the file does not start with a comment.
 */
export function leadingStatement(
  source: string,
  fileName?: string,
): { statement: string; start: number; end: number } | undefined {
  const lang = fileName ? langFromFileName(fileName) : undefined;
  const hashComments = !lang || LANGS[lang].lineComment === '#';
  const slashComments = !lang || LANGS[lang].lineComment === '//';
  const docstrings = !lang || lang === 'python3';
  const lines = splitLines(source);

  let i = 0;
  if (lines[0]?.text.startsWith('#!')) i = 1;
  while (i < lines.length && (lines[i].text.trim() === '' || (hashComments && /^#.*coding[:=]/.test(lines[i].text)))) i++;
  if (i >= lines.length) return undefined;

  const line = lines[i];
  const t = line.text.trimStart();
  const at = line.start + (line.text.length - t.length);
  let statement: string;
  let end: number;

  if (slashComments && t.startsWith('/*')) {
    const c = blockComment(source, at, '/*', '*/');
    if (!c) return undefined;
    statement = blockText(c.body);
    end = c.end;
  } else if (slashComments && t.startsWith('//')) {
    // one space after the marker goes with it: lines written "//x" and "// x" in one block line up
    const run = lineRun(lines, i, /^\s*\/\/[/!]? ?/);
    statement = cleanBlock(run.texts);
    end = lines[run.last].end;
  } else if (hashComments && t.startsWith('#') && !PREPROCESSOR.test(t)) {
    const run = lineRun(lines, i, /^\s*#(?!!) ?/);
    statement = cleanBlock(run.texts);
    end = lines[run.last].end;
  } else if (docstrings && /^[rRuU]?("""|''')/.test(t)) {
    const quote = /("""|''')/.exec(t)![1];
    const prefixLen = t.indexOf(quote);
    const c = blockComment(source, at + prefixLen, quote, quote);
    if (!c) return undefined;
    statement = cleanBlock(c.body.replace(/\r/g, '').split('\n'), true);
    end = c.end;
  } else {
    return undefined;
  }
  return statement ? { statement, start: at, end } : undefined;
}
