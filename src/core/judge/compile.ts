import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Lang } from '../types';
import { LANGS } from './languages';
import { MEMORY_RLIMIT } from './limits';
import { letProgramThrough } from './sandbox';
import { abortError, isAbortError } from '../abort';
import type { RunOptions, RunResult } from './run';

export interface LangCommands {
  compile?: string[];
  run?: string[];
}

/** A candidate written to its build directory and, for compiled languages, compiled there. */
export interface Build {
  ok: boolean;
  /** Compiler (or syntax check) output when it failed or warned, capped. */
  message: string;
  timeMs: number;
  /** Values for the command placeholders: src, dir, exe, main. */
  vars: Record<string, string>;
}

export const COMPILE_MESSAGE_CAP = 8 * 1024;
const COMPILE_TIME_LIMIT_MS = 60_000;
/**
 * A compile's memory: a template blow-up, `#include "/dev/random"` or Rust's `include_bytes!("/dev/zero")`
 * otherwise grow until the machine swaps. Where the judge has control groups, all the compile's
 * processes together (g++, cc1plus, as and ld run at once with -pipe) get this much; every process also
 * gets it as an address-space limit (plus its stack), which is what holds without control groups.
 * Measured peaks (RSS) of ordinary contest programs: g++ -O2 with <bits/stdc++.h> 205 MB, rustc -O 121 MB,
 * javac 84 MB. Java's compiler and Node's syntax check cannot start under an address-space limit (as for
 * their runs, MEMORY_RLIMIT): their heaps are limited in their commands (languages.ts) to fit within it.
 * Compilers start threads: a modest stack each.
 */
export const COMPILE_MEMORY_MB = 1024;
const COMPILE_STACK_MB = 64;
const COMPILE_OUTPUT_CAP = 256 * 1024;

/** Runs a compile; `priority` orders it among waiting judge work (see JudgeRequest.priority). */
export type Runner = (argv: string[], opts: RunOptions, priority?: () => number) => Promise<RunResult>;

/**
 * Builds each distinct candidate once. Keyed by sha256(lang, build command, code); a build in flight
 * is shared by everyone asking for the same key. Results, failures included, live as long as the cache.
 */
export class BuildCache {
  private readonly builds = new Map<string, Promise<Build>>();

  constructor(
    private readonly root: string,
    private readonly run: Runner,
    /** Undefined: runProcess's scrubbed default. */
    private readonly env: NodeJS.ProcessEnv | undefined,
  ) {}

  async get(lang: Lang, code: string, commands: LangCommands | undefined, signal: AbortSignal, priority?: () => number): Promise<{ build: Build; cached: boolean }> {
    const argv = commands?.compile ?? LANGS[lang].compile ?? LANGS[lang].check;
    const key = createHash('sha256').update(JSON.stringify([lang, argv ?? [], code])).digest('hex');
    for (;;) {
      const pending = this.builds.get(key);
      if (!pending) break;
      try {
        return { build: await untilAborted(pending, signal), cached: true };
      } catch (e) {
        // The requester that started the build aborted it; build again unless this one aborted too.
        if (!isAbortError(e) || signal.aborted) throw e;
      }
    }
    const started = this.build(key, lang, code, argv, signal, priority);
    this.builds.set(key, started);
    started.catch(() => {
      if (this.builds.get(key) === started) this.builds.delete(key);
    });
    return { build: await started, cached: false };
  }

  private async build(key: string, lang: Lang, code: string, argv: string[] | undefined, signal: AbortSignal, priority?: () => number): Promise<Build> {
    const dir = join(this.root, key.slice(0, 24));
    const sourceFile = lang === 'java' ? `${javaMainClass(code)}.java` : LANGS[lang].sourceFile;
    const vars = {
      src: join(dir, sourceFile),
      dir,
      exe: join(dir, process.platform === 'win32' ? 'main.exe' : 'main'),
      main: lang === 'java' ? javaMainClass(code) : 'Main',
    };
    const start = performance.now();
    const elapsed = (): number => Math.round(performance.now() - start);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(vars.src, code);
      await letProgramThrough([dir], [vars.src]);
    } catch (e) {
      return { ok: false, message: `could not write the source: ${String(e)}`, timeMs: elapsed(), vars };
    }
    if (!argv) return { ok: true, message: '', timeMs: elapsed(), vars };

    const r = await this.run(expandArgv(argv, vars), {
      cwd: dir, wallLimitMs: COMPILE_TIME_LIMIT_MS, env: this.env, signal, outputCapBytes: COMPILE_OUTPUT_CAP,
      memoryLimitMb: COMPILE_MEMORY_MB, memoryRlimit: MEMORY_RLIMIT[lang], stackMb: COMPILE_STACK_MB, groupMemoryMb: COMPILE_MEMORY_MB,
    }, priority);
    const output = relativeToBuild(r.stderr || r.stdout, dir);
    const outOfMemory = compilerOutOfMemory(r);
    const message = r.spawnError
      ?? (r.timedOut ? `compilation exceeded ${COMPILE_TIME_LIMIT_MS / 1000} s`
        : outOfMemory ? `the compiler ran out of memory (limit ${COMPILE_MEMORY_MB} MB)`
          : r.outputLimitExceeded ? `compilation wrote more than ${COMPILE_OUTPUT_CAP / 1024} KB of messages` : capHead(output, COMPILE_MESSAGE_CAP));
    return { ok: r.exitCode === 0 && !r.timedOut && !outOfMemory, message, timeMs: elapsed(), vars };
  }
}

// What compilers say when an allocation fails, at the start of a line (an error message quoting the
// source, "std::bad_alloc" in it, is indented or prefixed): cc1/cc1plus, GCC's driver, rustc, javac,
// Node's syntax check, Python's py_compile.
const COMPILER_OUT_OF_MEMORY = /^(?:cc1(?:plus)?: out of memory allocating|virtual memory exhausted|memory allocation of \d+ bytes failed|error: couldn't read .*: out of memory$|(?:Exception in thread "\w+" )?java\.lang\.OutOfMemoryError|The system is out of resources|FATAL ERROR: .*JavaScript heap out of memory|MemoryError)/m;

/** A compile that failed for memory: its control group's limit, a compiler's own words, or the OOM killer's SIGKILL. */
function compilerOutOfMemory(r: RunResult): boolean {
  if (r.exitCode === 0 || r.timedOut || r.outputLimitExceeded || r.spawnError !== undefined) return false;
  return r.oomKilled === true || r.signal === 'SIGKILL' || COMPILER_OUT_OF_MEMORY.test(r.stderr);
}

/** Paths into the build directory shown relative to it: shorter, and the same on every run. */
export function relativeToBuild(text: string, dir: string): string {
  return text.split(dir + sep).join('');
}

/** Replaces `{name}` placeholders in each argument. Unknown names stay as they are. */
export function expandArgv(argv: string[], vars: Record<string, string>): string[] {
  return argv.map((a) => a.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m));
}

/**
 * The class Java must be run as: the public class (its file must carry its name), else the class that
 * declares `main`, else `Main`.
 */
export function javaMainClass(code: string): string {
  const source = code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const pub = /\bpublic\s+(?:(?:final|abstract|strictfp)\s+)*class\s+([A-Za-z_$][\w$]*)/.exec(source);
  if (pub) return pub[1];
  const mainAt = source.search(/\bstatic\s+void\s+main\s*\(/);
  if (mainAt >= 0) {
    const classes = [...source.slice(0, mainAt).matchAll(/\bclass\s+([A-Za-z_$][\w$]*)/g)];
    if (classes.length > 0) return classes[classes.length - 1][1];
  }
  return 'Main';
}

function capHead(s: string, cap: number): string {
  return s.length <= cap ? s : `${s.slice(0, cap)}\n[... ${s.length - cap} more characters]`;
}

function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
