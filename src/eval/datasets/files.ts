import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { userCacheDir } from '../../core/engine/paths';

/**
 * Where the benchmark files live: MAPCODER_DATA_DIR, else <cache>/mapcoder-lite/data, where
 * `mapcoder-lite data fetch` (and `eval` on first use) puts them.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MAPCODER_DATA_DIR || path.join(userCacheDir(env), 'mapcoder-lite', 'data');
}

/** One JSON value per non-blank line; a broken line is reported with its file and line number. */
export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim())
    .map(({ line, i }) => {
      try {
        return JSON.parse(line) as T;
      } catch (err) {
        throw new DatasetError(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
      }
    });
}

/** A dataset that cannot be found or read; the CLI prints it as a usage problem. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}
