import { readFileSync, statSync } from 'node:fs';
import { parseProblem } from '../core/problem';
import { langFromFileName, resolveLang } from '../core/judge/languages';
import type { Lang, Problem } from '../core/types';
import { UsageError } from './args';

export function readProblem(file: string | undefined): Problem {
  if (!file) throw new UsageError('Missing the problem file argument');
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file} is a folder, not a problem file`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseProblem(text, { fileName: file });
}

/** --lang, else the extension of `file` (a source file); undefined when neither tells. */
export function chooseLang(flag: string | undefined, file: string | undefined): Lang | undefined {
  if (flag !== undefined) {
    const lang = resolveLang(flag);
    if (!lang) throw new UsageError(`Unknown language "${flag}"; use python3, cpp, c, java, javascript or rust`);
    return lang;
  }
  return file ? langFromFileName(file) : undefined;
}
