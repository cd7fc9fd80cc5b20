// Editor text -> Problem. Detects the format (Competitive Companion JSON or a problem saved from it, a source file whose leading
// comment holds the statement, Markdown fences, Codeforces/AtCoder labels, LeetCode examples,
// HumanEval-style doctests) and never throws on odd text: with nothing recognisable, the whole text
// is the statement and there are no samples.
import { langFromFileName } from '../judge/languages';
import type { Problem, Sample } from '../types';
import { callAsserts } from './calls';
import { leadingStatement, trailingStatement } from './comment';
import { parseCompanion } from './companion';
import { ProblemError } from './error';
import { labelledSamples } from './labelled';
import { exampleAssert, leetcodeExamples } from './leetcode';
import { findLimits } from './limits';
import { markdownSamples } from './markdown';
import { paramNames } from './pyexpr';
import { readSaved, savedProblem } from './saved';
import { findSignature, type Signature } from './signature';
import { normalizeNewlines, normalizeSample } from './text';
import { findTitle } from './title';

export { leadingStatement } from './comment';
export { ProblemError } from './error';
export { formatLimits, parseDuration, parseMemory } from './limits';

// Text that is program code from its first line (a HumanEval prompt, a LeetCode skeleton).
const CODE_LINE = /^(import\s|from\s+\S+\s+import\s|def\s|async\s+def\s|class\s|#include|using\s+namespace|int\s+main|public\s+class|fn\s+main|if\s+__name__|print\s*\(|[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*\s*=.*\binput\s*\()/;
const STARTS_AS_CODE = /^\s*(import\s|from\s+\S+\s+import\s|(async\s+)?def\s|class\s|#include|using\s|public\s|function\s)/;
const CLEAR_COMMENT = /^\s*(\/\*|\/\/|[rRuU]?"""|[rRuU]?'''|#!)/;

/**
 * The statement in a comment and the code beside it. A leading comment counts for source files and
 * for text that clearly starts with one; a block comment ending the file, for source files and text
 * that starts as code.
 */
function statementComment(text: string, fileName: string | undefined): { statement: string; code: string } | undefined {
  const isSource = fileName !== undefined && langFromFileName(fileName) !== undefined;
  const lead = leadingStatement(text, fileName);
  // "# ..." starts a Markdown heading as often as a Python comment: code must follow right after it
  if (lead) return isSource || CLEAR_COMMENT.test(text) || CODE_LINE.test(text.slice(lead.end).trimStart()) ? { statement: lead.statement, code: text.slice(lead.end) } : undefined;
  const trail = trailingStatement(text, fileName);
  return trail && (isSource || CODE_LINE.test(text)) ? { statement: trail.statement, code: text.slice(0, trail.start) } : undefined;
}

function functionProblem(statement: string, code: string): { sig: Signature; asserts: string[] } | undefined {
  const examples = leetcodeExamples(statement);
  // code after a statement comment is the user's own program: only a LeetCode skeleton there counts
  const sig =
    findSignature(statement) ??
    (code && (examples.length || /\b(class|impl)\s+Solution\b/.test(code)) ? findSignature(code) : undefined);
  if (!sig) return undefined;
  const params = paramNames(sig.signature);
  const asserts = callAsserts(statement, sig.name, params);
  return { sig, asserts: asserts.length ? asserts : examples.map((ex) => exampleAssert(sig.name, ex, params)) };
}

function stdioSamples(statement: string): Sample[] {
  const found = markdownSamples(statement);
  if (found.length) return found;
  const labelled = labelledSamples(statement);
  if (labelled.length) return labelled;
  // LeetCode examples without a signature: kept as stdio samples ("nums = [2,7], target = 9" -> "[0,1]")
  return leetcodeExamples(statement).map((ex) => ({ input: normalizeSample(ex.input), outputs: [normalizeSample(ex.output)] }));
}

/** How many sample tests a problem carries (its asserts, for a function problem); 0: nothing can be tested. */
export function sampleCount(p: Problem): number {
  return p.style.kind === 'function' ? p.asserts.length : p.samples.length;
}

export function parseProblem(text: string, opts: { fileName?: string } = {}): Problem {
  const source = normalizeNewlines(text);
  if (!source.trim()) throw new ProblemError('The problem text is empty.');
  const companion = parseCompanion(source);
  if (companion) return companion;
  const saved = readSaved(source);
  if (saved) return savedProblem(saved, stdioSamples);

  const comment = statementComment(source, opts.fileName);
  const statement = (comment ? comment.statement : source).trim();
  const code = comment?.code ?? '';
  const limits = findLimits(statement);
  const samples = stdioSamples(statement);
  const fn = functionProblem(statement, code);

  if (fn && (fn.asserts.length || !samples.length)) {
    const isCode = STARTS_AS_CODE.test(statement);
    return {
      title: isCode ? fn.sig.name : findTitle(statement),
      statement,
      samples: [],
      asserts: fn.asserts,
      ...limits,
      style: { kind: 'function', name: fn.sig.name, signature: fn.sig.signature },
      starterCode: isCode ? statement + '\n' : fn.sig.starter,
    };
  }
  return { title: findTitle(statement), statement, samples, asserts: [], ...limits, style: { kind: 'stdio' } };
}
