import { LANGS } from '../judge/languages';
import type { Lang, Problem, TestResult, JudgeReport } from '../types';

// Turns a problem, a language and test reports into the text the prompt templates receive.

const FENCE: Record<Lang, string> = { python3: 'python', cpp: 'cpp', c: 'c', java: 'java', javascript: 'javascript', rust: 'rust' };

/** Each sample field is cut to this many characters in prompts; huge samples only waste context. */
const SAMPLE_CHARS = 2000;
/** Bounds on the debugging report: its size must not grow with anything but these. */
const REPORT_TESTS = 3;
const REPORT_FIELD_CHARS = 800;
const REPORT_STDERR_CHARS = 600;
const REPORT_COMPILE_CHARS = 2000;

export function fenceTag(lang: Lang): string {
  return FENCE[lang];
}

export function clip(text: string, max: number, keep: 'head' | 'tail' = 'head'): string {
  if (text.length <= max) return text;
  return keep === 'head' ? `${text.slice(0, max)}\n... (${text.length - max} more characters)` : `... (${text.length - max} characters before)\n${text.slice(-max)}`;
}

export function samplesText(p: Problem): string {
  if (p.style.kind === 'function') return p.asserts.join('\n');
  return p.samples
    .map((s, i) => `Input ${i + 1}:\n${clip(s.input, SAMPLE_CHARS).trimEnd()}\nExpected output ${i + 1}:\n${clip(s.outputs[0] ?? '', SAMPLE_CHARS).trimEnd()}`)
    .join('\n\n');
}

/** The I/O convention the program must follow, in one or two sentences. */
export function ioConvention(p: Problem, lang: Lang): string {
  if (p.style.kind === 'function') {
    const sig = p.style.signature ? ` with the signature \`${p.style.signature}\`` : '';
    return `Define the function \`${p.style.name}\`${sig}, together with any imports and helpers it needs. Do not read input, print, or include tests.`;
  }
  // the judge's class when the page named one (Companion's taskClass): the user's file carries that name
  const java = lang === 'java' ? ` Put the entry point in a public class named ${p.javaClass ?? 'Main'}.` : '';
  if (p.interactive) {
    return `This is an interactive problem: the program talks to the judge's interactor, reading its replies from standard input and writing queries and the answer to standard output. Flush the output after every line you print (or the interactor never sees it), and read each reply before the next query.${java}`;
  }
  const from = p.io?.input ? `the file ${p.io.input}` : 'standard input';
  const to = p.io?.output ? `the file ${p.io.output}` : 'standard output';
  return `The program reads the input from ${from} and writes the answer to ${to}, printing nothing else.${java}`;
}

/** The failing part of a judge report, bounded in size however many tests or rounds there are. */
export function testReportText(report: JudgeReport): string {
  if (report.verdict === 'CE') return `Compilation failed:\n${clip(report.compile?.message ?? '', REPORT_COMPILE_CHARS, 'tail')}`;
  const failed = report.tests.filter((t) => t.verdict !== 'AC');
  const shown = failed.slice(0, REPORT_TESTS).map(testText);
  const more = failed.length > shown.length ? `\n(${failed.length - shown.length} more failing tests not shown)` : '';
  return `${report.passed} of ${report.total} sample tests pass.\n\n${shown.join('\n\n')}${more}`;
}

function testText(t: TestResult): string {
  const lines = [`Test ${t.index + 1}: ${VERDICT_WORDS[t.verdict]}`, `Input:\n${clip(t.input, REPORT_FIELD_CHARS).trimEnd()}`];
  if (t.expected.length) lines.push(`Expected output:\n${clip(t.expected[0], REPORT_FIELD_CHARS).trimEnd()}`);
  if (t.verdict !== 'TLE') lines.push(`Actual output:\n${clip(t.actual, REPORT_FIELD_CHARS).trimEnd() || '(nothing)'}`);
  if (t.message) lines.push(`Checker: ${clip(t.message, REPORT_FIELD_CHARS)}`);
  if ((t.verdict === 'RE' || t.verdict === 'MLE') && t.stderr.trim()) lines.push(`Error output (end):\n${clip(t.stderr.trimEnd(), REPORT_STDERR_CHARS, 'tail')}`);
  return lines.join('\n');
}

const VERDICT_WORDS: Record<TestResult['verdict'], string> = {
  AC: 'accepted',
  WA: 'wrong answer',
  TLE: 'time limit exceeded',
  MLE: 'memory limit exceeded',
  RE: 'runtime error',
  CE: 'compilation error',
  PE: 'presentation error',
  JE: 'judge error',
  UV: 'unverified',
};

export function languageLabel(lang: Lang): string {
  return LANGS[lang].label;
}
