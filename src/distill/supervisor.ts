import { fenceTag, languageLabel, testReportText } from '../core/agents/context';
import type { PromptSet } from '../core/agents/prompts';
import type { Lang, JudgeReport, Problem } from '../core/types';
import type { Parsed, ParseIssue } from '../core/parse';
import { issue } from '../core/parse/issues';
import { fieldText } from '../core/parse/text';
import { scanTags } from '../core/parse/xml';
import type { Llm } from './endpoints';

// The supervisor of supervise: reads a failed trajectory and names the agent most to blame.

export type Blamed = 'planning' | 'coding';

export interface Blame {
  agent: Blamed;
  feedback: string;
}

const SPEC = { fields: { agent: ['agent', 'blame', 'culprit'], feedback: ['feedback', 'advice'] } };

/**
 * Tolerant like the agents' parsers: text around <root>, a missing <root>, "The planning agent" or
 * "coder" for the agent. ok=false when no single agent is named or the feedback is empty.
 */
export function parseBlame(reply: string): Parsed<Blame | undefined> {
  const scan = scanTags(reply, SPEC);
  const issues: ParseIssue[] = [...scan.issues];
  const named = (scan.top.agent?.[0] ?? '').toLowerCase();
  const planning = /plan/.test(named);
  const coding = /cod|program|implement/.test(named);
  const feedback = fieldText(scan.top.feedback?.[0] ?? '', 'feedback', issues);
  if (planning === coding) issues.push(issue('no_agent', `<agent> names ${named.trim() ? `"${named.trim().slice(0, 40)}"` : 'nothing'}, not planning or coding`, false));
  if (!feedback) issues.push(issue('no_feedback', 'no <feedback>', false));
  if (planning === coding || !feedback) return { value: undefined, ok: false, issues };
  return { value: { agent: planning ? 'planning' : 'coding', feedback }, ok: true, issues };
}

export interface FailedAttempt {
  problem: Problem;
  lang: Lang;
  algorithm: string;
  plan: string;
  code: string;
  /** The final program's report on the samples. */
  samples: JudgeReport;
  hidden: { passed: number; total: number; available: boolean };
}

/** The test report the supervisor sees: the failing samples, or how many hidden tests failed (never their content). */
export function attemptReport(a: FailedAttempt): string {
  if (a.samples.verdict !== 'AC') return testReportText(a.samples);
  const failed = a.hidden.total - a.hidden.passed;
  return `It passes all ${a.samples.total} sample tests but fails ${failed} of ${a.hidden.total} hidden tests (their content is not shown).`;
}

export interface SupervisorAnswer {
  blame?: Blame;
  raw: string;
  model: string;
}

/**
 * Asks the supervisor once, and once more (slightly warmer) when the reply names no agent. The
 * supervisor is one plain model: its endpoint's --supervisor-model (the request names an agent only
 * because the client routes by agent; with a plain model that choice does not matter).
 */
export async function askSupervisor(llm: Llm, prompts: PromptSet, a: FailedAttempt, signal?: AbortSignal, retries = 1): Promise<SupervisorAnswer> {
  const messages = prompts.render('supervisor', {
    problem: a.problem.statement, language: languageLabel(a.lang), fence: fenceTag(a.lang), algorithm: a.algorithm, plan: a.plan, code: a.code,
    report: attemptReport(a),
  });
  let last: SupervisorAnswer = { raw: '', model: '' };
  for (let attempt = 0; attempt <= retries; attempt++) {
    const c = await llm.complete({ agent: 'planning', messages, signal, sampling: attempt ? { temperature: 0.4 } : undefined });
    const parsed = parseBlame(c.text);
    last = { blame: parsed.value, raw: c.text, model: c.model };
    if (parsed.ok) break;
  }
  return last;
}

/** The paragraph added to the blamed agent's prompt on its re-run. */
export function feedbackParagraph(feedback: string): string {
  return `A reviewer looked at an earlier attempt at this problem that failed, and has this advice for you:\n${feedback}`;
}
