import { parseConfidence, parseConfidenceExplanation, parsePlan } from '../parse';
import type { Exemplar } from '../parse';
import type { Lang, Problem } from '../types';
import type { AgentCall } from './call';
import { languageLabel, samplesText } from './context';

/** Planning, first call: a plan for the problem, guided by one exemplar (or by none, the fallback). */
export function planCall(problem: Problem, lang: Lang, algorithm: string, exemplar: Exemplar | undefined, index: number): AgentCall<string> {
  return {
    step: { kind: 'plan', agent: 'planning', plan: index },
    prompt: 'planning',
    vars: {
      problem: problem.statement,
      samples: samplesText(problem),
      language: languageLabel(lang),
      algorithm,
      exemplar_description: exemplar?.description,
      exemplar_planning: exemplar?.planning,
    },
    shape: { kind: 'text' },
    parse: parsePlan,
  };
}

/** Planning, second call: how confident the model is in a plan (0-100). Uses the planning adapter. */
export function confidenceCall(problem: Problem, lang: Lang, plan: string, index: number): AgentCall<{ confidence: number; explanation: string }> {
  return {
    step: { kind: 'confidence', agent: 'planning', plan: index },
    prompt: 'confidence',
    vars: { problem: problem.statement, samples: samplesText(problem), language: languageLabel(lang), plan },
    shape: { kind: 'confidence' },
    parse: (reply) => {
      const c = parseConfidence(reply);
      return { ...c, value: { confidence: c.value, explanation: parseConfidenceExplanation(reply) } };
    },
  };
}
