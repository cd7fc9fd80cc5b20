import { extractCode } from '../parse';
import type { Lang, Problem } from '../types';
import type { AgentCall } from './call';
import { fenceTag, ioConvention, languageLabel, samplesText } from './context';

// The stress step's two calls (agent protocol, section 5), and the checker an any-answer problem needs
// before its verdicts (and stress tests) hold. All go to the coding adapter and are read like a coding
// reply: one fenced program.

/** A brute force written from the statement alone: correct on small inputs, however slow. */
export function bruteCall(problem: Problem, lang: Lang, plan: number): AgentCall<string> {
  return {
    step: { kind: 'brute', agent: 'coding', plan },
    prompt: 'brute',
    vars: { problem: problem.statement, samples: samplesText(problem), language: languageLabel(lang), fence: fenceTag(lang), io: ioConvention(problem, lang) },
    shape: { kind: 'code', lang },
    parse: (reply) => extractCode(reply, lang),
  };
}

/** A generator of one small valid input per seed (its first argument). */
export function generatorCall(problem: Problem, lang: Lang, plan: number): AgentCall<string> {
  return {
    step: { kind: 'generator', agent: 'coding', plan },
    prompt: 'generator',
    vars: { problem: problem.statement, language: languageLabel(lang), fence: fenceTag(lang) },
    shape: { kind: 'code', lang },
    parse: (reply) => extractCode(reply, lang),
  };
}

/** A checker for a problem that accepts any valid answer: `checker input output answer`, exit 0/1/2 (judge/checker/). */
export function checkerCall(problem: Problem, lang: Lang, plan: number): AgentCall<string> {
  return {
    step: { kind: 'checker', agent: 'coding', plan },
    prompt: 'checker',
    vars: { problem: problem.statement, samples: samplesText(problem), language: languageLabel(lang), fence: fenceTag(lang) },
    shape: { kind: 'code', lang },
    parse: (reply) => extractCode(reply, lang),
  };
}
