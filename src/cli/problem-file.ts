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

/** Said wherever a statement yields no sample tests: what the parser looks for. */
export function noSamplesLine(file: string | undefined): string {
  return `No sample tests found in ${file}. Samples are read from: "Input"/"Output" headings or labels (Codeforces, also as copied with "InputCopy"), ` +
    `"Sample Input 1"/"Sample Output 1" (AtCoder), "Example 1: Input: ... Output: ..." (LeetCode), Markdown fences labelled input/output, ` +
    `Python doctests, Competitive Companion JSON; in a source file, its leading comment or docstring`;
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
