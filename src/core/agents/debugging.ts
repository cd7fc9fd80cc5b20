import { parseDebugReply } from '../parse';
import type { JudgeReport, Lang, Problem } from '../types';
import type { AgentCall } from './call';
import { fenceTag, ioConvention, languageLabel, testReportText } from './context';

/**
 * Debugging: one round. The prompt holds only the current plan, program and test report, never the
 * history of earlier rounds, so its size is bounded whatever t is.
 */
export function debugCall(
  problem: Problem, lang: Lang, algorithm: string, plan: string, code: string, report: JudgeReport, index: number, round: number,
): AgentCall<{ plan: string; code: string }> {
  return {
    step: { kind: 'debug', agent: 'debugging', plan: index, round },
    prompt: 'debugging',
    vars: {
      problem: problem.statement,
      language: languageLabel(lang),
      fence: fenceTag(lang),
      io: ioConvention(problem, lang),
      algorithm,
      plan,
      code,
      report: testReportText(report),
    },
    shape: { kind: 'debug', lang },
    parse: (reply) => parseDebugReply(reply, lang),
  };
}
