import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { parseProblem } from '../core/problem';
import { parseUserTests, userTestsPath, withUserTests } from '../core/problem/user-tests';
import { langFromFileName, resolveLang } from '../core/judge/languages';
import type { Lang, Problem } from '../core/types';
import { interactiveRefusal, JudgingChoiceError, toolProblem, withJudging } from '../core/judge/checker/find';
import { UsageError } from './args';

export const JUDGING_OPTIONS = {
  checker: { type: 'string' }, interactor: { type: 'string' }, testlib: { type: 'string' },
} as const;

export const JUDGING_HELP = `  --checker NAME|FILE a checker instead of comparing with the expected output: built in, tokens | lines |
                     floats[:ABS[,REL]] | case-insensitive | unordered-tokens | unordered-lines, or a
                     testlib-style program (checker input output answer; exit 0 AC, 1 WA, 2 PE, 3 fail).
                     Default: <name>.checker.<ext> beside FILE, else floats with the statement's "10^-6"
  --interactor FILE  an interactive problem's testlib-style interactor (default <name>.interactor.<ext>)
  --testlib FILE|DIR testlib.h for checkers that include it, when it is not beside them`;

/**
 * The problem with its judging as the flags and the files beside the statement say (checker,
 * interactor, files, any-answer); one line and exit 2 for what cannot work (an interactive problem
 * with no interactor, a checker that needs a testlib.h nobody gave).
 */
export function withJudgingChoices(problem: Problem, file: string, values: { checker?: string; interactor?: string; testlib?: string }): Problem {
  let judged: Problem;
  try {
    judged = withJudging(problem, file, values);
  } catch (e) {
    if (e instanceof JudgingChoiceError) throw new UsageError(e.message);
    throw e;
  }
  const refusal = interactiveRefusal(judged, file, ', or --interactor FILE') ?? toolProblem(judged);
  if (refusal) throw new UsageError(refusal);
  return judged;
}

export function readProblem(file: string | undefined): Problem {
  if (!file) throw new UsageError('Missing the problem file argument');
  return parseProblem(readUserFile(file), { fileName: file });
}

/** The problem with the user's own tests (`<name>.tests.md` beside FILE) after its samples; `note` hears how many were added. */
export function readProblemWithTests(file: string | undefined, note: (line: string) => void): Problem {
  const problem = readProblem(file);
  const path = userTestsPath(file!);
  let text: string;
  try {
    text = readUserFile(path);
  } catch {
    return problem; // no tests file (or not a readable one)
  }
  const merged = withUserTests(problem, parseUserTests(text));
  const added = merged.samples.length - problem.samples.length;
  if (added) note(`and ${added} test${added === 1 ? '' : 's'} of yours from ${path}`);
  return merged;
}

/**
 * A file the user named, read whole. Anything but a regular file (a FIFO or a device would block
 * forever, a folder cannot be read) is refused with one line; the check is on the opened file itself.
 */
export function readUserFile(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${file} is ${kindOf(st)}, not a file; give a statement or source file`);
    return readFileSync(fd, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Said wherever a statement yields no sample tests: what the parser looks for. */
export function noSamplesLine(file: string | undefined): string {
  return `No sample tests found in ${file}. Samples are read from: "Input"/"Output" headings or labels (Codeforces, also as copied with "InputCopy"), ` +
    `"Sample Input 1"/"Sample Output 1" (AtCoder), "Example 1: Input: ... Output: ..." (LeetCode), Markdown fences labelled input/output, ` +
    `Python doctests, Competitive Companion JSON; in a source file, its leading comment or docstring`;
}

/** A program the user wrote for the stress tests (--brute, --generator), in the language its extension names. */
export function readUserProgram(file: string, flag: string): { code: string; lang: Lang } {
  const lang = langFromFileName(file);
  if (!lang) throw new UsageError(`--${flag} ${file}: the file's extension names no language (.py, .cpp, .c, .java, .js, .rs)`);
  return { code: readUserFile(file), lang };
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
