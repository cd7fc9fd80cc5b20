import { differenceText, firstDifference } from '../core/judge/difference';
import { usageText } from '../core/judge/usage';
import type { JudgeReport } from '../core/types';

/** A text's first line, cut to 40 characters. */
const first = (s: string) => s.trimEnd().split('\n')[0].slice(0, 40);

/** A verdict table for people: one row per test. */
export function verdictTable(report: JudgeReport): string {
  const rows = report.tests.map((t) => {
    const compared = (t.verdict === 'WA' || t.verdict === 'UV') && t.expected.length ? waDetail(t.actual, t.expected[0] ?? '') : t.verdict === 'RE' || t.verdict === 'MLE' ? first(t.stderr.split('\n').filter(Boolean).pop() ?? '') : '';
    // A checker's or interactor's word says more than the comparison; a judge error is all message.
    const detail = t.message ? (t.verdict === 'JE' ? t.message : `${t.message.slice(0, 100)}${compared ? ` (${compared})` : ''}`) : compared;
    const usage = usageText(t);
    return `  #${String(t.index + 1).padEnd(3)} ${t.verdict.padEnd(4)} ${String(t.timeMs).padStart(6)} ms${usage ? ` (${usage})` : ''}  ${detail}`;
  });
  const head = report.verdict === 'CE' ? `Compilation error:\n${report.compile?.message.trimEnd() ?? ''}\n` : '';
  return `${head}${rows.join('\n')}\n${report.passed}/${report.total} passed, verdict ${report.verdict}`;
}

/** A WA's first difference; "got nothing" or the first lines when the lines agree (a cap or tolerance miss). */
function waDetail(actual: string, expected: string): string {
  const d = firstDifference(actual, expected);
  if (d) return differenceText(d);
  return `got "${first(actual)}", expected "${first(expected)}"`;
}
