import type OpenAI from 'openai';
import { isAbortError } from '../abort';
import { Limiter } from '../limiter';
import type { ReplyShape } from '../parse/grammar';
import { timerMs } from '../timer';
import type { AgentName, ChatMessage, Usage } from '../types';
import { ollamaAttempt, streamAttempt, type StreamBody } from './attempt';
import type { LoraAdapter, ServerModel } from './backends';
import { fetchLoraAdapters } from './lora-adapters';
import { checkEndpoint, type EndpointCheck } from './check';
import { DEFAULT_RETRY_BASE_MS, modelFor, type EndpointConfig, type Sampling } from './config';
import { grammarFields, leastTokens, refusesGrammar } from './constrain';
import { estimatePromptTokens, fetchServerLimits, isContextError, MIN_REPLY_TOKENS, promptExcess, PromptCounter, replyBudget, type ServerLimits } from './context';
import type { LlmError } from './errors';
import { AttemptFailure, cancelledError, contextError, failureError, faultFor, type FailureContext } from './failure';
import { AttemptGuard } from './guard';
import { ollamaContext } from './ollama';
import { retriesAfter, retryDelayMs, sleep } from './retry';
import { AdapterTargeting } from './targeting';
import { authHeaders, endpointSdk, getJson } from './transport';

// The endpoint client: one completion as the agents ask for it, fitted to the server's context, held
// to its reply shape, retried when the endpoint fails in a way a retry can mend. The jobs around it
// have their own files: transport.ts (the SDK and plain requests), attempt.ts (one streamed attempt),
// targeting.ts (model and adapter names), retry.ts (when and how long to wait), failure.ts (the words).

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

/** The endpoint client: one per endpoint configuration, shared by all agents. */
export class LlmClient {
  private readonly sdk: OpenAI;
  private readonly targeting: AdapterTargeting;
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
    this.sdk = endpointSdk(cfg);
    this.targeting = new AdapterTargeting(cfg, { models: (s) => this.serverModels(s), loraAdapters: (s) => this.loraAdapters(s) });
    this.counter = new PromptCounter(cfg.backend, cfg.baseUrl, (url, body, signal) => getJson(cfg, url, signal, body));
  }

  async complete(req: CompletionRequest): Promise<Completion> {
    const started = Date.now();
    const { agent } = req;
    const target = await this.targeting.target(agent, req.signal);
    const limits = await this.limits(req.signal);
    const s = { ...this.cfg.sampling, ...definedOnly(req.sampling ?? {}) };
    const promptTokens = await this.promptTokens(req, limits);
    let maxTokens = replyBudget(s.maxTokens, promptTokens, limits);
    if (maxTokens === undefined) throw contextError(agent, promptTokens, limits);
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
    const send = () => {
      if (this.cfg.backend !== 'ollama') return streamAttempt(this.sdk, this.cfg, this.queues(), req, body, started);
      this.ollamaCtx = Math.max(this.ollamaCtx, ollamaContext(estimatePromptTokens(req.messages), body.max_tokens ?? 0));
      return ollamaAttempt(this.cfg, this.ollamaCtx, req, body, started);
    };
    for (let retry = 0; ; retry++) {
      try {
        const done = await (this.slots ? this.slots.run(send, req.signal) : send());
        return { ...done, retries: retry, constrained: grammar !== undefined, ...(notice ? { notice } : {}) };
      } catch (err) {
        if (isAbortError(err)) throw cancelledError(this.cfg, agent);
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
          if (maxTokens < MIN_REPLY_TOKENS) throw contextError(agent, promptTokens, limits, fault.message);
          size(maxTokens);
          continue;
        }
        if (!retriesAfter(fault, chars, retry, this.cfg.maxRetries)) throw await this.failureError(err, { agent, model: target.model, attempts: retry + 1, signal: req.signal });
        const wait = retryDelayMs(retry, this.cfg.retryBaseMs ?? DEFAULT_RETRY_BASE_MS, fault.kind === 'status' ? fault.retryAfter : undefined);
        await sleep(wait, req.signal).catch(() => {
          throw cancelledError(this.cfg, agent);
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
      throw req.signal?.aborted ? cancelledError(this.cfg, req.agent) : err;
    });
  }

  /** The server's context window and slots, asked once per client (unknown when it does not say). */
  limits(signal?: AbortSignal): Promise<ServerLimits> {
    this.serverLimits ??= fetchServerLimits(this.cfg.backend, this.cfg.baseUrl, () => this.serverModels(signal), (url, s) => getJson(this.cfg, url, s), signal).then((l) => {
      if (l.slots && l.slots > 0) this.slots = new Limiter(l.slots);
      return l;
    });
    this.serverLimits.catch(() => (this.serverLimits = undefined));
    return this.serverLimits;
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
    return this.aux('the LoRA adapter list', signal, (s) => fetchLoraAdapters(this.cfg.baseUrl, authHeaders(this.cfg), s));
  }

  /**
   * Whether a request may wait for a slot before the server answers: until the response starts
   * llama.cpp may queue it, sending nothing meanwhile, and so may any server whose slots we know.
   */
  private queues(): boolean {
    return this.cfg.backend === 'llamacpp' || this.slots !== undefined;
  }

  /** A short request (model or adapter list) under the same time-outs, failures as LlmError. */
  private async aux<T>(label: string, signal: AbortSignal | undefined, run: (s: AbortSignal) => Promise<T>): Promise<T> {
    const guard = new AttemptGuard(signal, this.cfg.requestTimeoutMs, this.cfg.idleTimeoutMs);
    try {
      return await run(guard.signal);
    } catch (err) {
      const fault = faultFor(err, guard);
      if (fault.kind === 'foreign') throw err;
      throw await this.failureError(new AttemptFailure(fault, 0), { label, attempts: 1, signal });
    } finally {
      guard.stop();
    }
  }

  /** The user-facing error for a failure that will not be retried here. */
  private failureError(failure: AttemptFailure, ctx: FailureContext): Promise<LlmError> {
    return failureError(this.cfg, (signal) => this.listModels(signal), failure, ctx);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
