// What a statement says about how answers are judged: any valid answer accepted, a float tolerance,
// named input/output files, an interactive protocol. Read from the text alone (Companion's payload and a
// saved statement's header, where they say so, come first: see companion.ts).
import type { Problem } from '../types';

export interface JudgingHints {
  /** "If there are several answers, print any of them" in the Output section. */
  anyAnswer: boolean;
  /** "absolute or relative error ... 10^-6": the error allowed, where the statement gives one. */
  tolerance?: number;
  io?: { input?: string; output?: string };
  interactive: boolean;
}

// A line that is only a section heading, as statements are pasted or written: "Output", "## Output
// format", "-----Output-----" (APPS), "Output Specification" (Codeforces' old name).
const HEADING = /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?-*[ \t]*([A-Za-z][A-Za-z ]{0,30}?)[ \t]*-*(?:\*\*)?[ \t]*:?[ \t]*$/;
const OUTPUT_HEADING = /^(?:output|outputs|output format|output specification|output data)$/i;
const NEXT_SECTION = /^(?:examples?|sample|samples|sample input.*|sample output.*|sample tests?|note|notes|explanation|input|constraints|interaction|hacks?|scoring|subtasks?|tests?)$/i;

/** The Output section's text; undefined when the statement has no such heading. */
export function outputSection(statement: string): string | undefined {
  const lines = statement.split(/\r?\n/);
  const at = lines.findIndex((l) => OUTPUT_HEADING.test(HEADING.exec(l)?.[1]?.trim() ?? ''));
  if (at < 0) return undefined;
  const end = lines.findIndex((l, i) => i > at && NEXT_SECTION.test(HEADING.exec(l)?.[1]?.trim() ?? ''));
  return lines.slice(at + 1, end < 0 ? undefined : end).join('\n');
}

// "print any of them", "output any one", "any valid/correct/possible answer", "you may print any",
// "if there are multiple (optimal) solutions, print any". Matched within one sentence-sized window.
const ANY_ANSWER = [
  /\b(?:print|output|write|return|give|display)\s+(?:any|either)\b/i,
  /\bany\s+(?:one\s+)?(?:of\s+them|of\s+those|of\s+these|of\s+the\s+(?:possible|valid|correct|optimal)\s+\w+)/i,
  /\bany\s+(?:valid|correct|possible|suitable|optimal|such|acceptable)\s+(?:answer|solution|sequence|permutation|arrangement|configuration|way|one|string|array|order|assignment|set|pair|tree|graph|path|coloring|colouring|construction)s?\b/i,
  // "Your solution is correct if <a condition>", unless the condition is a float tolerance.
  /\byour\s+(?:solution|answer|output)\s+(?:is|will\s+be)\s+(?:considered\s+)?(?:correct|accepted)\s+if\b(?![^.\n]{0,60}\b(?:absolute|relative)\b)/i,
  /\b(?:several|multiple|many|more than one)\s+(?:possible\s+|valid\s+|correct\s+|optimal\s+)?(?:answers|solutions|ways|outputs)\b[^.\n]{0,80}\bany\b/i,
];

const INTERACTIVE = /\bthis\s+is\s+an\s+interactive\s+(?:problem|task)\b|^[ \t]*(?:#{1,6}[ \t]*)?-*[ \t]*interaction(?:\s+protocol)?[ \t]*-*[ \t]*:?[ \t]*$/im;

// "input file: input.txt", "Input: standard input / input.txt", "read from the file sort.in",
// "output to the file output.txt", USACO's "INPUT FORMAT (file sort.in)".
const FILE_NAME = String.raw`([A-Za-z0-9_][A-Za-z0-9_.+-]{0,60}\.(?:txt|in|out|inp|dat|ans|sol))`;
const INPUT_FILE = new RegExp(String.raw`\binput(?:\s+format)?\s*(?:file)?\s*(?::|\(file|from\s+(?:the\s+)?(?:file|text\s+file)|is\s+(?:in|read\s+from)\s+(?:the\s+)?file|file\s+(?:is|named|called))\s*["'\x60]?` + FILE_NAME + String.raw`\b`, 'i');
const OUTPUT_FILE = new RegExp(String.raw`\boutput(?:\s+format)?\s*(?:file)?\s*(?::|\(file|to\s+(?:the\s+)?(?:file|text\s+file)|is\s+(?:written\s+)?(?:in|to)\s+(?:the\s+)?file|file\s+(?:is|named|called))\s*["'\x60]?` + FILE_NAME + String.raw`\b`, 'i');
const READ_FILE = new RegExp(String.raw`\b(?:read|reads|reading)\s+(?:the\s+)?(?:input|data)?\s*from\s+(?:the\s+)?(?:text\s+)?file\s+["'\x60]?` + FILE_NAME, 'i');
const WRITE_FILE = new RegExp(String.raw`\b(?:write|writes|writing|print|output)\s+(?:the\s+)?(?:answer|output|result)?\s*(?:in|to|into)\s+(?:the\s+)?(?:text\s+)?file\s+["'\x60]?` + FILE_NAME, 'i');

// Tolerances: "10^{-6}", "10^-6", "10-6" (a superscript pasted flat), "1e-6", "0.000001".
const TOLERANCE_CONTEXT = /\b(?:absolute|relative)\b[^.\n]{0,120}?(?:error|difference|precision)?[^.\n]{0,80}?(?:10\s*\^?\s*\{?\s*[-\u2212\u2013]\s*(\d{1,2})\s*\}?|\b1\s*e\s*-\s*(\d{1,2})\b|\b0\.(0{2,14}1)\b)/i;

export function judgingHints(statement: string): JudgingHints {
  const output = outputSection(statement);
  const anyAnswer = ANY_ANSWER.some((re) => re.test(output ?? statement));
  const tol = TOLERANCE_CONTEXT.exec(statement);
  const exponent = tol ? Number(tol[1] ?? tol[2] ?? (tol[3] ? tol[3].length : NaN)) : NaN;
  const input = (INPUT_FILE.exec(statement) ?? READ_FILE.exec(statement))?.[1];
  const outputFile = (OUTPUT_FILE.exec(statement) ?? WRITE_FILE.exec(statement))?.[1];
  const io = input || outputFile ? { ...(input ? { input } : {}), ...(outputFile ? { output: outputFile } : {}) } : undefined;
  return { anyAnswer, ...(exponent > 0 ? { tolerance: Number(`1e-${exponent}`) } : {}), ...(io ? { io } : {}), interactive: INTERACTIVE.test(statement) };
}

/**
 * The problem with what its statement says about judging, where the source did not say it already
 * (Companion's flags and file names win).
 */
export function withJudgingHints(problem: Problem): Problem {
  if (problem.style.kind !== 'stdio') return problem;
  const h = judgingHints(problem.statement);
  return {
    ...problem,
    ...(h.anyAnswer && problem.anyAnswer === undefined ? { anyAnswer: true } : {}),
    ...(h.interactive && problem.interactive === undefined ? { interactive: true } : {}),
    ...(h.io && !problem.io ? { io: h.io } : {}),
    ...(h.tolerance !== undefined && !problem.checker ? { checker: { kind: 'builtin' as const, name: 'floats' as const, absTol: h.tolerance, relTol: h.tolerance } } : {}),
  };
}
