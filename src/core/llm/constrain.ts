import { leastReplyTokens, replyGrammar, shapeName, type ReplyShape } from '../parse/grammar';
import type { Backend } from './config';

// Whether and how a request asks the server to hold its reply to the protocol's shape: llama.cpp takes
// GBNF in the request's `grammar`, vLLM (0.12 and later) in `structured_outputs.grammar`. Ollama's
// `format` takes JSON schemas only: its replies stay free (the tolerant parsers serve them).

/** `auto`: constrain where the backend is known to take a grammar; `on`: also on `openai` (llama.cpp's field). */
export type Constrain = 'auto' | 'on' | 'off';
export const CONSTRAIN_MODES: readonly Constrain[] = ['auto', 'on', 'off'];

/** Whether requests of `shape` on `backend` carry a grammar (before any refusal by the server). */
export function constrains(backend: Backend, mode: Constrain, shape: ReplyShape | undefined): shape is ReplyShape {
  if (!shape || mode === 'off') return false;
  return backend === 'llamacpp' || backend === 'vllm' || (backend === 'openai' && mode === 'on');
}

/** The least max_tokens a reply of `shape` needs on `backend` (0 where it is not constrained). */
export function leastTokens(backend: Backend, mode: Constrain, shape: ReplyShape | undefined): number {
  return constrains(backend, mode, shape) ? leastReplyTokens(shape) : 0;
}

/**
 * The request fields that hold a reply of at most `maxTokens` to `shape` on `backend` (llama.cpp's
 * `grammar`, vLLM's `structured_outputs.grammar`); none where replies stay free. Where `maxTokens`
 * cannot hold the shape's fixed parts no grammar is sent (it could not close): `notice` says so.
 */
export function grammarFields(backend: Backend, mode: Constrain, shape: ReplyShape | undefined, maxTokens: number): { fields?: Record<string, unknown>; notice?: string } {
  if (!constrains(backend, mode, shape)) return {};
  const least = leastReplyTokens(shape);
  if (maxTokens < least) {
    return { notice: `max_tokens ${maxTokens} cannot hold ${shapeName(shape)} (its tags and fences alone need ${least} tokens), so it is not constrained; raise max_tokens or give the server more context.` };
  }
  const grammar = replyGrammar(shape, maxTokens);
  return { fields: backend === 'vllm' ? { structured_outputs: { grammar } } : { grammar } };
}

/** For `check`: whether replies will be constrained, in one sentence. */
export function describeConstraint(backend: Backend, mode: Constrain): string {
  if (mode === 'off') return 'Constrained replies: off (--constrain off); replies are read by the tolerant parsers.';
  if (backend === 'llamacpp') return 'Constrained replies: on (llama.cpp grammar): every reply keeps the protocol\'s shape.';
  if (backend === 'vllm') return 'Constrained replies: on (vLLM structured_outputs grammar, v0.12 or later): every reply keeps the protocol\'s shape.';
  if (backend === 'ollama') return 'Constrained replies: not possible on Ollama (its format takes JSON schemas only); replies are read by the tolerant parsers.';
  return mode === 'on'
    ? 'Constrained replies: on (llama.cpp\'s grammar field; a server that refuses it gets free replies).'
    : 'Constrained replies: off for an unknown OpenAI-compatible server (--constrain on sends llama.cpp\'s grammar field).';
}

/** A 400 that refuses the grammar field itself (an older server, or one without grammar support). */
export function refusesGrammar(status: number | undefined, message: string): boolean {
  return status === 400 && /grammar|structured_outputs|structured output|extra (inputs|fields) are not permitted|unrecognized|unknown (field|parameter)/i.test(message);
}
