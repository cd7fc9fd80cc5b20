// `npx tsx bench/any-answer.ts`: how well judging.ts's any-answer detection does on statements nobody
// here wrote (APPS selected150 and xCodeEval validation in ../shared/data, stdin problems only).
// The labels are one reading of each Output section that speaks of several answers (below, with why);
// the patterns were written looking at these same statements, so this is no held-out figure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgingHints } from '../src/core/problem/judging';
import { appsProblem } from '../src/eval/datasets/apps';
import { xcodeEvalProblem } from '../src/eval/datasets/xcodeeval';

/** Problems where a correct program may print another answer than the jury's. */
const ANY_ANSWER: Record<string, string> = {
  2096: 'indices in any order; several answers, print any',
  2095: 'many valid sequences, any accepted',
  2144: 'multiple solutions, output any',
  2187: 'several optimal answers, print any',
  2009: 'signs c_i: "your solution is correct if |p| <= 1.5e6"',
  2012: 'multiple answers, print any',
  '391c2abbe862139733fcb997ba1629b8': 'longest common subsequence without the virus: any of them',
};
// Not any-answer although a sentence says so: b3b986fddc3770fed64b878fa42ab1bc (the three bond counts
// solve x+z=a, x+y=b, y+z=c: one solution). "Print each letter in any case" is case, not choice.

const data = process.env.MAPCODER_DATA ?? join(__dirname, '..', '..', 'shared', 'data');
const rows = (f: string) => readFileSync(join(data, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const problems = [...rows('selected150.jsonl').map(appsProblem), ...rows('prog_syn_val.jsonl').map((r) => xcodeEvalProblem(r))]
  .filter((p) => p.problem.style.kind === 'stdio');
const hits = problems.filter((p) => judgingHints(p.problem.statement).anyAnswer).map((p) => p.id);
const found = hits.filter((id) => id in ANY_ANSWER);
const falseHits = hits.filter((id) => !(id in ANY_ANSWER));
const missed = Object.keys(ANY_ANSWER).filter((id) => !hits.includes(id));
process.stdout.write(`${problems.length} stdin problems, ${Object.keys(ANY_ANSWER).length} any-answer by the labels: found ${found.length}, missed ${missed.length} (${missed.join(', ') || 'none'}), false hits ${falseHits.length} (${falseHits.join(', ') || 'none'})\n`);
