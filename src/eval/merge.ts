import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import type { EvalRecord } from './record';
import { readAllResults, resultsFile } from './results-file';

// `eval merge`: the results folders of shards (--shard i/n on several machines) joined into one, so
// the report is the table one run over the whole dataset would give.

export class MergeError extends Error {
  override name = 'MergeError';
}

const settings = (r: EvalRecord) => `--lang ${r.lang} --k ${r.k} --t ${r.t} --stress ${r.stress?.tests || 'off'}`;

/** Writes every dataset/mode of `dirs` into `outDir`, one line per problem; returns the problems per file. */
export function mergeResults(dirs: string[], outDir: string): Record<string, number> {
  const merged = new Map<string, { dataset: string; mode: EvalRecord['mode']; byId: Map<string, { r: EvalRecord; from: string }> }>();
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new MergeError(`${dir}: no such folder`);
    const results = readAllResults(dir);
    if (!results.length) throw new MergeError(`${dir} holds no results (<dataset>.<mode>.jsonl)`);
    for (const { dataset, mode, records } of results) {
      const key = `${dataset}.${mode}`;
      const group = merged.get(key) ?? { dataset, mode, byId: new Map() };
      merged.set(key, group);
      for (const r of records) {
        const first = group.byId.values().next().value;
        if (first && settings(first.r) !== settings(r)) throw new MergeError(`${key}: ${first.from} was run with ${settings(first.r)}, ${dir} with ${settings(r)}`);
        const seen = group.byId.get(r.id);
        if (seen && JSON.stringify(seen.r) !== JSON.stringify(r)) throw new MergeError(`${key}: problem ${r.id} is in both ${seen.from} and ${dir} with different results (overlapping shards?)`);
        group.byId.set(r.id, { r, from: dir });
      }
    }
  }
  mkdirSync(outDir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const [key, g] of merged) {
    const lines = [...g.byId.values()].map(({ r }) => `${JSON.stringify(r)}\n`).join('');
    const file = resultsFile(outDir, g.dataset, g.mode);
    writeFileSync(`${file}.tmp`, lines);
    // one rename: a reader sees the old file or the whole new one
    renameSync(`${file}.tmp`, file);
    counts[key] = g.byId.size;
  }
  return counts;
}

