import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { LANGS } from '../judge/languages';
import type { Lang } from '../types';
import { sampleFences } from '../problem/markdown';
import type { CompanionTask } from './task';

/** The line a saved statement holds until the user pastes the real statement over it (Solve checks for it). */
export const PASTE_STATEMENT_HERE = 'Competitive Companion sends no statement text: paste the problem statement here, above the examples.';

/** Whether a statement file's text still waits for its statement (see PASTE_STATEMENT_HERE). */
export function statementMissing(text: string): boolean {
  return text.includes(PASTE_STATEMENT_HERE);
}

/**
 * A file or folder name from text a web page chose: no path separators, no control characters, no
 * words of dots alone, no leading dots, at most 80 characters; `fallback` when nothing is left.
 */
export function safeName(text: string, fallback: string): string {
  const cleaned = text
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
    .replace(/(^|\s)\.+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .slice(0, 80)
    .trim();
  return cleaned || fallback;
}

/** The statement file's text: title, where it came from, limits, the paste marker, the samples as labelled fences. */
export function statementText(task: CompanionTask): string {
  const p = task.problem;
  const head = [
    `# ${task.name}`,
    '',
    ...(task.url ? [`URL: ${task.url}`] : []),
    ...(task.group ? [`Contest: ${task.group}`] : []),
    ...(p.timeLimitMs !== undefined ? [`time limit per test: ${p.timeLimitMs} ms`] : []),
    ...(p.memoryLimitMb !== undefined ? [`memory limit per test: ${p.memoryLimitMb} megabytes`] : []),
    '',
    PASTE_STATEMENT_HERE,
    '',
    '## Examples',
  ];
  const samples = p.samples.flatMap((s) => ['', sampleFences(s)]);
  return `${[...head, ...samples].join('\n')}\n`;
}

export interface SavedProblem {
  dir: string;
  statement: string;
  source: string;
  /** Which of the two files this call created (an existing file is never written). */
  created: { statement: boolean; source: boolean };
}

/**
 * The problem's files under `root`, in a folder per contest: `<name>.md` (statementText) and an empty
 * `<name>.<ext>` for `lang`. A file that exists is left as it is: a problem sent again keeps the user's
 * pasted statement and code.
 */
export async function saveProblem(root: string, task: CompanionTask, lang: Lang): Promise<SavedProblem> {
  const dir = join(root, safeName(task.group, 'problems'));
  const base = safeName(task.name, 'problem');
  await mkdir(dir, { recursive: true });
  const statement = join(dir, `${base}.md`);
  const source = join(dir, `${base}${LANGS[lang].extensions[0]}`);
  return {
    dir, statement, source,
    created: { statement: await createNew(statement, statementText(task)), source: await createNew(source, '') },
  };
}

/** Writes `text` to a file that does not exist yet; false (nothing written) when it does. */
async function createNew(path: string, text: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  return true;
}
