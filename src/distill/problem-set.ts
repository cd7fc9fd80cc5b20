import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseCompanion } from '../core/problem/companion';
import { DatasetError, loadDataset, type DatasetInfo, type EvalProblem } from '../eval/datasets';

/**
 * A problem set for distillation: a benchmark name or our own JSONL file (the eval loaders), or a
 * folder of Competitive Companion JSON files (one problem per file, named by the file). Companion
 * problems carry sample tests only, so they are judged on their samples again ("samples only").
 */
export function loadProblemSet(nameOrPath: string, dataDir?: string): DatasetInfo {
  let isDir = false;
  try {
    isDir = statSync(nameOrPath).isDirectory();
  } catch {
    // not a path: a benchmark name or a missing file, which loadDataset reports
  }
  return isDir ? companionFolder(nameOrPath) : loadDataset(nameOrPath, dataDir);
}

function companionFolder(dir: string): DatasetInfo {
  const files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.json')).sort();
  if (!files.length) throw new DatasetError(`${dir} holds no Competitive Companion .json file`);
  const name = path.basename(path.resolve(dir)).replace(/[^\w.-]+/g, '_');
  const problems = files.map((f): EvalProblem => {
    const problem = parseCompanion(readFileSync(path.join(dir, f), 'utf8'));
    if (!problem) throw new DatasetError(`${path.join(dir, f)} is not Competitive Companion JSON`);
    return { id: f.replace(/\.json$/i, ''), dataset: name, problem, hidden: { kind: 'stdio', tests: problem.samples }, hiddenAvailable: false };
  });
  return { name, defaultK: 3, problems };
}
