// The user's own tests of a problem, kept beside it in a plain file they can edit: `<name>.tests.md`
// next to `<name>.md` (the statement) and `<name>.<ext>` (the program), one "## Test N" section per test
// with fences labelled input and output, the shape the Markdown sample reader already reads. The
// pipeline and the judge use them like the statement's samples, after them.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic';
import type { Problem, Sample } from '../types';
import { markdownSamples, sampleFences } from './markdown';
import { normalizeNewlines } from './text';

const SUFFIX = '.tests.md';

/** The tests file of a problem whose statement or program is `file`. */
export function userTestsPath(file: string): string {
  const name = basename(file);
  const base = name.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : basename(name, extname(name));
  return join(dirname(file), `${base}${SUFFIX}`);
}

/** The tests in a tests file's text. */
export function parseUserTests(text: string): Sample[] {
  return markdownSamples(normalizeNewlines(text));
}

/** The tests of `path`; none when the file does not exist. */
export async function readUserTests(path: string): Promise<Sample[]> {
  try {
    return parseUserTests(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** A tests file's text for `tests`. */
export function userTestsText(tests: Sample[]): string {
  const head = '# Tests\n\nYour own tests for this problem, used like its samples. Each test: an input fence, then an output fence.\n';
  const body = tests.map((t, i) => `\n## Test ${i + 1}\n\n${sampleFences(t)}\n`);
  return `${head}${body.join('')}`;
}

/** Writes the tests file whole (a reader sees the old file or the new one). */
export function writeUserTests(path: string, tests: Sample[]): Promise<void> {
  return writeFileAtomic(path, userTestsText(tests));
}

/** `path`'s tests with `test` added at the end, unless a test with that input is already there; whether it was added. */
export async function addUserTest(path: string, test: Sample): Promise<boolean> {
  const tests = await readUserTests(path);
  if (tests.some((t) => t.input === test.input)) return false;
  await writeUserTests(path, [...tests, test]);
  return true;
}

/** The problem with the user's tests after its samples (a test whose input a sample has is left out). */
export function withUserTests(problem: Problem, tests: Sample[]): Problem {
  if (problem.style.kind !== 'stdio') return problem;
  const added = tests.filter((t) => !problem.samples.some((s) => s.input === t.input));
  return added.length ? { ...problem, samples: [...problem.samples, ...added] } : problem;
}
