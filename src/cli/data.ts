import { DownloadError, type DownloadProgress } from '../core/engine/download';
import { formatBytes } from '../core/engine/gguf';
import { percentOf } from '../core/engine/status';
import { DatasetError, defaultDataDir } from '../eval/datasets';
import { DataFetchError, fetchData, fetchTargets } from '../eval/datasets/fetch';
import { parse, UsageError } from './args';

export const DATA_HELP = `Usage: mapcoder-lite data fetch [humaneval|mbpp|apps|xcodeeval|all] [--data DIR]
Downloads the benchmarks eval runs into the data folder (--data, else MAPCODER_DATA_DIR, else
~/.cache/mapcoder-lite/data): MapCoder's published data files (HumanEval and HumanEval-ET, MBPP,
APPS selected150, xCodeEval's validation problems) from GitHub, each checked against its pinned
sha256, and xCodeEval's hidden unit tests (unittest_db.json) from its dataset on the Hugging Face hub,
of which the 106 problems' tests are kept in xcodeeval_unittests.json. Files already there are kept;
an interrupted download resumes. MAPCODER_DATA_URL=URL takes every file from URL/<name> instead (a
mirror). eval fetches what a dataset needs on first use. Default: all.`;

/**
 * Download progress on `err`: one line updating in place on a terminal, else a line per file and tenth
 * (a log); `done` ends an updating line.
 */
export function dataFetchProgress(err: NodeJS.WritableStream) {
  const tty = (err as NodeJS.WriteStream).isTTY === true;
  let open = false;
  let lastKey = '';
  const done = () => {
    if (open) err.write('\n');
    open = false;
  };
  const onProgress = (p: DownloadProgress) => {
    const pct = percentOf(p.received, p.total);
    const text = `data: downloading ${p.label} ${pct === undefined ? formatBytes(p.received) : `${pct} % (${formatBytes(p.received)} of ${formatBytes(p.total!)})`}`;
    if (tty) return void (err.write(`\r\x1b[2K${text}`), (open = true));
    const key = `${p.label} ${Math.floor((pct ?? 0) / 10)}`;
    if (key !== lastKey) (lastKey = key), err.write(`${text}\n`);
  };
  return { onProgress, onNote: (text: string) => (done(), err.write(`${text}\n`)), done };
}

/** Fetch errors are the user's to fix (network, disk, a wrong mirror): one line, exit 2. */
export function asUsage(e: unknown): never {
  if (e instanceof DataFetchError || e instanceof DatasetError || (e instanceof DownloadError && e.kind !== 'cancelled')) throw new UsageError(e.message);
  throw e;
}

export async function dataCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, { data: { type: 'string' } });
  if (values.help) return out.write(`${DATA_HELP}\n`), 0;
  const [verb, name = 'all', ...extra] = positionals;
  if (verb !== 'fetch' || extra.length) throw new UsageError('usage: mapcoder-lite data fetch [humaneval|mbpp|apps|xcodeeval|all] [--data DIR]', true);
  let targets: string[];
  try {
    targets = fetchTargets(name);
  } catch (e) {
    return asUsage(e);
  }
  const dataDir = values.data ?? defaultDataDir();
  const progress = dataFetchProgress(err);
  const { fetched } = await fetchData(targets, dataDir, { mirror: process.env.MAPCODER_DATA_URL || undefined, signal, ...progress })
    .catch(asUsage)
    .finally(progress.done);
  out.write(`${fetched.length ? `Fetched ${fetched.join(', ')}` : 'Everything was there already'} in ${dataDir}\n`);
  return 0;
}
