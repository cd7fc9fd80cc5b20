// Where the problem and the answer live, decided from plain data (vscode-free, unit-tested).
// target.ts feeds it the active editor and the file system facts it needs.
import { basename, dirname, extname, join } from 'node:path';
import { LANG_IDS, LANGS, langFromFileName, resolveLang } from '../core/judge/languages';
import { leadingStatement, parseProblem, sampleCount } from '../core/problem';
import type { Lang } from '../core/types';
import { detectEol, withEol } from './diff';
import type { OffsetRange } from './proposal/logic';

/** The active document as the target logic needs it. */
export interface EditorInput {
  /** File system path; undefined for an untitled document. */
  fileName?: string;
  languageId: string;
  text: string;
  /** Solve Selection: the selected statement (non-empty). */
  selection?: OffsetRange;
}

/**
 * Where the program goes. `in-file`: the range of the active document it replaces (empty to insert),
 * `prefix` put before the code (line breaks so it starts on a fresh line after a blank one).
 * `file`: the whole content of another file, which may not exist yet. `untitled`: a new untitled document.
 */
export type Answer =
  | { kind: 'in-file'; range: OffsetRange; prefix: string }
  | { kind: 'file'; path: string }
  | { kind: 'untitled' };

export interface TargetPlan {
  /** Text handed to parseProblem, with the file name that tells it how to read it. */
  problemText: string;
  problemFileName?: string;
  answer: Answer;
}

export class TargetError extends Error {
  override name = 'TargetError';
}

/** Statement files that may sit next to a source file: `<basename>.md`, `.txt`, `.json`. */
export const STATEMENT_EXTENSIONS = ['.md', '.txt', '.json'];

/** The language of the active document when it is a source file (VS Code language id first, then the extension). */
export function sourceLang(input: Pick<EditorInput, 'fileName' | 'languageId'>): Lang | undefined {
  return resolveLang(input.languageId) ?? (input.fileName ? langFromFileName(input.fileName) : undefined);
}

/**
 * The answer's language: the source file's, else the one sibling source file that already exists
 * next to a statement file, else the setting; undefined means "ask".
 */
export function chooseLang(source: Lang | undefined, existingSiblings: Lang[], setting: string | undefined): Lang | undefined {
  if (source) return source;
  if (existingSiblings.length === 1) return existingSiblings[0];
  return resolveLang(setting);
}

function stem(fileName: string): string {
  return join(dirname(fileName), basename(fileName, extname(fileName)));
}

/** `<dir>/<basename>.<ext>` for the answer to a statement file. */
export function siblingSource(statementFile: string, lang: Lang): string {
  return `${stem(statementFile)}${LANGS[lang].extensions[0]}`;
}

/** Every sibling source path a statement file could have, one per language (to look for existing ones). */
export function siblingSources(statementFile: string): { lang: Lang; path: string }[] {
  return LANG_IDS.map((lang) => ({ lang, path: siblingSource(statementFile, lang) }));
}

/** Statement files that may accompany a source file, in the order they are tried. */
export function siblingStatements(sourceFile: string): string[] {
  return STATEMENT_EXTENSIONS.map((ext) => `${stem(sourceFile)}${ext}`);
}

/**
 * Solve (no selection) or Solve Selection. `siblingStatement` is the first existing file of
 * `siblingStatements(fileName)`, read by the caller, used when a source file has no leading comment.
 */
export function planTarget(input: EditorInput, lang: Lang, siblingStatement?: { path: string; text: string }): TargetPlan {
  const isSource = sourceLang(input) !== undefined;
  const eol = detectEol(input.text);
  if (input.selection) {
    const problemText = input.text.slice(input.selection.start, input.selection.end);
    if (!problemText.trim()) throw new TargetError('The selection is empty: select the problem statement first.');
    if (isSource) return { problemText, answer: { kind: 'in-file', ...belowSelection(input.text, input.selection.end, eol) } };
    return { problemText, answer: elsewhere(input, lang) };
  }
  if (!input.text.trim()) throw new TargetError('The active editor is empty: open or paste a problem statement first.');
  if (!isSource) return { problemText: input.text, problemFileName: input.fileName, answer: elsewhere(input, lang) };
  // A leading comment is the statement when it has samples, or when nothing else could be: programs
  // (an accepted answer, a model's) often start with a comment that is no statement at all.
  const lead = leadingStatement(input.text, input.fileName);
  if (lead && (!siblingStatement || hasSamples(input.text, input.fileName))) {
    return { problemText: input.text, problemFileName: input.fileName, answer: { kind: 'in-file', ...afterStatement(input.text, lead.end, eol) } };
  }
  if (siblingStatement) {
    return {
      problemText: siblingStatement.text,
      problemFileName: siblingStatement.path,
      answer: { kind: 'in-file', range: { start: 0, end: input.text.length }, prefix: '' },
    };
  }
  throw new TargetError(
    'No problem statement found: this file does not start with a comment holding the statement, and there is no ' +
      `${STATEMENT_EXTENSIONS.map((e) => `<name>${e}`).join(' / ')} next to it. Put the statement in a leading comment, or select it and run "Solve Selection".`,
  );
}

function hasSamples(text: string, fileName: string | undefined): boolean {
  try {
    return sampleCount(parseProblem(text, { fileName })) > 0;
  } catch {
    return false;
  }
}

function elsewhere(input: EditorInput, lang: Lang): Answer {
  return input.fileName ? { kind: 'file', path: siblingSource(input.fileName, lang) } : { kind: 'untitled' };
}

/** Everything after the statement comment is replaced; blank lines right after the comment stay. */
function afterStatement(text: string, end: number, eol: string): { range: OffsetRange; prefix: string } {
  let i = end;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\r') i++;
  if (i >= text.length) return { range: { start: text.length, end: text.length }, prefix: eol + eol };
  if (text[i] !== '\n') return { range: { start: end, end: text.length }, prefix: eol + eol }; // code on the comment's last line
  const lineStart = i + 1;
  const firstCode = nextNonBlankLine(text, lineStart);
  const start = firstCode ?? lineStart;
  return { range: { start, end: text.length }, prefix: start === lineStart ? eol : '' };
}

/** The code goes on its own lines right below the selection, after a blank line; nothing is replaced. */
function belowSelection(text: string, selEnd: number, eol: string): { range: OffsetRange; prefix: string } {
  const atLineStart = selEnd === 0 || text[selEnd - 1] === '\n';
  const nl = text.indexOf('\n', selEnd);
  const at = atLineStart ? selEnd : nl < 0 ? text.length : nl + 1;
  const freshLine = at > 0 && text[at - 1] === '\n';
  return { range: { start: at, end: at }, prefix: (freshLine ? '' : eol) + eol };
}

function nextNonBlankLine(text: string, from: number): number | undefined {
  for (let pos = from; pos < text.length; ) {
    const nl = text.indexOf('\n', pos);
    const line = text.slice(pos, nl < 0 ? text.length : nl);
    if (line.trim()) return pos;
    if (nl < 0) return undefined;
    pos = nl + 1;
  }
  return undefined;
}

/** The text that replaces the answer range: the prefix, then the program with the document's line breaks and a final one. */
export function answerText(code: string, prefix: string, eol: '\n' | '\r\n'): string {
  const body = withEol(code.replace(/\s+$/, ''), eol);
  return body ? `${prefix}${body}${eol}` : prefix;
}
