import { createReadStream } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { DatasetError } from './files';

// xCodeEval's unittest_db.json maps every problem's src_uid to its hidden tests
// ({src_uid: [{input, output: [..]}, ...]}) for thousands of problems: too large to parse whole here,
// so it is read as a stream and only the wanted problems' values are kept.

export interface UnitTest {
  input: string;
  output: string[];
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c;
const OPENS = new Set([0x5b, 0x7b]);
const CLOSES = new Set([0x5d, 0x7d]);

/** The tests of `wanted` src_uids in a unittest_db.json file; a problem the file lacks is missing. */
export async function readUnitTests(file: string, wanted: Set<string>): Promise<Map<string, UnitTest[]>> {
  const found = new Map<string, UnitTest[]>();
  let depth = 0;
  let inString = false;
  let escaped = false;
  let key: number[] | undefined; // bytes of the key being read at depth 1
  let lastKey = '';
  let expectKey = false;
  let value: Buffer[] | undefined; // chunks of a wanted value being read
  let valueStart = -1;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    if (value) valueStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inString) {
        if (key && !(c === QUOTE && !escaped)) key.push(c);
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (key) (lastKey = JSON.parse(`"${Buffer.from(key).toString('utf8')}"`) as string), (key = undefined);
        }
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && expectKey) (key = []), (expectKey = false);
      } else if (OPENS.has(c)) {
        depth++;
        if (depth === 1) expectKey = true;
        else if (depth === 2 && wanted.has(lastKey)) (value = []), (valueStart = i);
      } else if (CLOSES.has(c)) {
        depth--;
        if (depth === 1 && value) {
          value.push(chunk.subarray(valueStart, i + 1));
          found.set(lastKey, JSON.parse(Buffer.concat(value).toString('utf8')) as UnitTest[]);
          value = undefined;
        }
      } else if (depth === 1 && c === COMMA) expectKey = true;
      else if (depth === 1 && c === COLON) expectKey = false;
    }
    if (value) value.push(chunk.subarray(valueStart));
  }
  if (depth !== 0 || inString) throw new DatasetError(`${file}: not a whole JSON object (cut short?)`);
  return found;
}

/**
 * Writes the tests of `uids` from unittest_db.json `db` to `out` (a small file the loader reads), and
 * fails, writing nothing, when the database lacks any of them: a wrong or partial file.
 */
export async function extractUnitTests(db: string, uids: string[], out: string): Promise<number> {
  const tests = await readUnitTests(db, new Set(uids));
  const missing = uids.filter((u) => !tests.get(u)?.length);
  if (missing.length) throw new DatasetError(`${db} has no unit tests for ${missing.length} of the ${uids.length} problems (first: ${missing[0]})`);
  await writeFile(`${out}.partial`, `${JSON.stringify(Object.fromEntries(uids.map((u) => [u, tests.get(u)])))}\n`);
  await rename(`${out}.partial`, out);
  return uids.length;
}
