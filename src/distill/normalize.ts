import { isDeepStrictEqual } from 'node:util';
import { fenceTag } from '../core/agents/context';
import type { RetrievalResult, StepKind } from '../core/events';
import { extractCode, parseConfidence, parseConfidenceExplanation, parseDebugReply, parsePlan, parseRetrieval, type Parsed } from '../core/parse';
import type { Lang } from '../core/types';

// A teacher's reply becomes a training target in the protocol's clean shape, rebuilt from what our
// parser read out of it: the adapter learns the shape, not the teacher's quirks (text around <root>,
// "85%", a `cpp` fence written as `c++`). A rebuilt reply is kept only when our own parser reads it
// back to the same value with no format issue at all, so no training target teaches a format failure.

export type Normalized = { reply: string } | { dropped: string };

export function normalizeReply(kind: StepKind, parsed: unknown, lang: Lang, k: number): Normalized {
  const built = build(kind, parsed, lang, k);
  if ('dropped' in built) return built;
  const back = reparse(kind, built.reply, lang, k);
  if (!back.ok || back.issues.length) return { dropped: `the rebuilt reply does not read back cleanly (${back.issues.map((i) => i.kind).join(', ') || 'not ok'})` };
  if (!isDeepStrictEqual(back.value, built.value)) return { dropped: 'the rebuilt reply reads back to another value' };
  return { reply: built.reply };
}

type Built = { reply: string; value: unknown } | { dropped: string };

function build(kind: StepKind, parsed: unknown, lang: Lang, k: number): Built {
  switch (kind) {
    case 'retrieval': {
      const r = parsed as RetrievalResult;
      if (r.exemplars.length !== k) return { dropped: `${r.exemplars.length} exemplars instead of ${k}` };
      if (!r.algorithm.trim() || r.exemplars.some((e) => !e.description.trim() || !e.code.trim() || !e.planning.trim())) {
        return { dropped: 'an empty retrieval field' };
      }
      const problems = r.exemplars.map(
        (e) => `<problem>\n<description>\n${e.description}\n</description>\n<code>\n${e.code}\n</code>\n<planning>\n${e.planning}\n</planning>\n</problem>`,
      );
      return { reply: `<root>\n${problems.join('\n')}\n<algorithm>\n${r.algorithm}\n</algorithm>\n</root>`, value: r };
    }
    case 'plan': {
      const plan = (parsed as string).trim();
      return plan ? { reply: plan, value: plan } : { dropped: 'an empty plan' };
    }
    case 'confidence': {
      const c = parsed as { confidence: number; explanation: string };
      const confidence = Math.round(c.confidence);
      const explanation = c.explanation.trim();
      if (!explanation) return { dropped: 'a confidence without explanation' };
      return { reply: `<root>\n<explanation>\n${explanation}\n</explanation>\n<confidence>${confidence}</confidence>\n</root>`, value: { confidence, explanation } };
    }
    case 'code':
      return fenced(parsed as string, lang);
    case 'debug': {
      const d = parsed as { plan: string; code: string };
      const plan = d.plan.trim();
      if (!plan) return { dropped: 'a debugging reply without a corrected plan' };
      const code = fenced(d.code, lang);
      return 'dropped' in code ? code : { reply: `${plan}\n\n${code.reply}`, value: { plan, code: code.value } };
    }
    case 'direct':
      return { dropped: 'the Direct baseline trains no adapter' };
    case 'brute':
    case 'generator':
    case 'stress':
      return { dropped: 'stress-test calls are not distilled' };
    case 'checker':
      return { dropped: 'checker calls are not distilled' };
  }
}

function fenced(code: string, lang: Lang): Built {
  const body = code.replace(/\s+$/, '');
  if (!body.trim()) return { dropped: 'empty code' };
  return { reply: `\`\`\`${fenceTag(lang)}\n${body}\n\`\`\``, value: body };
}

function reparse(kind: StepKind, reply: string, lang: Lang, k: number): Parsed<unknown> {
  switch (kind) {
    case 'retrieval':
      return parseRetrieval(reply, k);
    case 'plan':
      return parsePlan(reply);
    case 'confidence': {
      const c = parseConfidence(reply);
      return { ...c, value: { confidence: c.value, explanation: parseConfidenceExplanation(reply) } };
    }
    case 'code':
    case 'direct':
    case 'brute':
    case 'generator':
    case 'stress':
    case 'checker':
      return extractCode(reply, lang);
    case 'debug':
      return parseDebugReply(reply, lang);
  }
}
