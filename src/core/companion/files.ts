import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic';
import { LANGS } from '../judge/languages';
import { ProblemError } from '../problem/error';
import { readSaved, savedText, type SavedFile, type SavedMeta } from '../problem/saved';
import type { Lang } from '../types';
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

/** A Java class name for a problem name, as Companion's taskClass makes it ("A - Day of Takahashi" -> ADayOfTakahashi). */
export function javaClassName(name: string): string {
  const words = name.match(/[A-Za-z0-9]+/g) ?? [];
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('').slice(0, 80);
  return /^[A-Za-z]/.test(joined) ? joined : `Task${joined}`;
}

export interface SavedProblem {
  dir: string;
  statement: string;
  source: string;
  /** "saved": a new statement file; "updated": the same problem sent again, its samples and limits refreshed. */
  status: 'saved' | 'updated';
  /** Whether this call created the source file (an existing one is never written). */
  sourceCreated: boolean;
}

/** Same page, same name: a distinct problem whose name cleans to the same file name is not it. */
const sameProblem = (a: SavedMeta, b: SavedMeta) => a.name === b.name && (a.url ?? '') === (b.url ?? '');

/**
 * The problem's files under `root`, in a folder per contest (per batch: every problem of one contest
 * send lands in the first one's folder, `batchDirs` remembers it): `<name>.md` and an empty
 * `<name>.<ext>` for `lang`; for Java `<Class>.md` and `<Class>.java`, the class from Companion's
 * taskClass, so javac accepts the file. The same problem sent again rewrites the statement file's
 * facts and samples and keeps the user's statement text; the source file and the user's own tests
 * (`<name>.tests.md`) are never written. A different problem whose name cleans to a taken file name
 * gets a suffix: "<name> (2)", Java "<Class>2".
 */
export async function saveProblem(root: string, task: CompanionTask, lang: Lang, batchDirs = new Map<string, string>()): Promise<SavedProblem> {
  const batch = task.batch && task.batch.size > 1 ? task.batch.id : undefined;
  const folder = (batch && batchDirs.get(batch)) || safeName(task.meta.contest ?? '', 'problems');
  if (batch) batchDirs.set(batch, folder);
  const dir = join(root, folder);
  await mkdir(dir, { recursive: true });
  const java = lang === 'java';
  const first = java ? (task.meta.javaClass ?? javaClassName(task.meta.name)) : safeName(task.meta.name, 'problem');
  for (let n = 1; ; n++) {
    const base = n === 1 ? first : java ? `${first}${n}` : `${first} (${n})`;
    const meta: SavedMeta = java ? { ...task.meta, javaClass: base } : task.meta;
    const statement = join(dir, `${base}.md`);
    const status = await saveStatement(statement, meta, task);
    if (!status) continue;
    const source = join(dir, `${base}${LANGS[lang].extensions[0]}`);
    return { dir, statement, source, status, sourceCreated: await createNew(source, '') };
  }
}

/** Writes the statement file when it is new or this problem's; undefined when another problem has it. */
async function saveStatement(path: string, meta: SavedMeta, task: CompanionTask): Promise<SavedProblem['status'] | undefined> {
  const old = await readSavedFile(path);
  if (old === 'missing') return (await createNew(path, savedText(meta, task.samples, PASTE_STATEMENT_HERE))) ? 'saved' : saveStatement(path, meta, task);
  if (!old || !sameProblem(old.meta, meta)) return undefined;
  await writeFileAtomic(path, savedText(meta, task.samples, old.statement));
  return 'updated';
}

/** The saved problem at `path`; "missing" when there is no file, undefined when the file is something else. */
async function readSavedFile(path: string): Promise<SavedFile | 'missing' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    return readSaved(text.replace(/\r\n?/g, '\n'));
  } catch (e) {
    if (e instanceof ProblemError) return undefined; // front matter the user broke: not overwritten
    throw e;
  }
}

/**
 * Saves problems one at a time (two sends racing for one name would both find it free) and keeps
 * each batch's folder; `root` is asked for each problem (a setting may change between sends).
 */
export class ProblemSaver {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly batchDirs = new Map<string, string>();

  save(root: string, task: CompanionTask, lang: Lang): Promise<SavedProblem> {
    const next = this.queue.then(() => saveProblem(root, task, lang, this.batchDirs));
    this.queue = next.catch(() => undefined);
    return next;
  }
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
