import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, sendError, sendJson } from './http-util';
import { RequestError, type GenerateRequest, type GenerateResult, type LlamaEngine } from './llama';
import type { ChatTurn } from './template';

// The OpenAI-compatible routes of the product's engine, answering where the product reads them as
// llama-server does: /v1/models (the base model, then one model per adapter, vLLM's `parent` marking
// it a LoRA), /lora-adapters and the per-request `lora` field, /props (n_ctx per slot, total_slots),
// chat completions streamed or not with `usage` and llama.cpp's `timings`, its `grammar` field (and
// vLLM's structured_outputs.grammar). The adapter that served a reply is its `model` and the
// X-Mapcoder-Adapter header.

export interface ServedModels {
  /** The base model's id (its file name without .gguf). */
  base: string;
  modelPath: string;
  /** Adapter names (the agents) in id order, with their files. */
  adapters: { name: string; path: string }[];
  ctx: number;
  parallel: number;
  chatTemplate?: string;
  buildInfo: string;
}

const BODY_LIMIT = 32 * 1024 * 1024;
const FINGERPRINT = 'mapcoder-lite-engine';

/** Handles `path` if it is one of these routes; false otherwise. */
export async function openaiRoute(engine: LlamaEngine, served: ServedModels, req: IncomingMessage, res: ServerResponse, path: string, log: (line: string) => void): Promise<boolean> {
  if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
    sendJson(res, 200, modelList(served));
    return true;
  }
  if (req.method === 'GET' && path === '/props') {
    sendJson(res, 200, props(served));
    return true;
  }
  if (req.method === 'GET' && path === '/lora-adapters') {
    sendJson(res, 200, served.adapters.map((a, id) => ({ id, path: a.path, scale: 0 })));
    return true;
  }
  if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
    await chat(engine, served, req, res, log);
    return true;
  }
  return false;
}

function modelList(served: ServedModels) {
  const created = Math.floor(Date.now() / 1000);
  const meta = { n_ctx: served.ctx };
  return {
    object: 'list',
    data: [
      { id: served.base, object: 'model', created, owned_by: 'mapcoder-lite', root: served.modelPath, parent: null, max_model_len: served.ctx, meta },
      ...served.adapters.map((a) => ({ id: a.name, object: 'model', created, owned_by: 'mapcoder-lite', root: a.path, parent: served.base, max_model_len: served.ctx, meta })),
    ],
  };
}

function props(served: ServedModels) {
  return {
    default_generation_settings: { n_ctx: served.ctx, params: { temperature: 0.8, top_k: 40, top_p: 0.95, min_p: 0.05, n_predict: -1 } },
    total_slots: served.parallel,
    model_alias: served.base,
    model_path: served.modelPath,
    modalities: { vision: false, audio: false },
    chat_template: served.chatTemplate ?? '',
    build_info: served.buildInfo,
  };
}

/** Which adapter a request asks for: the `lora` field where given (llama.cpp), else the model name. */
export function chooseAdapter(served: ServedModels, body: Record<string, unknown>): number | undefined | RequestError {
  if (body.lora !== undefined) {
    if (!Array.isArray(body.lora)) return new RequestError('lora must be a list of {id, scale}', 'invalid_request_error');
    const on = body.lora.filter((l: { id?: unknown; scale?: unknown }) => typeof l?.scale !== 'number' || l.scale !== 0) as { id?: unknown; scale?: unknown }[];
    for (const l of body.lora as { id?: unknown }[]) {
      if (typeof l?.id !== 'number' || !served.adapters[l.id]) return new RequestError(`lora: no adapter with id ${JSON.stringify(l?.id)}`, 'invalid_request_error');
    }
    if (on.length === 0) return undefined;
    if (on.length > 1 || (on[0].scale !== undefined && on[0].scale !== 1)) {
      return new RequestError('this engine applies at most one adapter per request, at scale 1', 'invalid_request_error');
    }
    return on[0].id as number;
  }
  const model = typeof body.model === 'string' ? body.model : '';
  if (!model || model === served.base) return undefined;
  const i = served.adapters.findIndex((a) => a.name === model);
  if (i < 0) return new RequestError(`The model \`${model}\` does not exist; this engine serves ${[served.base, ...served.adapters.map((a) => a.name)].join(', ')}`, 'not_found_error');
  return i;
}

function messagesOf(body: Record<string, unknown>): ChatTurn[] | RequestError {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return new RequestError("'messages' must be a non-empty list", 'invalid_request_error');
  const out: ChatTurn[] = [];
  for (const m of body.messages as { role?: unknown; content?: unknown }[]) {
    if (typeof m?.role !== 'string') return new RequestError('every message needs a role', 'invalid_request_error');
    const c = m.content;
    const content = typeof c === 'string' ? c
      : Array.isArray(c) ? c.map((p: { type?: unknown; text?: unknown }) => (p?.type === 'text' && typeof p.text === 'string' ? p.text : undefined))
      : c === null || c === undefined ? '' : undefined;
    if (content === undefined || (Array.isArray(content) && content.some((p) => p === undefined))) return new RequestError('message content must be text', 'invalid_request_error');
    out.push({ role: m.role, content: Array.isArray(content) ? content.join('') : content });
  }
  return out;
}

function num(body: Record<string, unknown>, key: string, fallback: number): number {
  const v = body[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

async function chat(engine: LlamaEngine, served: ServedModels, req: IncomingMessage, res: ServerResponse, log: (line: string) => void): Promise<void> {
  const body = await readJson(req, res, BODY_LIMIT);
  if (!body) return;
  const adapter = chooseAdapter(served, body);
  const messages = messagesOf(body);
  if (adapter instanceof RequestError) return sendError(res, adapter.type === 'not_found_error' ? 404 : 400, adapter.message, adapter.type);
  if (messages instanceof RequestError) return sendError(res, 400, messages.message, messages.type);
  if (body.response_format !== undefined && (body.response_format as { type?: unknown })?.type !== 'text') {
    return sendError(res, 400, 'response_format is not supported by this engine; send a GBNF grammar in `grammar`', 'invalid_request_error');
  }
  const grammar = typeof body.grammar === 'string' ? body.grammar
    : typeof (body.structured_outputs as { grammar?: unknown })?.grammar === 'string' ? (body.structured_outputs as { grammar: string }).grammar : undefined;
  const maxTokens = [body.max_completion_tokens, body.max_tokens, body.n_predict].find((v): v is number => typeof v === 'number' && v >= 0);
  const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === 'string') : [];
  const name = adapter === undefined ? served.base : served.adapters[adapter].name;
  const stream = body.stream === true;
  const includeUsage = (body.stream_options as { include_usage?: unknown })?.include_usage === true;
  const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ choices, created, id, model: name, system_fingerprint: FINGERPRINT, object: 'chat.completion.chunk', ...extra })}\n\n`;
  // A token's chunk is the same text around its content: built once, filled per token.
  const [before, after] = chunk([{ finish_reason: null, index: 0, delta: { content: '\u0000' } }]).split('"\\u0000"');

  // A client that goes away (Cancel, a closed stream) stops the generation at its next token.
  const abort = new AbortController();
  let leftAt = 0;
  res.on('close', () => {
    if (res.writableFinished) return;
    leftAt = Date.now();
    abort.abort(new Error('client disconnected'));
  });
  // Headers go out with the first token, as llama-server's do: until then a refusal is a plain 4xx.
  let started = false;
  const start = () => {
    if (started || !stream) return;
    started = true;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-mapcoder-adapter': name });
    res.write(chunk([{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }]));
  };
  const request: GenerateRequest = {
    adapter, messages, maxTokens, grammar, stop,
    temperature: num(body, 'temperature', 0.8), topP: num(body, 'top_p', 0.95), topK: num(body, 'top_k', 40), minP: num(body, 'min_p', 0.05),
    seed: typeof body.seed === 'number' && body.seed >= 0 ? body.seed : undefined,
    signal: abort.signal,
    onText: (delta) => {
      start();
      if (stream) res.write(`${before}${JSON.stringify(delta)}${after}`);
    },
  };
  let result: GenerateResult;
  try {
    result = await engine.generate(request);
  } catch (e) {
    if (abort.signal.aborted) {
      log(`cancelled: the ${name} request stopped ${Date.now() - leftAt} ms after its client left`);
      return void res.destroy();
    }
    const [status, type, extra] = e instanceof RequestError ? [400, e.type, e.extra] : [500, 'server_error', {}];
    const message = e instanceof Error ? e.message : String(e);
    if (!started) return sendError(res, status, message, type, extra);
    res.end(`data: ${JSON.stringify({ error: { code: status, message, type } })}\n\n`);
    return;
  }
  const usage = {
    prompt_tokens: result.promptTokens, completion_tokens: result.completionTokens, total_tokens: result.promptTokens + result.completionTokens,
    prompt_tokens_details: { cached_tokens: result.cachedTokens },
  };
  const timings = {
    cache_n: result.cachedTokens, prompt_n: result.promptTokens - result.cachedTokens, prompt_ms: result.promptMs,
    predicted_n: result.completionTokens, predicted_ms: result.predictedMs,
    predicted_per_second: result.predictedMs > 0 ? (result.completionTokens * 1000) / result.predictedMs : 0,
  };
  if (!stream) {
    return sendJson(res, 200, {
      choices: [{ finish_reason: result.finishReason, index: 0, message: { role: 'assistant', content: result.text } }],
      created, model: name, system_fingerprint: FINGERPRINT, object: 'chat.completion', usage, id, timings,
    }, { 'x-mapcoder-adapter': name });
  }
  start();
  res.write(chunk([{ finish_reason: result.finishReason, index: 0, delta: {} }], includeUsage ? {} : { timings }));
  if (includeUsage) res.write(chunk([], { usage, timings }));
  res.end('data: [DONE]\n\n');
}
