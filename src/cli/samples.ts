import { formatLimits } from '../core/problem';
import { printable } from '../core/printable';
import { parse } from './args';
import { sampleCount } from '../core/problem';
import { noSamplesLine, readProblem } from './problem-file';
import { withJudgingHints } from '../core/problem/judging';
import { UsageError } from './args';
import type { Problem } from '../core/types';

export const SAMPLES_HELP = `Usage: mapcoder-lite samples FILE [--json]
Shows the samples and limits found in a problem statement (text, Markdown, a source file's leading
comment, or Competitive Companion JSON). Exits 2 when no samples are found, naming the formats read.`;

export async function samplesCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  if (values.help) return out.write(`${SAMPLES_HELP}\n`), 0;
  const problem = withJudgingHints(readProblem(positionals[0]));
  const n = sampleCount(problem);
  if (values.json) {
    out.write(`${JSON.stringify(problem, null, 2)}\n`);
    return n > 0 ? 0 : 2;
  }
  const lines = [`${problem.title}`, `style: ${problem.style.kind === 'function' ? `function ${problem.style.name}` : 'stdin/stdout'}; ${formatLimits(problem)}`];
  const judging = judgingWords(problem);
  if (judging) lines.push(`judging: ${judging}`);
  if (problem.style.kind === 'function') problem.asserts.forEach((a, i) => lines.push(`test ${i + 1}: ${a}`));
  problem.samples.forEach((s, i) => {
    lines.push(`--- sample ${i + 1} input`, s.input.trimEnd());
    s.outputs.forEach((o, j) => lines.push(`--- sample ${i + 1} output${s.outputs.length > 1 ? ` (accepted #${j + 1})` : ''}`, o.trimEnd()));
  });
  out.write(`${printable(lines.join('\n'))}\n`);
  if (n === 0) throw new UsageError(noSamplesLine(positionals[0]));
  out.write(`${n} sample test${n === 1 ? '' : 's'} found\n`);
  return 0;
}

/** What the statement says about judging, in words; empty when nothing special. */
function judgingWords(p: Problem): string {
  const io = p.io && [p.io.input && `input from ${p.io.input}`, p.io.output && `output to ${p.io.output}`].filter(Boolean).join(', ');
  const checker = p.checker?.kind === 'builtin' ? `${p.checker.name}${p.checker.absTol !== undefined ? ` within ${p.checker.absTol}` : ''}` : undefined;
  return [p.interactive && 'interactive', p.anyAnswer && 'any valid answer accepted', io, checker].filter(Boolean).join('; ');
}
