// Competitive Companion: the JSON the browser extension POSTs for a problem page.
// https://github.com/jmerle/competitive-companion#explanation (fields name, group, url, interactive,
// memoryLimit in MB, timeLimit in ms, tests [{input, output}], input/output {type, fileName}).
import type { Problem, Sample } from '../types';
import { ProblemError } from './error';
import { normalizeSample } from './text';

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

function readTests(o: Json): Sample[] {
  if (!Array.isArray(o.tests)) fail('"tests" must be an array');
  return o.tests.map((t: unknown, i: number) => {
    if (!isObject(t) || !isString(t.input) || !isString(t.output)) fail(`tests[${i}] needs string "input" and "output"`);
    return { input: normalizeSample(t.input), outputs: [normalizeSample(t.output)] };
  });
}

function fileOf(o: Json, key: 'input' | 'output'): string | undefined {
  const io = o[key];
  return isObject(io) && io.type === 'file' && isString(io.fileName) ? io.fileName : undefined;
}

/**
 * The Problem for a Competitive Companion JSON text; undefined when `text` is not one. Throws
 * ProblemError when it is one (JSON with a "tests" key, or group plus limits) but malformed.
 */
export function parseCompanion(text: string): Problem | undefined {
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

  const name = optional(data, 'name', isString, 'a string')?.trim();
  const url = optional(data, 'url', isString, 'a string');
  const group = optional(data, 'group', isString, 'a string');
  const timeLimitMs = optional(data, 'timeLimit', isPositive, 'a positive number of milliseconds');
  const memoryLimitMb = optional(data, 'memoryLimit', isPositive, 'a positive number of megabytes');
  const interactive = optional(data, 'interactive', isBoolean, 'true or false');
  const samples = readTests(data);
  const inFile = fileOf(data, 'input');
  const outFile = fileOf(data, 'output');

  const title = name || 'Untitled problem';
  const head = [
    title,
    url,
    group && `Contest: ${group}`,
    timeLimitMs !== undefined && `Time limit: ${timeLimitMs} ms`,
    memoryLimitMb !== undefined && `Memory limit: ${memoryLimitMb} MB`,
    interactive && 'Interactive problem.',
    inFile && `Reads its input from the file ${inFile}.`,
    outFile && `Writes its output to the file ${outFile}.`,
    'The statement itself was not sent by Competitive Companion; the sample tests follow.',
  ].filter(Boolean);
  const body = samples.map((s, i) => `Sample Input ${i + 1}\n${s.input}\nSample Output ${i + 1}\n${s.outputs[0]}`);
  return {
    title,
    statement: [head.join('\n'), ...body].join('\n\n').trimEnd() + '\n',
    samples,
    asserts: [],
    ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
    ...(memoryLimitMb !== undefined ? { memoryLimitMb } : {}),
    style: { kind: 'stdio' },
    ...(url ? { url } : {}),
  };
}
