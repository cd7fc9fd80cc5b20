import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { appsProblem, type AppsItem } from './apps';
import { DatasetError, defaultDataDir, readJsonl } from './files';
import { humanEvalEtProblem, humanEvalProblem, type HumanEvalItem } from './humaneval';
import { mbppProblem, type MbppItem } from './mbpp';
import { ownProblem, type OwnItem } from './own';
import type { DatasetInfo, EvalProblem } from './types';
import { xcodeEvalProblem, type XCodeEvalItem } from './xcodeeval';

export type { DatasetInfo, EvalProblem, HiddenTests, PaperDataset } from './types';
export { DatasetError, defaultDataDir, readJsonl } from './files';

interface Known {
  file: string;
  paperKey: DatasetInfo['paperKey'];
  defaultK: number;
  load: (item: never) => EvalProblem;
}

/** The benchmarks MapCoder reports, as files in the data folder. k = 5 for HumanEval, 3 elsewhere (the paper). */
export const DATASETS: Record<string, Known> = {
  apps: { file: 'selected150.jsonl', paperKey: 'APPS', defaultK: 3, load: (i: AppsItem) => appsProblem(i) },
  humaneval: { file: 'HumanEvalWST.jsonl', paperKey: 'HumanEval', defaultK: 5, load: (i: HumanEvalItem) => humanEvalProblem(i) },
  'humaneval-et': { file: 'HumanEvalET.jsonl', paperKey: 'HumanEval-ET', defaultK: 5, load: (i: HumanEvalItem) => humanEvalEtProblem(i) },
  mbpp: { file: 'mbpp-py.jsonl', paperKey: 'MBPP', defaultK: 3, load: (i: MbppItem) => mbppProblem(i) },
  xcodeeval: { file: 'prog_syn_val.jsonl', paperKey: 'xCodeEval', defaultK: 3, load: (i: XCodeEvalItem) => xcodeEvalProblem(i) },
};

/**
 * A benchmark by name (apps, humaneval, humaneval-et, mbpp, xcodeeval) from `dataDir`, or our own JSONL
 * file by path. Repeated ids (APPS selected150 holds 21 items twice; the paper counts all 150) get `#2`, `#3`.
 */
export function loadDataset(nameOrFile: string, dataDir: string = defaultDataDir()): DatasetInfo {
  const known = DATASETS[nameOrFile.toLowerCase()];
  if (known) {
    const file = path.join(dataDir, known.file);
    if (!existsSync(file)) throw new DatasetError(`${file} not found; set MAPCODER_DATA_DIR or --data to the folder holding the benchmark files`);
    const items = readJsonl<never>(file);
    return { name: nameOrFile.toLowerCase(), paperKey: known.paperKey, defaultK: known.defaultK, problems: uniqueIds(items.map(known.load)) };
  }
  if (!existsSync(nameOrFile)) {
    throw new DatasetError(`"${nameOrFile}" is neither a dataset (${Object.keys(DATASETS).join(', ')}) nor a file`);
  }
  const name = path.basename(nameOrFile).replace(/\.jsonl?$/i, '').replace(/[^\w.-]+/g, '_');
  const problems = readJsonl<OwnItem>(nameOrFile).map((item, i) => ownProblem(item, name, i + 1));
  const seen = new Set<string>();
  for (const p of problems) {
    if (seen.has(p.id)) throw new DatasetError(`${nameOrFile}: id "${p.id}" appears twice`);
    seen.add(p.id);
  }
  return { name, defaultK: 3, problems };
}

function uniqueIds(problems: EvalProblem[]): EvalProblem[] {
  const count = new Map<string, number>();
  return problems.map((p) => {
    const n = (count.get(p.id) ?? 0) + 1;
    count.set(p.id, n);
    return n === 1 ? p : { ...p, id: `${p.id}#${n}` };
  });
}
