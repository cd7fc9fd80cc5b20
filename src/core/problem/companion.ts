// Competitive Companion: the JSON the browser extension POSTs for a problem page.
// https://github.com/jmerle/competitive-companion#the-format (fields name, group, url, interactive,
// memoryLimit in MB, timeLimit in ms, tests [{input, output}], input/output {type, fileName},
// languages.java.taskClass, batch {id, size}).
import type { Problem, Sample } from '../types';
import { ProblemError } from './error';
import { pageProblem, type SavedMeta } from './saved';
import { normalizeNewlines } from './text';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const looksLikeCompanion = (o: Json) => 'tests' in o || ('group' in o && ('timeLimit' in o || 'memoryLimit' in o));

function fail(why: string): never {
  throw new ProblemError(`Invalid Competitive Companion JSON: ${why}`);
}

function optional<T>(o: Json, key: string, ok: (v: unknown) => v is T, what: string): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!ok(v)) fail(`"${key}" must be ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const JAVA_IDENTIFIER = /^[A-Za-z_$][\w$]{0,99}$/;

/**
 * A test's text as the page gave it: the bytes kept (trailing spaces, blank lines, a lone "\n"), only
 * CRLF made LF and a final newline added when missing (Companion's format promises one).
 */
export function pageText(s: string): string {
  const text = normalizeNewlines(s);
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

function readTests(o: Json): Sample[] {
  if (!Array.isArray(o.tests)) fail('"tests" must be an array');
  return o.tests.map((t: unknown, i: number) => {
    if (!isObject(t) || !isString(t.input) || !isString(t.output)) fail(`tests[${i}] needs string "input" and "output"`);
    return { input: pageText(t.input), outputs: [pageText(t.output)] };
  });
}

function fileOf(o: Json, key: 'input' | 'output'): string | undefined {
  const io = o[key];
  return isObject(io) && io.type === 'file' && isString(io.fileName) && io.fileName.trim() ? io.fileName.trim() : undefined;
}

function javaClassOf(o: Json): string | undefined {
  const java = isObject(o.languages) && isObject(o.languages.java) ? o.languages.java : undefined;
  return java && isString(java.taskClass) && JAVA_IDENTIFIER.test(java.taskClass) ? java.taskClass : undefined;
}

export interface CompanionData {
  meta: SavedMeta;
  samples: Sample[];
  /** All problems of one contest sent together share the id; size is how many there are. */
  batch?: { id: string; size: number };
}

/** The page's data in a Competitive Companion JSON text; undefined when `text` is not one. Throws ProblemError when it is one but malformed. */
export function readCompanion(text: string): CompanionData | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (e) {
    if (/"tests"\s*:/.test(trimmed)) fail((e as Error).message);
    return undefined;
  }
  if (!isObject(data) || !looksLikeCompanion(data)) return undefined;

  const contest = optional(data, 'group', isString, 'a string')?.trim();
  const url = optional(data, 'url', isString, 'a string')?.trim();
  const input = fileOf(data, 'input');
  const output = fileOf(data, 'output');
  const javaClass = javaClassOf(data);
  const timeLimitMs = optional(data, 'timeLimit', isPositive, 'a positive number of milliseconds');
  const memoryLimitMb = optional(data, 'memoryLimit', isPositive, 'a positive number of megabytes');
  const meta: SavedMeta = {
    name: optional(data, 'name', isString, 'a string')?.trim() ?? '',
    ...(contest ? { contest } : {}),
    ...(url ? { url } : {}),
    ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
    ...(memoryLimitMb !== undefined ? { memoryLimitMb } : {}),
    ...(optional(data, 'interactive', isBoolean, 'true or false') ? { interactive: true } : {}),
    ...(input ? { input } : {}),
    ...(output ? { output } : {}),
    ...(javaClass ? { javaClass } : {}),
  };
  const batch = isObject(data.batch) && isString(data.batch.id) && typeof data.batch.size === 'number' ? { id: data.batch.id, size: data.batch.size } : undefined;
  return { meta, samples: readTests(data), ...(batch ? { batch } : {}) };
}

/**
 * The Problem for a Competitive Companion JSON text; undefined when `text` is not one. Throws
 * ProblemError when it is one (JSON with a "tests" key, or group plus limits) but malformed.
 */
export function parseCompanion(text: string): Problem | undefined {
  const data = readCompanion(text);
  return data && companionProblem(data);
}

/** The Problem for the page's data: its facts, then the samples as labelled text (the page sends no statement). */
export function companionProblem(data: CompanionData): Problem {
  const body = data.samples.map((s, i) => `Sample Input ${i + 1}\n${s.input}\nSample Output ${i + 1}\n${s.outputs[0]}`);
  const statement = ['The statement itself was not sent by Competitive Companion; the sample tests follow.', ...body].join('\n\n');
  return pageProblem(data.meta, data.samples, statement);
}
