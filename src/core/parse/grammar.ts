// Grammars (GBNF, as llama.cpp's `grammar` and vLLM's structured_outputs.grammar take them) for each
// reply shape of the agent protocol, built from the tag names the parsers read (names.ts) and the fence
// tags the code parser matches (languages.ts). Only the envelope is constrained: tags, their order, k
// problems, a 0-100 integer, one fenced block in the target language. Field text and code stay free,
// bounded only so that a reply the model never closes still ends inside max_tokens.
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

/** Characters per token a bound may assume at worst for free text (real text averages 3-4). */
const CHARS_PER_TOKEN = 2;
const MIN_FIELD = 16;

const lit = (s: string) => JSON.stringify(s);

/** `<name>` free text `</name>`, the text at most `max` units long and never containing `</`. */
function field(name: string, max: number): string {
  return `${lit(`<${name}>`)} text{0,${Math.max(MIN_FIELD, Math.floor(max))}} ${lit(`</${name}>`)}`;
}

// Free text inside a tag: anything but the start of a closing tag. Code fences: anything but ```.
const COMMON = [
  'ws ::= [ \\t\\n]{0,8}',
  'text ::= [^<] | "<" [^/]',
  'code ::= [^`] | "`" [^`] | "``" [^`]',
];

/** The GBNF for `shape`, with free parts bounded to fit a reply of `maxTokens`. */
export function replyGrammar(shape: ReplyShape, maxTokens: number): string {
  const chars = Math.max(400, maxTokens * CHARS_PER_TOKEN);
  const rules = ((): string[] => {
    switch (shape.kind) {
      case 'retrieval': {
        const k = Math.max(1, shape.k);
        const each = (chars * 0.85) / k;
        const problem = `${lit(`<${tag(PROBLEM)}>`)} ws ${field(tag(DESCRIPTION), each * 0.25)} ws ${field(tag(CODE), each * 0.45)} ws ${field(tag(PLANNING), each * 0.3)} ws ${lit(`</${tag(PROBLEM)}>`)} ws`;
        return [
          `root ::= ws "<root>" ws ${Array.from({ length: k }, () => 'problem').join(' ')} ${field(tag(ALGORITHM), chars * 0.15)} ws "</root>" ws`,
          `problem ::= ${problem}`,
        ];
      }
      case 'confidence':
        return [
          `root ::= ws "<root>" ws ${field(tag(EXPLANATION), chars - 60)} ws ${lit(`<${tag(CONFIDENCE)}>`)} score ${lit(`</${tag(CONFIDENCE)}>`)} ws "</root>" ws`,
          'score ::= "100" | [1-9] [0-9] | [0-9]',
        ];
      case 'code':
        return [`root ::= ${fence(shape.lang, chars - 20)} ws`];
      case 'debug':
        // The corrected plan, then the program; a fence only counts at the start of a line.
        return [`root ::= (prose{1,${Math.floor(chars * 0.25)}} "\\n")? ${fence(shape.lang, chars * 0.75)} ws`, 'prose ::= [^`] | "`" [^`]'];
      case 'text':
        return [`root ::= [^\\x00]{1,${chars}}`];
    }
  })();
  return [...rules, ...COMMON].join('\n');
}

/** One fenced block tagged with the language's trained name (the first alias), code free inside. */
function fence(lang: Lang, max: number): string {
  return `"\`\`\`${LANGS[lang].aliases[0]}\\n" code{0,${Math.max(MIN_FIELD, Math.floor(max))}} "\\n\`\`\`"`;
}
