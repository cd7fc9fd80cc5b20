import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { AgentName, ChatMessage, Usage } from '../types';
import { adapterFor, fetchLoraAdapters, fileName, loraField, sameModel, serverRoot, type LoraAdapter, type ServerModel } from './backends';
import { checkEndpoint, type EndpointCheck } from './check';
import { DEFAULT_RETRY_BASE_MS, modelFor, type EndpointConfig, type Sampling } from './config';
import {
  authMessage, faultOf, LlmError, missingLoraMessage, missingModelMessage, normalizeErrorBody, seconds, times,
  unreachableMessage, type Fault,
} from './errors';
import { AttemptGuard } from './guard';
import { retryDelayMs, sleep } from './retry';
import { Limiter } from '../judge/limiter';
import { estimatePromptTokens, fetchServerLimits, isContextError, MIN_REPLY_TOKENS, promptExcess, PromptCounter, replyBudget, type ServerLimits } from './context';
import { grammarFields, leastTokens, refusesGrammar } from './constrain';
import { ollamaChat, ollamaContext, OllamaFault } from './ollama';
import type { ReplyShape } from '../parse/grammar';
import { timerMs } from '../timer';

export interface CompletionRequest {
  agent: AgentName;
  messages: ChatMessage[];
  signal?: AbortSignal;
  /** Called with each streamed piece of the reply, in order. */
  onToken?: (delta: string) => void;
  sampling?: Partial<Sampling>;
  /** The reply's shape: held to it where the server can constrain (EndpointConfig.constrain). */
  shape?: ReplyShape;
}

export interface Completion {
  text: string;
  usage: Usage;
  /** true when the server sent no usage and `usage` is a chars/4 estimate. */
  usageEstimated?: boolean;
  /** The model the server says answered (may differ from the one asked for). */
  model: string;
  /** From the call's start to the end of the stream, retries included. */
  ms: number;
  /** From the call's start to the first content token. */
  ttftMs: number;
  finishReason: string | null;
  retries: number;
  /** The server held the reply to its shape (absent: free). */
  constrained?: boolean;
  /** Said once: the server refused the grammar field, replies are free from now on. */
  notice?: string;
}

/** How a prompt fits the server's context: its tokens, and how many must go before it is sent (0: none). */
export interface PromptFit {
  promptTokens: number;
  excess: number;
  /** The server's context per request, when it says. */
  contextTokens?: number;
}

/** A failed attempt, before deciding whether to retry it. */
class AttemptFailure {
  constructor(
    readonly fault: Fault,
    /** Reply characters received before it failed: retrying after any would duplicate tokens. */
    readonly chars: number,
  ) {}
}

interface Target {
  model: string;
  /** Backend-specific body fields (llama.cpp's `lora`). */
  extra: Record<string, unknown>;
}

interface LlamaSetup {
  model: string;
  adapters: LoraAdapter[];
}

type StreamBody = ChatCompletionCreateParamsStreaming & Record<string, unknown>;

const estimateTokens = (chars: number) => Math.ceil(chars / 4);

/** The endpoint client: one per endpoint configuration, shared by all agents. */
export class LlmClient {
  private readonly sdk: OpenAI;
  private llama: Promise<LlamaSetup> | undefined;
  private serverLimits: Promise<ServerLimits> | undefined;
  /** In-flight requests kept within the server's slots: the wait is ours, visible and cancellable. */
  private slots: Limiter | undefined;
  /** Set when the server refused a grammar: later requests go without one. */
  private grammarRefused: string | undefined;
  /** Ollama's num_ctx for this client's requests: grown to the largest need, never shrunk. */
  private ollamaCtx = 0;
  private readonly counter: PromptCounter;
  /** Reply shapes already said to be too large for their max_tokens (once per client). */
  private said = new Set<string>();

  constructor(readonly cfg: EndpointConfig) {
    this.sdk = new OpenAI({
      baseURL: cfg.baseUrl.replace(/\/+$/, ''),
      // The SDK insists on a key and would otherwise read OPENAI_API_KEY; without a configured key
      // the Authorization header is removed again below.
      apiKey: cfg.apiKey ?? 'unused',
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      defaultHeaders: cfg.apiKey ? undefined : { Authorization: null },
      timeout: timerMs(cfg.requestTimeoutMs),
      maxRetries: 0,
      logLevel: 'off',
      fetch: fetchWithReadableErrors,
    });
    this.counter = new PromptCounter(cfg.backend, cfg.baseUrl, (url, body, signal) => this.getJson(url, signal, body));
  }

  async complete(req: CompletionRequest): Promise<Completion> {
    const started = Date.now();
    const { agent } = req;
    const target = await this.target(agent, req.signal);
    const limits = await this.limits(req.signal);
    const s = { ...this.cfg.sampling, ...definedOnly(req.sampling ?? {}) };
    const promptTokens = await this.promptTokens(req, limits);
    let maxTokens = replyBudget(s.maxTokens, promptTokens, limits);
    if (maxTokens === undefined) throw this.contextError(agent, promptTokens, limits);
    const body: StreamBody = {
      model: target.model,
      messages: req.messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: s.temperature,
      top_p: s.topP,
      max_tokens: maxTokens,
      ...(s.seed === undefined ? {} : { seed: s.seed }),
      ...target.extra,
    };
    let grammar: Record<string, unknown> | undefined;
    let notice: string | undefined;
    // The grammar is derived from the request's real max_tokens, again whenever that changes.
    const size = (tokens: number) => {
      for (const key of Object.keys(grammar ?? {})) delete body[key];
      body.max_tokens = tokens;
      const held = this.grammarRefused ? {} : grammarFields(this.cfg.backend, this.cfg.constrain ?? 'auto', req.shape, tokens);
      grammar = held.fields;
      Object.assign(body, grammar);
      const shape = JSON.stringify(req.shape);
      if (held.notice && !this.said.has(shape)) {
        this.said.add(shape);
        notice = held.notice;
      }
    };
    size(maxTokens);
    const send = () => (this.cfg.backend === 'ollama' ? this.attemptOllama(req, body, started) : this.attempt(req, body, started));
    for (let retry = 0; ; retry++) {
      try {
        const done = await (this.slots ? this.slots.run(send, req.signal) : send());
        return { ...done, retries: retry, constrained: grammar !== undefined, ...(notice ? { notice } : {}) };
      } catch (err) {
        if (isAbortError(err)) throw this.cancelled(agent);
        if (!(err instanceof AttemptFailure)) throw err;
        const { fault, chars } = err;
        // A server without grammar support (or an older vLLM): free replies from now on, said once.
        if (grammar && fault.kind === 'status' && refusesGrammar(fault.status, fault.message)) {
          for (const key of Object.keys(grammar)) delete body[key];
          grammar = undefined;
          if (!this.grammarRefused) notice = `The server refused constrained replies (${fault.message}); replies are free from now on.`;
          this.grammarRefused ??= fault.message;
          continue;
        }
        // Too long for the context after all (the estimate was short): a smaller reply, once or twice.
        if (fault.kind === 'status' && isContextError(fault.status, fault.message)) {
          maxTokens = Math.floor(maxTokens / 2);
          if (maxTokens < MIN_REPLY_TOKENS) throw this.contextError(agent, promptTokens, limits, fault.message);
          size(maxTokens);
          continue;
        }
        const again =
          chars === 0 &&
          retry < this.cfg.maxRetries &&
          (fault.kind === 'broken' || (fault.kind === 'status' && isTransient(fault.status)));
        if (!again) throw await this.toLlmError(err, { agent, model: target.model, attempts: retry + 1, signal: req.signal });
        const wait = retryDelayMs(retry, this.cfg.retryBaseMs ?? DEFAULT_RETRY_BASE_MS, fault.kind === 'status' ? fault.retryAfter : undefined);
        await sleep(wait, req.signal).catch(() => {
          throw this.cancelled(agent);
        });
      }
    }
  }

  /**
   * How `req`'s prompt fits the server's context before it is sent: what must go so that its reply
   * keeps its floor (a quarter of the context, and room for its grammar's tags and fences).
   */
  async promptFit(req: Pick<CompletionRequest, 'agent' | 'messages' | 'shape' | 'sampling' | 'signal'>): Promise<PromptFit> {
    const limits = await this.limits(req.signal);
    const promptTokens = await this.promptTokens(req, limits);
    const maxTokens = req.sampling?.maxTokens ?? this.cfg.sampling.maxTokens;
    const least = this.grammarRefused ? 0 : leastTokens(this.cfg.backend, this.cfg.constrain ?? 'auto', req.shape);
    return { promptTokens, excess: promptExcess(maxTokens, promptTokens, limits, least), contextTokens: limits.contextTokens };
  }

  /** The prompt's tokens: counted by the server where the context is known and it can count, else estimated. */
  private promptTokens(req: Pick<CompletionRequest, 'agent' | 'messages' | 'signal'>, limits: ServerLimits): Promise<number> {
    return this.counter.tokens(req.messages, modelFor(this.cfg, req.agent), limits, req.signal).catch((err) => {
      throw req.signal?.aborted ? this.cancelled(req.agent) : err;
    });
  }

  /** The server's context window and slots, asked once per client (unknown when it does not say). */
  limits(signal?: AbortSignal): Promise<ServerLimits> {
    this.serverLimits ??= fetchServerLimits(this.cfg.backend, this.cfg.baseUrl, () => this.serverModels(signal), (url, s) => this.getJson(url, s), signal).then((l) => {
      if (l.slots && l.slots > 0) this.slots = new Limiter(l.slots);
      return l;
    });
    this.serverLimits.catch(() => (this.serverLimits = undefined));
    return this.serverLimits;
  }

  /** GET `url`, or POST `body` as JSON, under the idle time-out. */
  private async getJson(url: string, signal?: AbortSignal, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = this.cfg.apiKey ? { Authorization: `Bearer ${this.cfg.apiKey}` } : {};
    const timeout = AbortSignal.timeout(timerMs(this.cfg.idleTimeoutMs));
    const post = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } };
    const res = await fetch(url, { headers, ...post, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.json();
  }

  private contextError(agent: AgentName, promptTokens: number, limits: ServerLimits, server?: string): LlmError {
    const window = limits.contextTokens ? `the server's context of ${limits.contextTokens} tokens per request` : 'the server\'s context';
    return new LlmError(
      'context',
      `The prompt for '${agent}' (about ${promptTokens} tokens) leaves no room for a reply in ${window}${server ? ` (${server})` : ''}.`,
      { agent, retryable: true },
    );
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    return (await this.serverModels(signal)).map((m) => m.id);
  }

  async check(signal?: AbortSignal): Promise<EndpointCheck> {
    const check = await checkEndpoint(this.cfg, { models: (s) => this.serverModels(s), loraAdapters: (s) => this.loraAdapters(s) }, signal);
    return check.reachable ? { ...check, context: await this.limits(signal).catch(() => ({})) } : check;
  }

  /** GET /models with its vLLM extras (`parent`, `root`). */
  async serverModels(signal?: AbortSignal): Promise<ServerModel[]> {
    const page = await this.aux('the model list', signal, (s) =>
      this.sdk.models.list({ signal: s, timeout: timerMs(this.cfg.requestTimeoutMs), maxRetries: 0 }),
    );
    return (page.data as unknown as ServerModel[]).filter((m) => typeof m?.id === 'string');
  }

  /** llama.cpp's loaded adapters (GET /lora-adapters at the server root). */
  loraAdapters(signal?: AbortSignal): Promise<LoraAdapter[]> {
    const headers: Record<string, string> = this.cfg.apiKey ? { Authorization: `Bearer ${this.cfg.apiKey}` } : {};
    return this.aux('the LoRA adapter list', signal, (s) => fetchLoraAdapters(this.cfg.baseUrl, headers, s));
  }

  /** One streamed attempt; throws AttemptFailure for anything the endpoint did wrong. */
  private async attempt(req: CompletionRequest, body: StreamBody, started: number): Promise<Omit<Completion, 'retries' | 'constrained'>> {
    // Until the response starts llama.cpp may be queueing the request for a slot, sending nothing
    // meanwhile: that wait has the whole request's limit; the idle clock starts with the response.
    const queues = this.cfg.backend === 'llamacpp' || this.slots !== undefined;
    const guard = new AttemptGuard(req.signal, this.cfg.requestTimeoutMs, this.cfg.idleTimeoutMs, queues ? this.cfg.requestTimeoutMs : this.cfg.idleTimeoutMs);
    const parts: string[] = [];
    let chars = 0;
    try {
      const { data: stream, response } = await this.sdk.chat.completions
        .create(body, { signal: guard.signal, timeout: timerMs(this.cfg.requestTimeoutMs), maxRetries: 0 })
        .withResponse();
      guard.touch();
      const type = response.headers.get('content-type');
      if (type && !/text\/event-stream/i.test(type)) {
        const head = (await response.text()).slice(0, 100).replace(/\s+/g, ' ');
        throw new AttemptFailure({ kind: 'malformed', detail: `${type.split(';')[0]}: "${head}"` }, 0);
      }
      let model = '';
      let usage: Usage | undefined;
      let finishReason: string | null = null;
      let ttftMs = 0;
      let chunks = 0;
      for await (const chunk of stream) {
        guard.touch();
        chunks++;
        model ||= chunk.model ?? '';
        if (chunk.usage) {
          const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
          usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0, ...(typeof cached === 'number' ? { cachedTokens: cached } : {}) };
        }
        const choice = chunk.choices?.[0];
        const delta = choice?.delta?.content;
        if (delta) {
          if (chars === 0) ttftMs = Date.now() - started;
          parts.push(delta);
          chars += delta.length;
          req.onToken?.(delta);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        // Complete once the server said so and counted it: some servers and proxies never send [DONE],
        // or keep the socket open after it, and the SDK's iterator waits for the socket to close.
        if (finishReason !== null && usage) break;
      }
      // The SDK ends the loop quietly when the request is aborted. Silence after the finish reason
      // (no usage, no end) is a complete reply whose end went missing, not a failed one.
      if (guard.reason && !(guard.reason === 'idle' && finishReason !== null)) throw new AttemptFailure({ kind: 'aborted', reason: guard.reason }, chars);
      if (chunks === 0) throw new AttemptFailure({ kind: 'malformed', detail: 'the stream held no chunk' }, 0);
      if (finishReason === null && !usage) throw new AttemptFailure({ kind: 'broken', detail: 'ended without a finish reason' }, chars);
      const text = parts.join('');
      const ms = Date.now() - started;
      const promptChars = req.messages.reduce((n, m) => n + m.content.length, 0);
      return {
        text,
        usage: usage ?? { promptTokens: estimateTokens(promptChars), completionTokens: estimateTokens(text.length) },
        ...(usage ? {} : { usageEstimated: true }),
        model: model || body.model,
        ms,
        ttftMs: chars ? ttftMs : ms,
        finishReason,
      };
    } catch (err) {
      if (err instanceof AttemptFailure) throw err;
      const fault = faultFor(err, guard);
      if (fault.kind === 'foreign') throw err;
      throw new AttemptFailure(fault, chars);
    } finally {
      guard.stop();
    }
  }

  /**
   * One attempt through Ollama's native API: its OpenAI endpoint runs every model with its default
   * context (a few thousand tokens) and cuts longer prompts silently; here `num_ctx` holds the prompt and
   * the reply. It only grows per client (a changed num_ctx reloads the model), and `keep_alive` keeps the
   * agents' models loaded between calls.
   */
  private async attemptOllama(req: CompletionRequest, body: StreamBody, started: number): Promise<Omit<Completion, 'retries' | 'constrained'>> {
    const guard = new AttemptGuard(req.signal, this.cfg.requestTimeoutMs, this.cfg.idleTimeoutMs);
    let chars = 0;
    try {
      this.ollamaCtx = Math.max(this.ollamaCtx, ollamaContext(estimatePromptTokens(req.messages), body.max_tokens ?? 0));
      const result = await ollamaChat({
        host: serverRoot(this.cfg.baseUrl), apiKey: this.cfg.apiKey, signal: guard.signal, model: body.model, messages: req.messages,
        options: { num_ctx: this.ollamaCtx, num_predict: body.max_tokens ?? undefined, temperature: body.temperature ?? undefined, top_p: body.top_p ?? undefined, seed: body.seed ?? undefined },
        onStart: () => guard.touch(),
        onToken: (delta) => {
          guard.touch();
          chars += delta.length;
          req.onToken?.(delta);
        },
      });
      if (guard.reason) throw new AttemptFailure({ kind: 'aborted', reason: guard.reason }, chars);
      return { ...result, model: result.model || body.model, ms: Date.now() - started, ttftMs: (result.firstTokenAt ?? Date.now()) - started };
    } catch (err) {
      if (err instanceof AttemptFailure) throw err;
      if (err instanceof OllamaFault) throw new AttemptFailure(err.fault, chars);
      const fault = faultFor(err, guard);
      if (fault.kind === 'foreign') throw err;
      throw new AttemptFailure(fault, chars);
    } finally {
      guard.stop();
    }
  }

  /** A short request (model or adapter list) under the same time-outs, failures as LlmError. */
  private async aux<T>(label: string, signal: AbortSignal | undefined, run: (s: AbortSignal) => Promise<T>): Promise<T> {
    const guard = new AttemptGuard(signal, this.cfg.requestTimeoutMs, this.cfg.idleTimeoutMs);
    try {
      return await run(guard.signal);
    } catch (err) {
      const fault = faultFor(err, guard);
      if (fault.kind === 'foreign') throw err;
      throw await this.toLlmError(new AttemptFailure(fault, 0), { label, attempts: 1, signal });
    } finally {
      guard.stop();
    }
  }

  /** Model name and extra body fields for an agent's call. */
  private async target(agent: AgentName, signal?: AbortSignal): Promise<Target> {
    if (signal?.aborted) throw this.cancelled(agent);
    if (this.cfg.backend !== 'llamacpp') return { model: modelFor(this.cfg, agent), extra: {} };
    const setup = await this.llamaSetup(signal);
    const model = this.cfg.plainModel || setup.model;
    if (this.cfg.plainModel) return { model, extra: setup.adapters.length ? { lora: loraField(setup.adapters) } : {} };
    const name = this.cfg.models[agent];
    const chosen = adapterFor(setup.adapters, name);
    if (!chosen) {
      throw new LlmError('adapter-missing', missingLoraMessage(name, setup.adapters.map((a) => fileName(a.path)), agent), { agent });
    }
    return { model, extra: { lora: loraField(setup.adapters, chosen) } };
  }

  /** llama.cpp's model id (the first one /models lists) and adapters, fetched once per client. */
  private llamaSetup(signal?: AbortSignal): Promise<LlamaSetup> {
    this.llama ??= Promise.all([this.serverModels(signal), this.loraAdapters(signal)]).then(([models, adapters]) => ({
      model: models[0]?.id ?? 'default',
      adapters,
    }));
    // A failed look-up (server not up yet, cancelled) is tried again on the next call.
    this.llama.catch(() => (this.llama = undefined));
    return this.llama;
  }

  private cancelled(agent?: AgentName): LlmError {
    return new LlmError('cancelled', `The request to ${agent ? `'${agent}'` : this.cfg.baseUrl} was cancelled.`, { agent });
  }

  /** The user-facing error for a failure that will not be retried here. */
  private async toLlmError(
    failure: AttemptFailure,
    ctx: { agent?: AgentName; label?: string; model?: string; attempts: number; signal?: AbortSignal },
  ): Promise<LlmError> {
    const { fault, chars } = failure;
    const { agent, attempts } = ctx;
    const url = this.cfg.baseUrl;
    const who = agent ? `'${agent}'` : (ctx.label ?? 'the server');
    const opts = { agent };
    const often = attempts > 1 ? ` ${times(attempts)}` : '';
    switch (fault.kind) {
      case 'aborted': {
        const { reason } = fault;
        if (reason === 'cancelled') return this.cancelled(agent);
        if (reason === 'idle') {
          return new LlmError(
            'idle-timeout',
            `No ${agent ? 'token' : 'answer'} for ${seconds(this.cfg.idleTimeoutMs)} from ${who} at ${url}: the request was abandoned (idle time-out; raise ${this.cfg.knobs?.idleTimeout ?? 'the idle time-out'}).`,
            opts,
          );
        }
        return new LlmError(
          'timeout',
          `${capitalize(who)} at ${url} did not finish within ${seconds(this.cfg.requestTimeoutMs)}: the request was abandoned (time-out; raise ${this.cfg.knobs?.requestTimeout ?? 'the request time-out'}).`,
          opts,
        );
      }
      case 'connect':
        return new LlmError('unreachable', unreachableMessage(url, fault.errno), opts);
      case 'broken':
        return chars > 0
          ? new LlmError('stream-cut', `The stream from ${who} was cut after ${chars} characters.`, { ...opts, retryable: true })
          : new LlmError('stream-cut', `The connection to ${url} broke before ${who} answered${often}; giving up (${fault.detail}).`, opts);
      case 'malformed':
        return new LlmError(
          'bad-response',
          `The server at ${url} did not answer ${who} with an OpenAI-style reply (${fault.detail}); check that the endpoint URL points at an OpenAI-compatible /v1 API.`,
          opts,
        );
      case 'status':
        return this.statusError(fault, ctx, who);
      case 'foreign':
        throw fault.error;
    }
  }

  private async statusError(
    fault: Extract<Fault, { kind: 'status' }>,
    ctx: { agent?: AgentName; model?: string; attempts: number; signal?: AbortSignal },
    who: string,
  ): Promise<LlmError> {
    const { status, message } = fault;
    const url = this.cfg.baseUrl;
    const opts = { agent: ctx.agent, status };
    if (status === undefined) {
      return new LlmError('http', `The server reported an error in the middle of ${who}'s reply: ${message}`, { ...opts, retryable: true });
    }
    if (status === 401 || status === 403) return new LlmError('auth', authMessage(url, status, !!this.cfg.apiKey), opts);
    const often = ctx.attempts > 1 ? ` ${times(ctx.attempts)}` : '';
    if (status === 429) {
      return new LlmError('rate-limited', `The server rate-limited ${who} (429)${often}; giving up.`, { ...opts, retryable: true });
    }
    if (status === 404 && ctx.agent && ctx.model) {
      const have = await this.listModels(ctx.signal).catch(() => undefined);
      if (have && !have.some((h) => sameModel(this.cfg.backend, ctx.model!, h))) {
        const agentToFix = this.cfg.plainModel ? undefined : ctx.agent;
        return new LlmError('adapter-missing', missingModelMessage(this.cfg.backend, ctx.model, have, agentToFix), opts);
      }
    }
    if (status === 404) {
      return new LlmError('http', `The server at ${url} answered 404 for ${who} (${message}); is the endpoint URL right (it usually ends in /v1)?`, opts);
    }
    if (isTransient(status)) {
      return new LlmError('http', `The server answered ${status}${often} for ${who}; giving up (${message}).`, { ...opts, retryable: true });
    }
    return new LlmError('http', `The server refused the request for ${who} (${status}: ${message}).`, opts);
  }
}

/** Our own stop (cancel, time-outs) explains whatever error the SDK or fetch raised because of it. */
function faultFor(err: unknown, guard: AttemptGuard): Fault {
  const reason = guard.reason;
  return reason && reason !== 'done' ? { kind: 'aborted', reason } : faultOf(err);
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

function isTransient(status: number | undefined): boolean {
  return status !== undefined && (status === 408 || status === 429 || status >= 500);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** fetch for the SDK: error bodies are rewritten into the OpenAI shape so their message survives. */
/** Redirects followed within one origin; the prompt (a problem statement) is never sent to another host. */
const MAX_REDIRECTS = 5;

async function fetchWithReadableErrors(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  let url = new URL(input instanceof Request ? input.url : input);
  let res = await fetch(url, { ...init, redirect: 'manual' });
  for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.has('location'); hops++) {
    const next = new URL(res.headers.get('location')!, url);
    if (next.origin !== url.origin || hops >= MAX_REDIRECTS) {
      const why = next.origin !== url.origin ? `to another host (${next.origin}); not followed, so nothing was sent there` : `more than ${MAX_REDIRECTS} times`;
      return new Response(JSON.stringify({ error: { message: `The server redirected the request ${why}` } }), { status: 421, headers: { 'content-type': 'application/json' } });
    }
    url = next;
    res = await fetch(url, { ...init, redirect: 'manual' });
  }
  if (res.status < 400) return res;
  const text = await res.text();
  const normalized = normalizeErrorBody(text);
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(normalized ? JSON.stringify(normalized) : text, { status: res.status, statusText: res.statusText, headers });
}
