import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appsProblem, type AppsItem } from './apps';
import { DatasetError, defaultDataDir, readJsonl } from './files';
import { humanEvalEtProblem, humanEvalProblem, type HumanEvalItem } from './humaneval';
import { mbppProblem, type MbppItem } from './mbpp';
import { ownProblem, type OwnItem } from './own';
import { XCODEEVAL_TESTS_FILE } from './sources';
import type { DatasetInfo, EvalProblem } from './types';
import type { UnitTest } from './unittest-db';
import { xcodeEvalProblem, type XCodeEvalItem } from './xcodeeval';

export type { DatasetInfo, EvalProblem, HiddenTests, PaperDataset } from './types';
export { DatasetError, defaultDataDir, readJsonl } from './files';
export { fetchName };

interface Known {
  file: string;
  paperKey: DatasetInfo['paperKey'];
  defaultK: number;
  load: (item: never, dataDir: string) => EvalProblem;
}

/** The benchmarks MapCoder reports, as files in the data folder. k = 5 for HumanEval, 3 elsewhere (the paper). */
export const DATASETS: Record<string, Known> = {
  apps: { file: 'selected150.jsonl', paperKey: 'APPS', defaultK: 3, load: (i: AppsItem) => appsProblem(i) },
  humaneval: { file: 'HumanEvalWST.jsonl', paperKey: 'HumanEval', defaultK: 5, load: (i: HumanEvalItem) => humanEvalProblem(i) },
  'humaneval-et': { file: 'HumanEvalET.jsonl', paperKey: 'HumanEval-ET', defaultK: 5, load: (i: HumanEvalItem) => humanEvalEtProblem(i) },
  mbpp: { file: 'mbpp-py.jsonl', paperKey: 'MBPP', defaultK: 3, load: (i: MbppItem) => mbppProblem(i) },
  xcodeeval: { file: 'prog_syn_val.jsonl', paperKey: 'xCodeEval', defaultK: 3, load: (i: XCodeEvalItem, dir: string) => xcodeEvalProblem(i, xcodeTests(dir)[i.src_uid]) },
};

/**
 * A benchmark by name (apps, humaneval, humaneval-et, mbpp, xcodeeval) from `dataDir`, or our own JSONL
 * file by path. Repeated ids (APPS selected150 holds 21 items twice; the paper counts all 150) get `#2`, `#3`.
 */
export function loadDataset(nameOrFile: string, dataDir: string = defaultDataDir()): DatasetInfo {
  const known = DATASETS[nameOrFile.toLowerCase()];
  if (known) {
    const file = path.join(dataDir, known.file);
    if (!existsSync(file)) throw new DatasetError(`${file} not found: run "mapcoder-lite data fetch ${fetchName(nameOrFile)}", or give --data DIR (or MAPCODER_DATA_DIR) holding the benchmark files`);
    const items = readJsonl<never>(file);
    return { name: nameOrFile.toLowerCase(), paperKey: known.paperKey, defaultK: known.defaultK, problems: uniqueIds(items.map((i) => known.load(i, dataDir))) };
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

const xcodeCache = new Map<string, Record<string, UnitTest[]>>();

/** The data folder's extract of xCodeEval's unittest_db (made by `data fetch`), or none. */
function xcodeTests(dataDir: string): Record<string, UnitTest[]> {
  const file = path.join(dataDir, XCODEEVAL_TESTS_FILE);
  if (!xcodeCache.has(file)) {
    if (!existsSync(file)) return {};
    try {
      xcodeCache.set(file, JSON.parse(readFileSync(file, 'utf8')) as Record<string, UnitTest[]>);
    } catch (err) {
      throw new DatasetError(`${file}: not valid JSON (${(err as Error).message})`);
    }
  }
  return xcodeCache.get(file)!;
}

/** The `data fetch` name that gets a dataset's files. */
const fetchName = (dataset: string) => (dataset.toLowerCase() === 'humaneval-et' ? 'humaneval' : dataset.toLowerCase());

function uniqueIds(problems: EvalProblem[]): EvalProblem[] {
  const count = new Map<string, number>();
  return problems.map((p) => {
    const n = (count.get(p.id) ?? 0) + 1;
    count.set(p.id, n);
    return n === 1 ? p : { ...p, id: `${p.id}#${n}` };
  });
}
