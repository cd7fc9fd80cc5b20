import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Where the benchmark files live: MAPCODER_DATA_DIR, else `shared/data` beside the repository (found by
 * walking up from this file to the package root, so it works from the sources and from the bundle).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, from: string = __dirname): string {
  if (env.MAPCODER_DATA_DIR) return env.MAPCODER_DATA_DIR;
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.resolve(dir, '..', 'shared', 'data');
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
