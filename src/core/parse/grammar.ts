// Grammars (GBNF, as llama.cpp's `grammar` and vLLM's structured_outputs.grammar take them) for each
// reply shape of the agent protocol, built from the tag names the parsers read (names.ts) and the fence
// tags the code parser matches (languages.ts). Only the envelope is constrained: tags, their order, k
// problems, a 0-100 integer, one fenced block in the target language. Field text and code stay free,
// bounded so that the longest reply the grammar allows fits in the request's max_tokens.
//
// Why that bound holds in tokens, whatever the tokenizer (test/unit/parse/grammar-bounds.test.ts reads
// every generated grammar back and checks it):
// 1. Every token a server lets through under a grammar adds at least one byte to the reply: llama.cpp's
//    grammar sampler rejects tokens whose piece is empty, and xgrammar (vLLM's) files empty tokens as
//    special ones that never match. A byte-fallback token is one byte; none is less. So a reply of at
//    most N bytes of UTF-8 takes at most N tokens.
// 2. So the grammar bounds bytes, not characters. Literals count their bytes. Free text is made of
//    narrow units (one ASCII character, 1 byte) and wide ones (a non-ASCII character, at most 4 bytes
//    in UTF-8; or a '<' or '`' with the character or two it must be followed by, at most 3). Units fill
//    chunks of 32 slots, each unit taking as many slots as its bytes at most; only a chunk's last unit
//    may run over, by 3 at most: a chunk is at most 35 bytes. A field of at most C bytes is up to
//    M - 1 chunks (M = floor(C / 35)) and then units taking at most the C - 35 (M - 1) bytes left, so
//    it may end anywhere; the fields' bounds and the fixed parts add up to at most max_tokens.
// 3. llama.cpp reads a repetition count over 2000 as unbounded (MAX_REPETITION_THRESHOLD), so no count
//    here exceeds 1000: longer fields repeat blocks of 1000 chunks.
// 4. Once the grammar is complete only an end-of-generation token may follow; if max_tokens runs out
//    just before it, the reply is whole all the same.
import { LANGS } from '../judge/languages';
import type { Lang } from '../types';
import { ALGORITHM, CODE, CONFIDENCE, DESCRIPTION, EXPLANATION, PLANNING, PROBLEM } from './names';

/** What a reply must look like, per agent call. */
export type ReplyShape =
  | { kind: 'retrieval'; k: number }
  | { kind: 'confidence' }
  | { kind: 'code'; lang: Lang }
  | { kind: 'debug'; lang: Lang }
  | { kind: 'text' };

/** The trained tag of a field: the first of its names (the others are synonyms the parsers forgive). */
const tag = (names: readonly string[]) => names[0];

/** Slots per chunk (a slot is a byte); a chunk's last unit may run over by 3, so a chunk is at most CHUNK_BYTES. */
const CHUNK = 32;
const CHUNK_BYTES = CHUNK + 3;
/** The largest repetition count written (llama.cpp makes any count over 2000 unbounded). */
const MAX_COUNT = 1000;
/** Whitespace between tags, at most. */
const WS_BYTES = 8;
/** A field holds at least this many bytes, else max_tokens is too small for the shape. */
const MIN_FIELD = 8;

/** Any non-ASCII character (C1 controls aside): at most 4 bytes of UTF-8. */
const NON_ASCII = '[\\u00A0-\\U0010FFFF]';
const ASCII = '[\\t\\n\\r -~]';
const NO_BACKTICK = '[\\t\\n\\r -_a-~]';
/** ASCII but "<" and, after a "<", "/" too. */
const NO_TAG = '[\\t\\n\\r -;=-~]';
const AFTER_LT = '[\\t\\n\\r -.0-;=-~]';
/**
 * The units of each kind of free text, with their bytes at most: inside a tag nothing may start a
 * closing tag ("</"); in code nothing may close the fence ("```"); the debugging reply's plan holds no
 * "``" (a fence there would end it).
 */
const KINDS: Record<string, [string, number][]> = {
  text: [[NO_TAG, 1], [`"<" ("<"? ${AFTER_LT})`, 3], [NON_ASCII, 4]],
  code: [[NO_BACKTICK, 1], [`"\`" ("\`"? ${NO_BACKTICK})`, 3], [NON_ASCII, 4]],
  prose: [[NO_BACKTICK, 1], [`"\`" ${NO_BACKTICK}`, 2], [NON_ASCII, 4]],
  any: [[ASCII, 1], [NON_ASCII, 4]],
};
type Kind = 'text' | 'code' | 'prose' | 'any';

/** A piece of grammar and the most bytes of reply it can produce. */
interface Piece {
  g: string;
  bytes: number;
}

/** Rules as they are built, each written once. */
type Rules = Map<string, string>;

const lit = (s: string): Piece => ({ g: JSON.stringify(s), bytes: new TextEncoder().encode(s).length });
const WS: Piece = { g: 'ws', bytes: WS_BYTES };
const SCORE: Piece = { g: 'score', bytes: 3 };
const seq = (...parts: Piece[]): Piece => ({ g: parts.map((p) => p.g).filter(Boolean).join(' '), bytes: parts.reduce((n, p) => n + p.bytes, 0) });

/** `unit{0,n}` with no count over MAX_COUNT: blocks of MAX_COUNT units where n is larger. */
function upTo(unit: string, n: number, rules: Rules): string {
  if (n <= 0) return '';
  if (n <= MAX_COUNT) return `${unit}{0,${n}}`;
  const block = `${unit}-x${MAX_COUNT}`;
  rules.set(block, `${unit}{${MAX_COUNT}}`);
  return [upTo(block, Math.floor(n / MAX_COUNT), rules), upTo(unit, n % MAX_COUNT, rules)].filter(Boolean).join(' ');
}

/**
 * Units of `kind` filling `slots` bytes: exactly (`exact`, the last unit may run over by up to 3), or at
 * most that many and at least one unit. Rule `${kind}-c${slots}` or `${kind}-t${slots}`.
 */
function slotted(kind: Kind, slots: number, exact: boolean, rules: Rules): string {
  const name = `${kind}-${exact ? 'c' : 't'}${slots}`;
  if (rules.has(name)) return name;
  rules.set(name, ''); // placed first, so that the rules read top-down
  const alts = KINDS[kind].filter(([, bytes]) => exact || bytes <= slots).map(([unit, bytes]) => {
    const rest = slots - bytes;
    if (rest <= 0) return unit;
    const next = slotted(kind, rest, exact, rules);
    return exact ? `${unit} ${next}` : `${unit} ${next}?`;
  });
  rules.set(name, alts.join(' | '));
  return name;
}

/**
 * Free text of `kind`, at most `cap` bytes, ending anywhere: up to M - 1 chunks of CHUNK slots
 * (M = floor(cap / CHUNK_BYTES)), then units taking at most the bytes left (CHUNK_BYTES or more).
 */
function free(kind: Kind, cap: number, rules: Rules): Piece {
  const chunks = Math.max(0, Math.floor(cap / CHUNK_BYTES) - 1);
  const tail = Math.max(0, Math.floor(cap) - chunks * CHUNK_BYTES);
  if (tail === 0) return { g: '', bytes: 0 };
  const body = [chunks ? upTo(slotted(kind, CHUNK, true, rules), chunks, rules) : '', `${slotted(kind, tail, false, rules)}?`];
  const name = `${kind}-${chunks}-${tail}`;
  rules.set(name, body.filter(Boolean).join(' '));
  return { g: name, bytes: chunks * CHUNK_BYTES + tail };
}

/** `<name>` free text `</name>`. */
const field = (name: string, cap: number, rules: Rules) => seq(lit(`<${name}>`), free('text', cap, rules), lit(`</${name}>`));

/** One fenced block tagged with the language's trained name (the first alias), code free inside. */
const fence = (lang: Lang, cap: number, rules: Rules) => seq(lit(`\`\`\`${LANGS[lang].aliases[0]}\n`), free('code', cap, rules), lit('\n```'));

/**
 * The shape's grammar with each free part given `cap(share)` bytes, `share` being its part of what the
 * fixed parts leave (the shares of a reply add up to 1). Returns the root and the reply's bytes at most.
 */
function build(shape: ReplyShape, cap: (share: number) => number, rules: Rules): Piece {
  switch (shape.kind) {
    case 'retrieval': {
      const k = Math.max(1, shape.k);
      const each = 0.9 / k;
      const problem = seq(lit(`<${tag(PROBLEM)}>`), WS, field(tag(DESCRIPTION), cap(each * 0.2), rules), WS,
        field(tag(CODE), cap(each * 0.5), rules), WS, field(tag(PLANNING), cap(each * 0.3), rules), WS, lit(`</${tag(PROBLEM)}>`), WS);
      rules.set('problem', problem.g);
      const problems = Array.from({ length: k }, () => ({ g: 'problem', bytes: problem.bytes }));
      return seq(WS, lit('<root>'), WS, ...problems, field(tag(ALGORITHM), cap(0.1), rules), WS, lit('</root>'), WS);
    }
    case 'confidence':
      rules.set('score', '"100" | [1-9] [0-9] | [0-9]');
      return seq(WS, lit('<root>'), WS, field(tag(EXPLANATION), cap(1), rules), WS, lit(`<${tag(CONFIDENCE)}>`), SCORE, lit(`</${tag(CONFIDENCE)}>`), WS, lit('</root>'), WS);
    case 'code':
      return seq(fence(shape.lang, cap(1), rules), WS);
    case 'debug': {
      // The corrected plan, then the program; a fence only counts at the start of a line.
      const plan = seq(free('prose', cap(0.25), rules), lit('\n'));
      return seq({ g: `(${plan.g})?`, bytes: plan.bytes }, fence(shape.lang, cap(0.75), rules), WS);
    }
    case 'text':
      return free('any', cap(1), rules);
  }
}

/** Bytes of the fixed parts, and the smallest share of what they leave that a field gets. */
function envelope(shape: ReplyShape): { fixed: number; minShare: number } {
  let minShare = 1;
  const fixed = build(shape, (share) => ((minShare = Math.min(minShare, share)), 0), new Map()).bytes;
  return { fixed, minShare };
}

/** The least max_tokens that holds the shape's fixed parts (tags, fence) and MIN_FIELD bytes per field. */
export function leastReplyTokens(shape: ReplyShape): number {
  const { fixed, minShare } = envelope(shape);
  return fixed + Math.ceil(MIN_FIELD / minShare);
}

/** What a shape's fixed parts are, for the message that max_tokens cannot hold them. */
export function shapeName(shape: ReplyShape): string {
  return shape.kind === 'retrieval' ? `retrieval's reply (k = ${shape.k})` : `the ${shape.kind} reply`;
}

/**
 * The GBNF for `shape` whose longest reply takes at most `maxTokens` tokens (the header says why).
 * Throws a RangeError below leastReplyTokens(shape): such a grammar could not close.
 */
export function replyGrammar(shape: ReplyShape, maxTokens: number): string {
  const least = leastReplyTokens(shape);
  if (maxTokens < least) throw new RangeError(`max_tokens ${maxTokens} cannot hold ${shapeName(shape)}: its tags and fences alone need ${least} tokens`);
  const left = maxTokens - envelope(shape).fixed;
  const rules: Rules = new Map();
  const root = build(shape, (share) => Math.floor(left * share), rules);
  rules.set('ws', `[ \\t\\n]{0,${WS_BYTES}}`);
  return [`root ::= ${root.g}`, ...[...rules].map(([name, body]) => `${name} ::= ${body}`)].join('\n');
}
