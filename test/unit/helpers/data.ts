// Where the benchmark data lives (MAPCODER_DATA_DIR, else ../shared/data beside the repository) and a JSONL reader.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export function dataDir(): string {
  return process.env.MAPCODER_DATA_DIR ?? path.resolve(__dirname, '../../../../shared/data');
}

export function readJsonl<T>(name: string): T[] {
  return readFileSync(path.join(dataDir(), name), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}
