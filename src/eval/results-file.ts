import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import * as path from 'node:path';
import { EVAL_MODES, needsRetry, type EvalMode, type EvalRecord } from './record';

export const resultsFile = (outDir: string, dataset: string, mode: EvalMode) => path.join(outDir, `${dataset}.${mode}.jsonl`);

/**
 * Records of one results file, the last line per id winning (a retried error is appended again).
 * A line cut short by a crash is dropped from the file so appending continues on a clean line.
 */
export function readRecords(file: string): EvalRecord[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  const byId = new Map<string, EvalRecord>();
  for (const line of text.slice(0, end).split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as EvalRecord;
    byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** Ids already done (not to be solved again) in a results file. */
export function finishedIds(records: EvalRecord[]): Set<string> {
  return new Set(records.filter((r) => !needsRetry(r)).map((r) => r.id));
}

/** One whole line per call: the line is written with a single append, never in pieces. */
export function appendRecord(file: string, r: EvalRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(r)}\n`);
}

/** Every <dataset>.<mode>.jsonl in `outDir`, for the report. */
export function readAllResults(outDir: string): { dataset: string; mode: EvalMode; records: EvalRecord[] }[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir)
    .map((f) => /^(.+)\.(direct|mapcoder|lite)\.jsonl$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ dataset: m[1], mode: m[2] as EvalMode, records: readRecords(path.join(outDir, m[0])) }))
    .sort((a, b) => a.dataset.localeCompare(b.dataset) || EVAL_MODES.indexOf(a.mode) - EVAL_MODES.indexOf(b.mode));
}
