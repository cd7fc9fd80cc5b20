// The unit tests' benchmark data: a few records of each file, excerpted into test/fixtures/data (see the
// README there). The unit layer never reads ../shared; the whole benchmarks are checked by the
// real-ExecEval layer (test/execeval), which fetches them from a loopback mirror.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export function dataDir(): string {
  return path.resolve(__dirname, '../../fixtures/data');
}

export function readJsonl<T>(name: string): T[] {
  return readFileSync(path.join(dataDir(), name), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}
