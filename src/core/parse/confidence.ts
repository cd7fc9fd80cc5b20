// The plan-confidence reply: <explanation> and <confidence> (0-100), in whatever shape the model chose.
import { issue, Parsed, ParseIssue } from './issues';
import { CONFIDENCE, EXPLANATION } from './names';
import { fieldText } from './text';
import { scanTags } from './xml';

const SPEC = { fields: { explanation: EXPLANATION, confidence: CONFIDENCE } };
export const NEUTRAL_CONFIDENCE = 50;

// A number with its scale: `85`, `85 %`, `85 percent`, `85/100`, `8 out of 10`, `0.85`.
const NUMBER = String.raw`(\d+(?:\.\d+)?)(?:\s*(%|percent\b)|\s*(?:/|\bout\s+of\b)\s*(\d+(?:\.\d+)?))?`;
const ANY_NUMBER = new RegExp(NUMBER, 'gi');
// The word, an optional qualifier, then only punctuation or markdown before the number.
const AFTER_WORD = new RegExp(String.raw`confidence(?:\s+(?:level|score|rating))?(?:\s+(?:is|of))?[\s:=*_\-]*` + NUMBER, 'gi');

/** The value of one number match on a 0-100 scale; a decimal fraction up to 1 (`0.85`, `1.0`) is a share. */
function toScore(m: RegExpMatchArray, issues: ParseIssue[]): number {
  const n = parseFloat(m[1]);
  let v = n;
  if (m[3] !== undefined) v = parseFloat(m[3]) > 0 ? (n / parseFloat(m[3])) * 100 : n;
  else if (m[2] === undefined && m[1].includes('.') && n <= 1) v = n * 100;
  if (v > 100) issues.push(issue('confidence_out_of_range', `confidence ${m[0].trim()} clamped to 100`));
  return Math.round(Math.min(100, v) * 100) / 100;
}

/**
 * The number inside <confidence> first, else the last one after the word "confidence", else the last
 * number in the reply outside <explanation>. Nothing: the neutral 50 with ok=false.
 */
export function parseConfidence(reply: string): Parsed<number> {
  const scan = scanTags(reply, SPEC);
  const issues: ParseIssue[] = [...scan.issues];
  for (const raw of scan.top.confidence ?? []) {
    const m = new RegExp(NUMBER, 'i').exec(raw);
    if (!m) continue;
    if (!/^\s*\d+\s*$/.test(raw)) issues.push(issue('confidence_format', `confidence written as ${JSON.stringify(raw.trim().slice(0, 40))}`));
    return { value: toScore(m, issues), ok: true, issues };
  }
  // Numbers inside <explanation> describe the problem (n <= 10^5), not the score.
  const rest = (scan.top.explanation ?? []).reduce((text, e) => text.replace(e, ' '), reply);
  const found = [...reply.matchAll(AFTER_WORD)].pop() ?? [...rest.matchAll(ANY_NUMBER)].pop();
  if (found) {
    issues.push(issue('confidence_untagged', `no number in <confidence>; read ${JSON.stringify(found[0].trim())}`));
    return { value: toScore(found, issues), ok: true, issues };
  }
  issues.push(issue('no_confidence', `no confidence found; using ${NEUTRAL_CONFIDENCE}`, false));
  return { value: NEUTRAL_CONFIDENCE, ok: false, issues };
}

/** The <explanation> text, or '' when there is none. */
export function parseConfidenceExplanation(reply: string): string {
  const raw = scanTags(reply, SPEC).top.explanation?.[0];
  return raw === undefined ? '' : fieldText(raw, 'explanation', []);
}
