import { printable } from '../core/printable';
// The lines the "MapCoder-Lite Judge" terminal prints, with ANSI colours (vscode-free, unit-tested).
// A pseudoterminal needs "\r\n" line ends: every function returns lines, the terminal joins them.
import { LANGS } from '../core/judge/languages';
import { differenceText, firstDifference } from '../core/judge/difference';
import { usageText } from '../core/judge/usage';
import type { StressCheck } from '../core/events';
import { STRESS_SKIPPED } from '../core/step-names';
import type { CompileInfo, JudgeReport, Lang, TestResult, Verdict } from '../core/types';
import type { LangCommands } from '../core/judge/compile';

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const CYAN = '\x1b[36m';

export function colourOf(v: Verdict): string {
  if (v === 'AC') return GREEN;
  if (v === 'TLE' || v === 'MLE' || v === 'UV') return YELLOW;
  if (v === 'JE') return CYAN;
  return RED;
}

/** Shown input/expected/actual text per failing sample is cut to this many lines and characters. */
const DETAIL_LINES = 6;
const DETAIL_CHARS = 300;

export function headerLines(title: string, detail?: string): string[] {
  return ['', `${BOLD}${CYAN}━━ ${printable(title)}${RESET}${detail ? ` ${DIM}${printable(detail)}${RESET}` : ''}`];
}

/**
 * The compile command as the user would type it, placeholders filled with the judge's file names.
 * Display only: the judge builds the real argv in its own temporary folder.
 */
export function compileCommandLine(lang: Lang, overrides?: LangCommands): string | undefined {
  const spec = LANGS[lang];
  const argv = overrides?.compile ?? spec.compile;
  if (!argv) return undefined;
  const names: Record<string, string> = { src: spec.sourceFile, exe: 'main', dir: '.', main: 'Main' };
  return argv.map((a) => quote(a.replace(/\{(src|exe|dir|main)\}/g, (_, k: string) => names[k]))).join(' ');
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function compileLines(c: CompileInfo, command: string | undefined): string[] {
  const lines = command ? [`${DIM}$ ${command}${RESET}`] : [];
  if (c.ok) {
    lines.push(`${GREEN}compiled${RESET} ${DIM}${c.cached ? '(cached)' : `in ${c.timeMs} ms`}${RESET}`);
  } else {
    lines.push(`${RED}${BOLD}CE${RESET} ${RED}compilation failed${RESET}`);
    lines.push(...clipLines(c.message, 20, 4000).map((l) => `  ${l}`));
  }
  return lines;
}

export function testLines(r: TestResult): string[] {
  const verdict = `${colourOf(r.verdict)}${BOLD}${r.verdict.padEnd(3)}${RESET}`;
  const usage = usageText(r);
  const lines = [`  sample ${String(r.index + 1).padStart(2)}  ${verdict}  ${DIM}${r.timeMs} ms${usage ? ` (${usage})` : ''}${r.truncated ? ', output cut' : ''}${RESET}`];
  if (r.message && r.verdict === 'JE') lines.push(`    ${RED}judge error:${RESET} ${printable(r.message)}`);
  else if (r.message) lines.push(...detail(r.verdict === 'AC' ? 'checker' : r.verdict === 'UV' ? 'unverified' : 'checker says', r.message));
  if (r.verdict === 'AC' || r.verdict === 'JE') return lines;
  lines.push(...detail('input', r.input));
  if (r.expected.length) lines.push(...detail('expected', r.expected[0]));
  if (r.verdict !== 'TLE') lines.push(...detail('actual', r.actual || '(nothing)'));
  const diff = r.verdict === 'WA' ? firstDifference(r.actual, r.expected[0] ?? '') : undefined;
  if (diff) lines.push(`    ${YELLOW}first difference: ${printable(differenceText(diff))}${RESET}`);
  if ((r.verdict === 'RE' || r.verdict === 'MLE') && r.stderr.trim()) lines.push(...detail('stderr', r.stderr, true));
  return lines;
}

/** What a stress check found, for the judge terminal. */
export function stressTerminalLines(c: StressCheck): string[] {
  switch (c.status) {
    case 'passed':
      return [`${GREEN}${BOLD}AC${RESET} ${GREEN}agrees with the brute force on ${c.tests} generated inputs${RESET}`];
    case 'difference': {
      const x = c.counterexample!;
      return [
        `${colourOf(x.verdict)}${BOLD}${x.verdict}${RESET} ${colourOf(x.verdict)}differs from the brute force on a generated input (now a test)${RESET}`,
        ...detail('input', x.input), ...detail('brute force', x.expected), ...detail('actual', x.actual || '(nothing)'),
      ];
    }
    default: return [`${DIM}${STRESS_SKIPPED[c.status]}: samples only${RESET}`];
  }
}

export function summaryLines(report: JudgeReport): string[] {
  const colour = colourOf(report.verdict);
  const what = report.verdict === 'CE' ? 'did not compile' : `${report.passed}/${report.total} samples passed`;
  return [`${colour}${BOLD}${report.verdict}${RESET} ${colour}${what}${RESET}`];
}

function detail(label: string, text: string, tail = false): string[] {
  const lines = clipLines(text, DETAIL_LINES, DETAIL_CHARS, tail);
  return [`    ${DIM}${label}:${RESET}`, ...lines.map((l) => `      ${l}`)];
}

/** The first (or last) lines of `text`, marking what was left out; control characters are made visible. */
export function clipLines(text: string, maxLines: number, maxChars: number, tail = false): string[] {
  let t = text.replace(/\r\n/g, '\n').replace(/\n$/, '');
  let cut = false;
  if (t.length > maxChars) {
    t = tail ? t.slice(-maxChars) : t.slice(0, maxChars);
    cut = true;
  }
  let lines = t.split('\n');
  if (lines.length > maxLines) {
    lines = tail ? lines.slice(-maxLines) : lines.slice(0, maxLines);
    cut = true;
  }
  // Program output must not drive the terminal (colours, cursor moves, clearing the screen, titles).
  lines = lines.map(printable);
  if (cut) lines[tail ? 'unshift' : 'push'](`${DIM}…${RESET}`);
  return lines;
}
