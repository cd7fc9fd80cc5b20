// A problem saved from Competitive Companion, as Markdown the parser reads back exactly:
//
//   ---                                   front matter: what the page gave, as data. Each value is a
//   source: competitive-companion         JSON literal, so a name or contest can hold any character
//   name: "A. Sum of Two"                 (a newline, "```", "time limit 5 s") without becoming
//   time-limit-ms: 1000                   Markdown or a limit.
//   ---
//   # A. Sum of Two                       the title, escaped (shown only; the front matter is read)
//   <the user's statement>                kept when the problem is sent again
//   <!-- SAMPLES_MARK -->                 from here on: rewritten by every send, fences read exactly
//   ## Examples
//   ```input ... ```
import type { Problem, Sample } from '../types';
import { ProblemError } from './error';
import { findLimits } from './limits';
import { markdownSamples, sampleFences } from './markdown';

/** What a problem page said about the problem, besides its samples. */
export interface SavedMeta {
  name: string;
  contest?: string;
  url?: string;
  timeLimitMs?: number;
  memoryLimitMb?: number;
  interactive?: boolean;
  /** Files the program reads and writes instead of stdin/stdout. */
  input?: string;
  output?: string;
  javaClass?: string;
}

type Kind = 'string' | 'number' | 'boolean';
/** Front matter keys in the order they are written, with the type each value must have. */
const FIELDS: [keyof SavedMeta, string, Kind][] = [
  ['name', 'name', 'string'],
  ['contest', 'contest', 'string'],
  ['url', 'url', 'string'],
  ['timeLimitMs', 'time-limit-ms', 'number'],
  ['memoryLimitMb', 'memory-limit-mb', 'number'],
  ['interactive', 'interactive', 'boolean'],
  ['input', 'input-file', 'string'],
  ['output', 'output-file', 'string'],
  ['javaClass', 'java-class', 'string'],
];

const FRONT = '---';
const SOURCE_LINE = 'source: competitive-companion';
/** Where the part every send rewrites begins. */
export const SAMPLES_MARK = '<!-- Competitive Companion samples: everything below is rewritten when the problem is sent again. -->';

/** Page text on one line: control characters and line breaks made spaces. */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();

/** A heading's text from page text: one line, Markdown and HTML characters escaped. */
export function markdownLine(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>#|~&!$]/g, '\\$&');
}

/** The file's text: front matter, title, `statement` (the user's, or a line asking for it), the samples. */
export function savedText(meta: SavedMeta, samples: Sample[], statement: string): string {
  const front = FIELDS.filter(([key]) => meta[key] !== undefined && meta[key] !== '').map(([key, name]) => `${name}: ${JSON.stringify(meta[key])}`);
  const head = [FRONT, SOURCE_LINE, ...front, FRONT, '', `# ${markdownLine(meta.name) || 'Untitled problem'}`, ''].join('\n');
  return `${head}\n${statement.trim()}\n\n${samplesPart(samples)}`;
}

function samplesPart(samples: Sample[]): string {
  const body = samples.map((s, i) => `\n### Example ${i + 1}\n\n${sampleFences(s)}\n`).join('');
  return `${SAMPLES_MARK}\n## Examples\n${body || '\nNone were sent.\n'}`;
}

export interface SavedFile {
  meta: SavedMeta;
  /** The text between the title and the samples: the user's statement. */
  statement: string;
  /** Everything below the front matter. */
  body: string;
  /** The samples section, when the file still has one. */
  samplesText?: string;
}

/** The saved problem in `text` (LF line ends); undefined when it is not one. Throws ProblemError on a front matter line it cannot read. */
export function readSaved(text: string): SavedFile | undefined {
  const lines = text.split('\n');
  if (lines[0] !== FRONT || lines[1] !== SOURCE_LINE) return undefined;
  const end = lines.indexOf(FRONT, 2);
  if (end < 0) throw new ProblemError('The saved problem\'s front matter has no closing "---" line');
  const meta: Partial<SavedMeta> = {};
  for (const line of lines.slice(2, end)) {
    if (!line.trim()) continue;
    const m = /^([\w-]+):\s*(.*)$/.exec(line);
    const field = m && FIELDS.find(([, name]) => name === m[1]);
    if (!m || !field) continue; // a key of someone else's: left alone
    let value: unknown;
    try {
      value = JSON.parse(m[2]);
    } catch {
      value = undefined;
    }
    const fits = typeof value === field[2] && (field[2] !== 'number' || (Number.isFinite(value) && (value as number) > 0));
    if (!fits) throw new ProblemError(`The saved problem's "${field[1]}" must be ${field[2] === 'number' ? 'a positive number' : `a JSON ${field[2]}`}: ${line.slice(0, 120)}`);
    Object.assign(meta, { [field[0]]: value });
  }
  const body = lines.slice(end + 1).join('\n');
  const mark = body.indexOf(`${SAMPLES_MARK}\n`);
  const above = mark < 0 ? body : body.slice(0, mark);
  // the statement: below the title line, above the samples
  const statement = above.replace(/^\s*# [^\n]*\n/, '').trim();
  return { meta: { name: '', ...meta }, statement, body, ...(mark >= 0 ? { samplesText: body.slice(mark) } : {}) };
}

/** The facts a page gave, as sentences for the agents (the front matter is not part of the statement). */
export function factsText(meta: SavedMeta): string {
  return [
    meta.url && `URL: ${oneLine(meta.url)}`,
    meta.contest && `Contest: ${oneLine(meta.contest)}`,
    meta.timeLimitMs !== undefined && `Time limit: ${meta.timeLimitMs} ms`,
    meta.memoryLimitMb !== undefined && `Memory limit: ${meta.memoryLimitMb} MB`,
    meta.interactive && 'Interactive problem.',
    meta.input && `Reads its input from the file ${oneLine(meta.input)}.`,
    meta.output && `Writes its output to the file ${oneLine(meta.output)}.`,
  ].filter(Boolean).join('\n');
}

/** The Problem for what a page gave; `statement` is the text the agents read after the facts. */
export function pageProblem(meta: SavedMeta, samples: Sample[], statement: string): Problem {
  const limits = findLimits(statement);
  const timeLimitMs = meta.timeLimitMs ?? limits.timeLimitMs;
  const memoryLimitMb = meta.memoryLimitMb ?? limits.memoryLimitMb;
  const io = { ...(meta.input ? { input: meta.input } : {}), ...(meta.output ? { output: meta.output } : {}) };
  const title = meta.name.trim() || 'Untitled problem';
  const facts = factsText(meta);
  return {
    title,
    statement: `${[title, facts, statement.trim()].filter(Boolean).join('\n\n')}\n`,
    samples,
    asserts: [],
    ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
    ...(memoryLimitMb !== undefined ? { memoryLimitMb } : {}),
    style: { kind: 'stdio' },
    ...(meta.url ? { url: meta.url } : {}),
    ...(meta.interactive ? { interactive: true } : {}),
    ...(Object.keys(io).length ? { io } : {}),
    ...(meta.javaClass ? { javaClass: meta.javaClass } : {}),
  };
}

/**
 * The Problem in a saved file: its front matter's facts, the samples of its samples section read
 * exactly (the statement's own samples when the user removed that section), the rest as statement.
 * `otherSamples` reads samples the ordinary way.
 */
export function savedProblem(saved: SavedFile, otherSamples: (text: string) => Sample[]): Problem {
  const samples = saved.samplesText !== undefined ? markdownSamples(saved.samplesText, { exact: true }) : otherSamples(saved.statement);
  return pageProblem(saved.meta, samples, saved.body.replace(/^\s*# [^\n]*\n/, '').replace(`${SAMPLES_MARK}\n`, ''));
}
