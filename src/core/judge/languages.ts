import type { Lang } from '../types';

/**
 * How to build and run one language. Commands are argv arrays with placeholders:
 * `{src}` the source file, `{dir}` the build directory, `{exe}` the built executable, `{main}` the
 * Java class name, `{mem}` the memory limit in MiB (for runtimes that enforce it themselves, see
 * `limits.ts`). A user may override `compile`/`run` per language (settings, CLI flags).
 */
export interface LangSpec {
  id: Lang;
  label: string;
  /** File name the source is written to inside the build directory. */
  sourceFile: string;
  /** Absent for interpreted languages. */
  compile?: string[];
  /** Syntax check for interpreted languages, run once in place of a compile so errors show as CE. */
  check?: string[];
  run: string[];
  /** Names this language answers to: CLI flags, settings, and code-fence tags (matched exactly, lower-cased). */
  aliases: string[];
  extensions: string[];
  /** Line-comment prefix, used when a statement is placed above code. */
  lineComment: string;
}

export const LANGS: Record<Lang, LangSpec> = {
  python3: {
    id: 'python3', label: 'Python 3', sourceFile: 'main.py',
    check: ['python3', '-B', '-m', 'py_compile', '{src}'],
    run: ['python3', '-B', '{src}'],
    aliases: ['python3', 'python', 'py', 'py3'],
    extensions: ['.py'], lineComment: '#',
  },
  cpp: {
    id: 'cpp', label: 'C++17', sourceFile: 'main.cpp',
    compile: ['g++', '-O2', '-std=c++17', '-pipe', '-o', '{exe}', '{src}'],
    run: ['{exe}'],
    aliases: ['cpp', 'c++', 'cc', 'cxx', 'c++17', 'gnu++17'],
    extensions: ['.cpp', '.cc', '.cxx', '.hpp'], lineComment: '//',
  },
  c: {
    id: 'c', label: 'C', sourceFile: 'main.c',
    compile: ['gcc', '-O2', '-std=c11', '-pipe', '-o', '{exe}', '{src}', '-lm'],
    run: ['{exe}'],
    aliases: ['c'],
    extensions: ['.c', '.h'], lineComment: '//',
  },
  java: {
    id: 'java', label: 'Java', sourceFile: 'Main.java',
    compile: ['javac', '-J-Xmx768m', '-J-XX:-UsePerfData', '-encoding', 'UTF-8', '-d', '{dir}', '{src}'],
    run: ['java', '-Xmx{mem}m', '-Xss64m', '-XX:+UseSerialGC', '-XX:-UsePerfData', '-cp', '{dir}', '{main}'],
    aliases: ['java'],
    extensions: ['.java'], lineComment: '//',
  },
  javascript: {
    id: 'javascript', label: 'JavaScript (Node.js)', sourceFile: 'main.js',
    check: ['node', '--max-old-space-size=768', '--check', '{src}'],
    run: ['node', '--max-old-space-size={mem}', '{src}'],
    aliases: ['javascript', 'js', 'node', 'nodejs'],
    extensions: ['.js', '.mjs', '.cjs'], lineComment: '//',
  },
  rust: {
    id: 'rust', label: 'Rust', sourceFile: 'main.rs',
    compile: ['rustc', '-O', '--edition', '2021', '-o', '{exe}', '{src}'],
    run: ['{exe}'],
    aliases: ['rust', 'rs'],
    extensions: ['.rs'], lineComment: '//',
  },
};

export const LANG_IDS = Object.keys(LANGS) as Lang[];

/** Resolves a user-typed language name or alias (`c++`, `py`, `JS`); undefined when unknown. */
export function resolveLang(name: string | undefined): Lang | undefined {
  if (!name) return undefined;
  const n = name.trim().toLowerCase();
  return LANG_IDS.find((id) => LANGS[id].aliases.includes(n));
}

/** The language of a source file by its extension; undefined for statement files and unknown types. */
export function langFromFileName(fileName: string): Lang | undefined {
  const m = /\.[^./\\]+$/.exec(fileName.toLowerCase());
  if (!m) return undefined;
  return LANG_IDS.find((id) => LANGS[id].extensions.includes(m[0]));
}

/** True when a code fence's info string names `lang` (exact alias match, so `c` never matches C++). */
export function fenceMatches(tag: string, lang: Lang): boolean {
  const first = tag.trim().toLowerCase().split(/[\s{]/)[0];
  return LANGS[lang].aliases.includes(first);
}
