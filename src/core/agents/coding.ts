import { extractCode } from '../parse';
import type { Lang, Problem } from '../types';
import type { AgentCall } from './call';
import { fenceTag, ioConvention, languageLabel, samplesText } from './context';

/** Coding: the program for one plan. */
export function codingCall(problem: Problem, lang: Lang, algorithm: string, plan: string, index: number): AgentCall<string> {
  return {
    step: { kind: 'code', agent: 'coding', plan: index },
    prompt: 'coding',
    vars: { ...codeVars(problem, lang), algorithm, plan },
    shape: { kind: 'code', lang },
    parse: (reply) => extractCode(reply, lang),
  };
}

/** The Direct baseline: one coding call with no retrieval and no plan. */
export function directCall(problem: Problem, lang: Lang): AgentCall<string> {
  return {
    step: { kind: 'direct', agent: 'coding', plan: -1 },
    prompt: 'direct',
    vars: codeVars(problem, lang),
    shape: { kind: 'code', lang },
    parse: (reply) => extractCode(reply, lang),
  };
}

function codeVars(problem: Problem, lang: Lang) {
  return {
    problem: problem.statement,
    samples: samplesText(problem),
    language: languageLabel(lang),
    fence: fenceTag(lang),
    io: ioConvention(problem, lang),
  };
}
