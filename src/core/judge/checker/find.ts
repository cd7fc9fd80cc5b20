// Where a problem's checker and interactor come from: a name or file the user gave (--checker, the
// per-folder setting), else `<stem>.checker.<ext>` / `<stem>.interactor.<ext>` beside the statement;
// testlib.h beside the tool, else the one the user set.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { BUILTIN_CHECKERS, type BuiltinChecker, type CheckerSpec, type Lang, type Problem, type ToolProgram } from '../../types';
import { LANGS, LANG_IDS, langFromFileName } from '../languages';
import { withJudgingHints } from '../../problem/judging';
import { includesTestlib, missingTestlibLine } from './tool';

export interface JudgingChoices {
  /** A built-in checker's name (`floats:1e-4,1e-4`) or a checker program's path. */
  checker?: string;
  /** An interactor program's path. */
  interactor?: string;
  /** testlib.h, or the folder holding it. */
  testlib?: string;
  /** Where relative paths start (the CLI: its working folder; the editor: the workspace folder). */
  base?: string;
}

/** A choice that cannot be used: one line. */
export class JudgingChoiceError extends Error {
  override name = 'JudgingChoiceError';
}

/** The problem with what its statement says about judging and the checker and interactor found for it. */
export function withJudging(problem: Problem, statementPath: string | undefined, choices: JudgingChoices = {}): Problem {
  const hinted = withJudgingHints(problem);
  const base = choices.base ?? process.cwd();
  const testlib = choices.testlib ? testlibFile(resolve(base, choices.testlib)) : undefined;
  const checker = choices.checker ? checkerChoice(choices.checker, base, testlib) : statementPath ? besideStatement(statementPath, 'checker', testlib) : undefined;
  const interactor = choices.interactor ? toolAt(resolve(base, choices.interactor), testlib, '--interactor') : statementPath ? besideStatement(statementPath, 'interactor', testlib) : undefined;
  return {
    ...hinted,
    ...(checker ? { checker } : {}),
    ...(interactor ? { interactor } : {}),
  };
}

/** A built-in name, with `floats:ABS[,REL]` tolerances; undefined when `value` names none. */
export function builtinChecker(value: string): CheckerSpec | undefined {
  const [name, args] = value.split(':', 2);
  if (!(BUILTIN_CHECKERS as readonly string[]).includes(name)) return undefined;
  if (args === undefined) return { kind: 'builtin', name: name as BuiltinChecker };
  const tols = args.split(',').map(Number);
  if (name !== 'floats' || tols.length > 2 || !tols.every((t) => Number.isFinite(t) && t >= 0)) {
    throw new JudgingChoiceError(`checker "${value}": only floats takes tolerances, as floats:ABS or floats:ABS,REL (e.g. floats:1e-6)`);
  }
  return { kind: 'builtin', name: 'floats', absTol: tols[0], relTol: tols[1] ?? tols[0] };
}

function checkerChoice(value: string, base: string, testlib: string | undefined): CheckerSpec {
  const builtin = builtinChecker(value);
  if (builtin) return builtin;
  const path = resolve(base, value);
  if (!existsSync(path)) throw new JudgingChoiceError(`checker "${value}" is neither a built-in checker (${BUILTIN_CHECKERS.join(', ')}, floats:ABS,REL) nor a file`);
  return { kind: 'program', ...toolAt(path, testlib, 'the checker') };
}

/** `<stem>.<role>.<ext>` beside the statement, in any judged language. */
function besideStatement(statementPath: string, role: 'checker', testlib: string | undefined): CheckerSpec | undefined;
function besideStatement(statementPath: string, role: 'interactor', testlib: string | undefined): ToolProgram | undefined;
function besideStatement(statementPath: string, role: 'checker' | 'interactor', testlib: string | undefined): CheckerSpec | ToolProgram | undefined {
  const dir = dirname(statementPath);
  const stem = basename(statementPath, extname(statementPath));
  for (const lang of LANG_IDS) {
    for (const ext of LANGS[lang].extensions) {
      const path = join(dir, `${stem}.${role}${ext}`);
      if (!isFile(path)) continue;
      const tool = toolAt(path, testlib, role);
      return role === 'checker' ? { kind: 'program', ...tool } : tool;
    }
  }
  return undefined;
}

function toolAt(path: string, testlib: string | undefined, what: string): ToolProgram {
  const lang: Lang | undefined = langFromFileName(path);
  if (!lang) throw new JudgingChoiceError(`${what} ${path}: the file's extension names no language (.py, .cpp, .c, .java, .js, .rs)`);
  const beside = join(dirname(path), 'testlib.h');
  const found = isFile(beside) ? beside : testlib;
  return { path, lang, ...(found ? { testlib: found } : {}) };
}

function testlibFile(path: string): string {
  const file = isDir(path) ? join(path, 'testlib.h') : path;
  if (!isFile(file)) throw new JudgingChoiceError(`testlib ${path}: no testlib.h there`);
  return file;
}

/**
 * Why an interactive problem is not judged, in one line; undefined when it can be. `statementPath`: the
 * statement's file, to name the interactor beside it; `orElse`: another way to give one (a CLI flag).
 */
export function interactiveRefusal(problem: Pick<Problem, 'interactive' | 'interactor'>, statementPath?: string, orElse = ''): string | undefined {
  if (!problem.interactive || problem.interactor) return undefined;
  const beside = statementPath ? `${basename(statementPath, extname(statementPath))}.interactor.cpp (or .py) beside ${basename(statementPath)}` : '<name>.interactor.cpp (or .py) beside the statement';
  return `This is an interactive problem: its samples are a transcript, not an input, so no verdict can come from them. ` +
    `To judge it, give a testlib-style interactor (it reads the test from its first argument and talks to the program over stdin/stdout): ${beside}${orElse}`;
}

/**
 * Why the problem's checker or interactor cannot be built, in one line (testlib.h missing); undefined
 * when nothing is missing. Said before a run, so no run ends in judge errors for it.
 */
export function toolProblem(problem: Pick<Problem, 'checker' | 'interactor'>): string | undefined {
  const tools = [problem.checker?.kind === 'program' ? problem.checker : undefined, problem.interactor].filter((t): t is ToolProgram => t !== undefined);
  for (const t of tools) {
    let code: string;
    try {
      code = readFileSync(t.path, 'utf8');
    } catch (e) {
      return `cannot read ${t.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    }
    if ((t.lang === 'cpp' || t.lang === 'c') && includesTestlib(code) && !t.testlib) return missingTestlibLine(t.path);
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
