import type { ChatMessage } from '../types';
import { serverRoot, type ServerModel } from './backends';
import type { Backend } from './config';

// How much a request may hold: the server's context window per request (llama.cpp: per slot), the
// prompt's share of it, and the reply's. A random model, or a long plan, fills a 4096-token slot fast.

/** What the server said about its context and parallel slots; undefined fields are unknown. */
export interface ServerLimits {
  /** Tokens one request may use, prompt and reply together. */
  contextTokens?: number;
  /** Requests the server runs at once (llama.cpp's slots); more wait in its queue. */
  slots?: number;
}

/** Room kept free of the estimate: chat-template tokens and the estimate's error. */
const TEMPLATE_TOKENS = 16;
/** Below this a reply cannot say anything useful: the prompt must shrink instead. */
export const MIN_REPLY_TOKENS = 128;

/**
 * Tokens of `messages`, estimated on the safe side where the server cannot count them: about 3
 * characters a token for English and code (BPE tokenizers average 3.5-4), a token per character
 * beyond ASCII (CJK and symbols often take one or more), plus the chat template's tokens per message.
 */
export function estimatePromptTokens(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => {
    const wide = m.content.replace(/[\x00-\x7f]+/g, '').length;
    return n + Math.ceil((m.content.length - wide) / 3) + wide + TEMPLATE_TOKENS;
  }, 0);
}

/**
 * The reply's max_tokens: the configured maximum, less when the window cannot hold it after the
 * prompt. Undefined when the prompt leaves less than MIN_REPLY_TOKENS (it must be cut first).
 */
export function replyBudget(maxTokens: number, promptTokens: number, limits: ServerLimits): number | undefined {
  if (limits.contextTokens === undefined) return maxTokens;
  const room = limits.contextTokens - promptTokens - TEMPLATE_TOKENS;
  return room < MIN_REPLY_TOKENS ? undefined : Math.min(maxTokens, room);
}

/** The share of the context a reply keeps before the prompt is cut: room for a whole program. */
const REPLY_SHARE = 0.25;

/**
 * Prompt tokens over what leaves the reply its floor in the context (0: it fits, or the context is
 * unknown). The floor is a quarter of the context, at least MIN_REPLY_TOKENS and what the reply's
 * shape needs (`least`: its grammar's tags and fences), never more than max_tokens.
 */
export function promptExcess(maxTokens: number, promptTokens: number, limits: ServerLimits, least = 0): number {
  if (limits.contextTokens === undefined) return 0;
  const floor = Math.min(maxTokens, Math.max(MIN_REPLY_TOKENS, least, Math.floor(limits.contextTokens * REPLY_SHARE)));
  return Math.max(0, promptTokens + TEMPLATE_TOKENS + floor - limits.contextTokens);
}

type Post = (url: string, body: unknown, signal?: AbortSignal) => Promise<unknown>;

/**
 * Prompt tokens, counted by the server where the context is known (countPromptTokens) and estimated
 * otherwise: once per messages array (a prompt fitted, then sent, is counted once), and no more asking
 * once the server could not say.
 */
export class PromptCounter {
  private readonly counted = new WeakMap<ChatMessage[], Promise<number>>();
  private canCount = true;

  constructor(private readonly backend: Backend, private readonly baseUrl: string, private readonly post: Post) {}

  tokens(messages: ChatMessage[], model: string, limits: ServerLimits, signal?: AbortSignal): Promise<number> {
    const known = this.counted.get(messages);
    if (known) return known;
    const estimate = estimatePromptTokens(messages);
    if (!limits.contextTokens || !this.canCount) return Promise.resolve(estimate);
    const count = countPromptTokens(this.backend, this.baseUrl, model, messages, this.post, signal).then((n) => {
      if (n === undefined) this.canCount = false;
      return n ?? estimate;
    });
    this.counted.set(messages, count);
    count.catch(() => this.counted.delete(messages));
    return count;
  }
}

/**
 * The prompt's tokens as the server counts them, chat template included: llama.cpp renders the
 * messages (POST /apply-template) and tokenizes the result as a chat request does (POST /tokenize,
 * special tokens parsed); vLLM counts them in one call (POST /tokenize with the messages). Undefined
 * where the server cannot say (another backend, an older server, an error): the caller estimates.
 */
export async function countPromptTokens(backend: Backend, baseUrl: string, model: string, messages: ChatMessage[], post: Post, signal?: AbortSignal): Promise<number | undefined> {
  const root = serverRoot(baseUrl);
  try {
    if (backend === 'vllm') {
      const r = (await post(`${root}/tokenize`, { model, messages, add_generation_prompt: true }, signal)) as { count?: unknown };
      return typeof r?.count === 'number' ? r.count : undefined;
    }
    if (backend !== 'llamacpp' && backend !== 'openai') return undefined;
    const { prompt } = (await post(`${root}/apply-template`, { messages }, signal)) as { prompt?: unknown };
    if (typeof prompt !== 'string') return undefined;
    const { tokens } = (await post(`${root}/tokenize`, { content: prompt, add_special: true, parse_special: true }, signal)) as { tokens?: unknown };
    return Array.isArray(tokens) ? tokens.length : undefined;
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  }
}

/** A server's answer that the request did not fit its context (llama.cpp, vLLM, OpenAI-style). */
export function isContextError(status: number | undefined, message: string): boolean {
  return (status === 400 || status === undefined) && /exceeds? the available context size|exceed_context_size|maximum context length|context length|too many tokens|prompt is too long/i.test(message);
}

type Get = (url: string, signal?: AbortSignal) => Promise<unknown>;

/**
 * The server's limits: llama.cpp's GET /props (`default_generation_settings.n_ctx` per slot,
 * `total_slots`), else vLLM's `max_model_len` in the model list, else `meta.n_ctx_train`-style hints
 * are not trusted (unknown).
 */
export async function fetchServerLimits(backend: Backend, baseUrl: string, models: () => Promise<ServerModel[]>, get: Get, signal?: AbortSignal): Promise<ServerLimits> {
  if (backend === 'llamacpp' || backend === 'openai') {
    const props = (await get(`${serverRoot(baseUrl)}/props`, signal).catch(() => undefined)) as
      | { default_generation_settings?: { n_ctx?: unknown }; total_slots?: unknown }
      | undefined;
    const ctx = props?.default_generation_settings?.n_ctx;
    if (typeof ctx === 'number' && ctx > 0) return { contextTokens: ctx, slots: typeof props?.total_slots === 'number' ? props.total_slots : undefined };
  }
  const list = await models().catch(() => [] as ServerModel[]);
  const len = (list as (ServerModel & { max_model_len?: unknown; meta?: { n_ctx?: unknown } })[])
    .map((m) => (typeof m.max_model_len === 'number' ? m.max_model_len : typeof m.meta?.n_ctx === 'number' ? m.meta.n_ctx : undefined))
    .find((n): n is number => n !== undefined && n > 0);
  return len ? { contextTokens: len } : {};
}

/** A typical prompt with the statement and a plan quoted, for sizing advice. */
export const TYPICAL_PROMPT_TOKENS = 3000;

/** One sentence for `check`: the context per request and whether the prompts and replies fit it. */
export function describeContext(limits: ServerLimits, maxTokens: number): string {
  const slots = limits.slots ? ` (${limits.slots} slot${limits.slots === 1 ? '' : 's'})` : '';
  if (!limits.contextTokens) return `Context: the server does not say its context size${slots}; a refusal for length is met by shorter replies and cut quotes.`;
  const need = maxTokens + TYPICAL_PROMPT_TOKENS;
  if (limits.contextTokens >= need) return `Context: ${limits.contextTokens} tokens per request${slots}: room for a typical prompt and max_tokens ${maxTokens}.`;
  return `Context: ${limits.contextTokens} tokens per request${slots}: less than max_tokens ${maxTokens} plus a typical prompt (~${TYPICAL_PROMPT_TOKENS}); ` +
    `replies are shortened to fit and long plans or programs cut. Give each request at least ${need} tokens (llama.cpp: -c = ${need} x the -np slots).`;
}
