import type { Runtime } from '../runtime';
import type { Grammar, Llama, Model, NlcModule, Sequence, Token } from './nlc';
import { commonPrefix, ContextPool } from './pool';
import { chatRenderer, type ChatTurn, type RenderChat } from './template';

// The model in this process: loaded once, one context per adapter over it (serve/pool.ts), and one
// generation per request: the chat template, a prompt-cache reuse of the slot's tokens, the prompt
// evaluated a batch at a time (so that a cancel stops it between batches), then token after token,
// with the llama.cpp grammar, stop strings and the request's budget, until an end-of-generation token.

export interface LlamaEngineConfig {
  modelPath: string;
  /** Adapter files; a request names one by its index. */
  adapters: string[];
  /** Tokens per request (a slot's context), as llama-server's -c / -np. */
  ctx: number;
  /** Slots per context. */
  parallel: number;
  threads: number;
  /** Contexts alive at once (from the memory estimate). */
  maxContexts: number;
  chatTemplate?: string;
  log: (line: string) => void;
}

export interface GenerateRequest {
  /** Index into the adapters; undefined for the bare model. */
  adapter?: number;
  messages: ChatTurn[];
  maxTokens?: number;
  temperature: number;
  topP: number;
  topK: number;
  minP: number;
  seed?: number;
  /** GBNF, as llama.cpp takes it. */
  grammar?: string;
  stop: string[];
  signal: AbortSignal;
  onText: (delta: string) => void;
}

export interface GenerateResult {
  text: string;
  finishReason: 'stop' | 'length';
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  promptMs: number;
  predictedMs: number;
}

/** A request the engine refuses (too long for the context, a grammar that does not parse): a 400. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(message: string, readonly type: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

/** Prompt tokens evaluated between two looks at the cancel signal. */
const PROMPT_BATCH = 512;
const GRAMMAR_CACHE = 32;

export class LlamaEngine {
  private readonly pool: ContextPool;
  private readonly grammars = new Map<string, Promise<Grammar>>();

  private constructor(
    private readonly nlc: NlcModule,
    private readonly llama: Llama,
    readonly model: Model,
    private readonly render: RenderChat,
    readonly cfg: LlamaEngineConfig,
  ) {
    this.pool = new ContextPool(
      (key) => model.createContext({
        contextSize: cfg.ctx,
        sequences: cfg.parallel,
        threads: cfg.threads,
        batchSize: Math.min(PROMPT_BATCH, cfg.ctx * cfg.parallel),
        // The memory was estimated before loading; node-llama-cpp's own check reserves far more than is used.
        ignoreMemorySafetyChecks: true,
        ...(key >= 0 ? { lora: { adapters: [{ filePath: cfg.adapters[key] }] } } : {}),
      }),
      cfg.parallel,
      cfg.maxContexts,
    );
  }

  static async load(runtime: Runtime, cfg: LlamaEngineConfig, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<LlamaEngine> {
    const nlc = runtime.nlc as NlcModule;
    const llama = await nlc.getLlama({
      gpu: runtime.gpu, build: 'never', skipDownload: true, progressLogs: false, logLevel: 'warn',
      logger: (level, message) => cfg.log(`[llama.cpp ${level}] ${message.trimEnd()}`),
      maxThreads: cfg.threads,
    });
    // build 'never' and skipDownload: the prebuilt binary or an error, never a compile or a download.
    cfg.log(`node-llama-cpp: ${llama.buildType} binary, gpu ${llama.gpu || 'none'}`);
    try {
      const model = await llama.loadModel({ modelPath: cfg.modelPath, gpuLayers: runtime.gpu ? 999 : 0, onLoadProgress: onProgress, loadSignal: signal });
      const render = chatRenderer(runtime.jinja, cfg.chatTemplate, { bos: model.tokens.bosString, eos: model.tokens.eosString });
      const engine = new LlamaEngine(nlc, llama, model, render, cfg);
      // Each adapter loads (and is checked by llama.cpp) now, not at its agent's first request.
      for (let i = 0; i < cfg.adapters.length && i < cfg.maxContexts; i++) await engine.warm(i);
      if (cfg.adapters.length === 0) await engine.warm(-1);
      return engine;
    } catch (e) {
      await llama.dispose().catch(() => undefined);
      throw e;
    }
  }

  /** Makes context `key` (and loads its adapter) ahead of its first request. */
  private async warm(key: number): Promise<void> {
    const slot = await this.pool.acquire(key, [], new AbortController().signal);
    this.pool.release(key, slot);
  }

  /** Contexts alive now. */
  get contexts(): number {
    return this.pool.size;
  }

  async dispose(): Promise<void> {
    await this.pool.close();
    await this.model.dispose().catch(() => undefined);
    await this.llama.dispose().catch(() => undefined);
  }

  /** The prompt's tokens: the rendered template, a BOS in front where the vocabulary wants one. */
  tokenize(messages: ChatTurn[]): Token[] {
    let text = this.render(messages);
    const { bos, bosString, shouldPrependBosToken } = this.model.tokens;
    if (shouldPrependBosToken && bosString && text.startsWith(bosString)) text = text.slice(bosString.length);
    const tokens = this.model.tokenize(text, true);
    return shouldPrependBosToken && bos !== null ? [bos, ...tokens] : tokens;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const prompt = this.tokenize(req.messages);
    if (prompt.length >= this.cfg.ctx) {
      throw new RequestError(`request (${prompt.length} tokens) exceeds the available context size (${this.cfg.ctx} tokens), try increasing it`,
        'exceed_context_size_error', { n_prompt_tokens: prompt.length, n_ctx: this.cfg.ctx });
    }
    const grammarState = req.grammar ? new this.nlc.LlamaGrammarEvaluationState({ model: this.model, grammar: await this.grammar(req.grammar) }) : undefined;
    const key = req.adapter ?? -1;
    const slot = await this.pool.acquire(key, prompt, req.signal);
    try {
      return await this.run(slot.seq, prompt, req, grammarState);
    } finally {
      this.pool.release(key, slot);
    }
  }

  private async run(seq: Sequence, prompt: Token[], req: GenerateRequest, grammarEvaluationState: object | undefined): Promise<GenerateResult> {
    const started = Date.now();
    // Reuse what the slot already holds of this prompt; at least one token is evaluated for its logits.
    const cached = Math.min(commonPrefix(seq.contextTokens, prompt), prompt.length - 1);
    if (seq.nextTokenIndex > cached) await seq.eraseContextTokenRanges([{ start: cached, end: seq.nextTokenIndex }]);
    let at = cached;
    while (prompt.length - at > PROMPT_BATCH) {
      if (req.signal.aborted) throw req.signal.reason;
      await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(at, at + PROMPT_BATCH));
      at += PROMPT_BATCH;
    }
    if (req.signal.aborted) throw req.signal.reason;
    const room = this.cfg.ctx - prompt.length;
    const budget = Math.min(req.maxTokens ?? room, room);
    const text = new TextStream(this.model, req.stop, req.onText);
    let promptMs = 0;
    let completion = 0;
    let finish: GenerateResult['finishReason'] = 'stop';
    // At temperature 0 the choice is greedy: the other samplers would only cost time.
    const sampling = req.temperature > 0
      ? { temperature: req.temperature, topP: req.topP, topK: req.topK, minP: req.minP, ...(req.seed === undefined ? {} : { seed: req.seed }) }
      : { temperature: 0 };
    const tokens = seq.evaluate(prompt.slice(at), { ...sampling, ...(grammarEvaluationState ? { grammarEvaluationState } : {}) });
    try {
      for await (const token of tokens) {
        if (completion === 0) promptMs = Date.now() - started;
        completion++;
        if (text.push(token)) break; // a stop string
        if (req.signal.aborted) break;
        if (completion >= budget) {
          finish = 'length';
          break;
        }
      }
    } finally {
      await tokens.return(undefined);
    }
    if (req.signal.aborted) throw req.signal.reason;
    text.end();
    if (completion === 0) promptMs = Date.now() - started;
    return {
      text: text.text, finishReason: finish, promptTokens: prompt.length, cachedTokens: cached, completionTokens: completion,
      promptMs, predictedMs: Date.now() - started - promptMs,
    };
  }

  private grammar(source: string): Promise<Grammar> {
    let g = this.grammars.get(source);
    if (g) {
      // Most recently used last.
      this.grammars.delete(source);
      this.grammars.set(source, g);
      return g;
    }
    g = this.llama.createGrammar({ grammar: source }).catch((e: unknown) => {
      this.grammars.delete(source);
      throw new RequestError(`Failed to parse grammar: ${e instanceof Error ? e.message : String(e)}`, 'invalid_request_error');
    });
    this.grammars.set(source, g);
    if (this.grammars.size > GRAMMAR_CACHE) this.grammars.delete(this.grammars.keys().next().value!);
    return g;
  }
}

/**
 * Generated tokens to text as it can be sent: a token that ends inside a UTF-8 character waits for
 * the next; text that could be the start of a stop string waits until it is not.
 */
class TextStream {
  text = '';
  private sent = 0;
  private pending: Token[] = [];
  private before: Token[] = [];
  private readonly hold: number;
  private stopped = false;

  constructor(private readonly model: Model, private readonly stops: string[], private readonly emit: (delta: string) => void) {
    this.hold = Math.max(0, ...stops.map((s) => s.length - 1));
  }

  /** Adds a token; true when a stop string has appeared (the text ends before it). */
  push(token: Token): boolean {
    this.pending.push(token);
    const piece = this.model.detokenize(this.pending, false, this.before);
    if (piece.endsWith('\uFFFD') && this.pending.length < 4) return false;
    this.before = [...this.before, ...this.pending].slice(-4);
    this.pending = [];
    const from = Math.max(0, this.text.length - this.hold);
    this.text += piece;
    for (const s of this.stops) {
      const i = s ? this.text.indexOf(s, from) : -1;
      if (i >= 0) {
        this.text = this.text.slice(0, i);
        this.stopped = true;
      }
    }
    this.flush(this.stopped ? this.text.length : this.text.length - this.hold);
    return this.stopped;
  }

  end(): void {
    if (!this.stopped && this.pending.length) this.text += this.model.detokenize(this.pending, false, this.before);
    this.flush(this.text.length);
  }

  private flush(upTo: number): void {
    if (upTo <= this.sent) return;
    this.emit(this.text.slice(this.sent, upTo));
    this.sent = upTo;
  }
}
