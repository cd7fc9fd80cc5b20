import type { RetrievalResult } from '../events';
import { parseRetrieval } from '../parse';
import type { Lang, Problem } from '../types';
import type { AgentCall } from './call';
import { languageLabel } from './context';

/** Retrieval: k related solved problems and the algorithm this problem needs (one call per problem). */
export function retrievalCall(problem: Problem, lang: Lang, k: number): AgentCall<RetrievalResult> {
  return {
    step: { kind: 'retrieval', agent: 'retrieval' },
    prompt: 'retrieval',
    vars: { problem: problem.statement, language: languageLabel(lang), k },
    shape: { kind: 'retrieval', k },
    parse: (reply) => parseRetrieval(reply, k),
  };
}
