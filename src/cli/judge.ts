import { describeIsolation, Judge } from '../core/judge';
import { printable } from '../core/printable';
import { parse, UsageError } from './args';
import { sampleCount } from '../core/problem';
import { chooseLang, JUDGING_HELP, JUDGING_OPTIONS, noSamplesLine, readProblemWithTests, readUserFile, withJudgingChoices } from './problem-file';
import { verdictTable } from './report';

export const JUDGE_HELP = `Usage: mapcoder-lite judge FILE SOLUTION [--lang L] [--checker C] [--json]
Runs SOLUTION on the samples of the problem in FILE, and on your own tests in <name>.tests.md beside
it, under its time and memory limits and prints a verdict per test. The language comes from --lang or
SOLUTION's extension. Exits 0 when all pass.

${JUDGING_HELP}`;

export async function judgeCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, { lang: { type: 'string' }, json: { type: 'boolean' }, ...JUDGING_OPTIONS });
  if (values.help) return out.write(`${JUDGE_HELP}\n`), 0;
  const problem = withJudgingChoices(readProblemWithTests(positionals[0], (line) => err.write(`Samples ${line}.\n`)), positionals[0]!, values);
  const solution = positionals[1];
  if (!solution) throw new UsageError('Missing the SOLUTION argument');
  const code = readUserFile(solution);
  if (sampleCount(problem) === 0) throw new UsageError(noSamplesLine(positionals[0]));
  const lang = chooseLang(values.lang, solution);
  if (!lang) throw new UsageError(`Cannot tell the language of ${solution}; pass --lang`);
  const judge = new Judge();
  try {
    await judge.ready();
    const report = await judge.judge({ code, lang, problem, signal });
    out.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${printable(verdictTable(report))}\n${describeIsolation(judge.capabilities)}\n`);
    return report.verdict === 'AC' ? 0 : 1;
  } finally {
    await judge.dispose();
  }
}
