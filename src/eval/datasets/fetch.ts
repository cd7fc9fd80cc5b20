import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { download, DownloadError, type DownloadProgress } from '../../core/engine/download';
import { readJsonl } from './files';
import { DATA_FILES, FETCHABLE, XCODEEVAL_TESTS_FILE, type DataFile } from './sources';
import { extractUnitTests } from './unittest-db';

// `data fetch`: the benchmark files from their public homes (or a mirror) into the data folder, through
// the engine's downloader (resumed after an interruption, the disk checked first, the sha256 checked
// before a file takes its name).

export interface FetchOptions {
  /** A mirror holding the files under their names (MAPCODER_DATA_URL), instead of their homes. */
  mirror?: string;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** One line per thing worth saying (a file already there, an unpinned file, the extract). */
  onNote?: (text: string) => void;
}

export class DataFetchError extends Error {
  override name = 'DataFetchError';
}

/** The names `data fetch` takes: a benchmark, or all. */
export function fetchTargets(name: string): string[] {
  const n = name.toLowerCase();
  if (n === 'all') return Object.keys(FETCHABLE);
  if (n === 'humaneval-et') return ['humaneval'];
  if (!FETCHABLE[n]) throw new DataFetchError(`unknown dataset "${name}" (humaneval, mbpp, apps, xcodeeval or all)`);
  return [n];
}

/** Files of `targets` not yet in `dataDir` (the xCodeEval database only while its extract is missing). */
export function missingFiles(targets: string[], dataDir: string): DataFile[] {
  return targets.flatMap((t) => FETCHABLE[t]).map((k) => DATA_FILES[k])
    .filter((f) => !existsSync(path.join(dataDir, f.name)))
    .filter((f) => f !== DATA_FILES.unittestDb || !existsSync(path.join(dataDir, XCODEEVAL_TESTS_FILE)));
}

/** Gets what `targets` need into `dataDir`; a no-op when everything is there. */
export async function fetchData(targets: string[], dataDir: string, opts: FetchOptions = {}): Promise<{ fetched: string[] }> {
  const fetched: string[] = [];
  for (const file of missingFiles(targets, dataDir)) {
    const url = opts.mirror ? `${opts.mirror.replace(/\/+$/, '')}/${file.name}` : file.url;
    if (!file.sha256) opts.onNote?.(`${file.name} has no pinned sha256 (no copy could be hashed when this version was made): it is checked for its content instead`);
    try {
      await download(
        { url, dest: path.join(dataDir, file.name), label: file.name, size: file.size, sha256: file.sha256, diskHint: 'give --data DIR or MAPCODER_DATA_DIR on another disk' },
        { signal: opts.signal, onProgress: opts.onProgress },
      );
    } catch (e) {
      if (e instanceof DownloadError && e.kind === 'unreachable') {
        throw new DataFetchError(`${e.message}; offline? set MAPCODER_DATA_URL to a mirror of the files, or give --data DIR with them`);
      }
      throw e;
    }
    fetched.push(file.name);
  }
  if (targets.includes('xcodeeval')) await xcodeevalExtract(dataDir, opts);
  return { fetched };
}

/** The hidden tests of prog_syn_val's problems, out of unittest_db.json (kept: a later version may need more). */
async function xcodeevalExtract(dataDir: string, opts: FetchOptions): Promise<void> {
  const out = path.join(dataDir, XCODEEVAL_TESTS_FILE);
  if (existsSync(out)) return;
  const uids = readJsonl<{ src_uid: string }>(path.join(dataDir, DATA_FILES.xcodeeval.name)).map((i) => i.src_uid);
  const n = await extractUnitTests(path.join(dataDir, DATA_FILES.unittestDb.name), uids, out);
  opts.onNote?.(`${XCODEEVAL_TESTS_FILE}: the hidden unit tests of all ${n} xCodeEval problems`);
}
