import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { timerMs } from '../timer';
import type { Usage } from '../types';
import { serverRoot } from './backends';
import type { Completion, CompletionRequest } from './client';
import type { EndpointConfig } from './config';
import { AttemptFailure, faultFor } from './failure';
import { AttemptGuard } from './guard';
import { ollamaChat, OllamaFault } from './ollama';

// One attempt at a completion, streamed, under the request's time-outs: the reply, or an AttemptFailure
// saying what the endpoint did wrong (the client decides whether to retry it).

export type StreamBody = ChatCompletionCreateParamsStreaming & Record<string, unknown>;

/** An attempt's completion, before the client adds its retries and constraint. */
export type Attempt = Omit<Completion, 'retries' | 'constrained'>;

const estimateTokens = (chars: number) => Math.ceil(chars / 4);

/**
 * One streamed attempt; throws AttemptFailure for anything the endpoint did wrong. `queues`: the server
 * may hold the request for a slot before it answers.
 */
export async function streamAttempt(
  sdk: OpenAI, cfg: EndpointConfig, queues: boolean, req: CompletionRequest, body: StreamBody, started: number,
): Promise<Attempt> {
  // Until the response starts llama.cpp may be queueing the request for a slot, sending nothing
  // meanwhile: that wait has the whole request's limit; the idle clock starts with the response.
  const guard = new AttemptGuard(req.signal, cfg.requestTimeoutMs, cfg.idleTimeoutMs, queues ? cfg.requestTimeoutMs : cfg.idleTimeoutMs);
  const parts: string[] = [];
  let chars = 0;
  try {
    const { data: stream, response } = await sdk.chat.completions
      .create(body, { signal: guard.signal, timeout: timerMs(cfg.requestTimeoutMs), maxRetries: 0 })
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
 * the reply (`numCtx`, which the client only grows: a changed num_ctx reloads the model), and `keep_alive`
 * keeps the agents' models loaded between calls.
 */
export async function ollamaAttempt(cfg: EndpointConfig, numCtx: number, req: CompletionRequest, body: StreamBody, started: number): Promise<Attempt> {
  const guard = new AttemptGuard(req.signal, cfg.requestTimeoutMs, cfg.idleTimeoutMs);
  let chars = 0;
  try {
    const result = await ollamaChat({
      host: serverRoot(cfg.baseUrl), apiKey: cfg.apiKey, signal: guard.signal, model: body.model, messages: req.messages,
      options: { num_ctx: numCtx, num_predict: body.max_tokens ?? undefined, temperature: body.temperature ?? undefined, top_p: body.top_p ?? undefined, seed: body.seed ?? undefined },
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
