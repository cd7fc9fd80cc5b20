import type { Problem, Sample } from '../../core/types';
import { DatasetError } from './files';
import type { EvalProblem } from './types';

/** One line of our own dataset format; see README.md beside this file. */
export interface OwnItem {
  id: string;
  title?: string;
  statement: string;
  samples?: Sample[];
  asserts?: string[];
  entry_point?: string;
  hidden_tests?: Sample[];
  hidden_asserts?: string[];
  time_limit_ms?: number;
  memory_limit_mb?: number;
}

function samplesOf(v: unknown, where: string): Sample[] {
  if (v === undefined) return [];
  const ok = Array.isArray(v) && v.every((s) => s && typeof s.input === 'string' && Array.isArray(s.outputs) && s.outputs.every((o: unknown) => typeof o === 'string'));
  if (!ok) throw new DatasetError(`${where}: tests must be [{"input": string, "outputs": [string, ...]}, ...]`);
  return v as Sample[];
}

function stringsOf(v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new DatasetError(`${where}: must be a list of strings`);
  return v;
}

export function ownProblem(item: OwnItem, dataset: string, line: number): EvalProblem {
  const where = `${dataset} item ${line}`;
  if (typeof item?.id !== 'string' || !item.id) throw new DatasetError(`${where}: "id" must be a non-empty string`);
  if (typeof item.statement !== 'string') throw new DatasetError(`${where} (${item.id}): "statement" must be a string`);
  const samples = samplesOf(item.samples, `${where} samples`);
  const asserts = stringsOf(item.asserts, `${where} asserts`);
  const hiddenTests = samplesOf(item.hidden_tests, `${where} hidden_tests`);
  const hiddenAsserts = stringsOf(item.hidden_asserts, `${where} hidden_asserts`);
  const fn = item.entry_point;
  if (fn !== undefined && typeof fn !== 'string') throw new DatasetError(`${where}: "entry_point" must be a string`);
  const problem: Problem = {
    title: item.title ?? item.id,
    statement: item.statement,
    samples: fn ? [] : samples,
    asserts: fn ? asserts : [],
    style: fn ? { kind: 'function', name: fn } : { kind: 'stdio' },
    timeLimitMs: item.time_limit_ms,
    memoryLimitMb: item.memory_limit_mb,
  };
  if (fn) {
    const snippets = hiddenAsserts.length ? hiddenAsserts : asserts;
    return { id: item.id, dataset, problem, hidden: { kind: 'python', snippets }, hiddenAvailable: hiddenAsserts.length > 0, langs: ['python3'] };
  }
  if (hiddenAsserts.length) throw new DatasetError(`${where} (${item.id}): hidden_asserts need an entry_point`);
  const tests = hiddenTests.length ? hiddenTests : samples;
  return { id: item.id, dataset, problem, hidden: { kind: 'stdio', tests }, hiddenAvailable: hiddenTests.length > 0 };
}
