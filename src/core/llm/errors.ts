import { APIError, APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { AgentName } from '../types';
import type { Backend } from './config';
import type { StopReason } from './guard';

export type LlmErrorCode =
  | 'unreachable'
  | 'adapter-missing'
  | 'timeout'
  | 'idle-timeout'
  | 'http'
  | 'rate-limited'
  | 'stream-cut'
  | 'cancelled'
  | 'bad-response'
  | 'auth'
  | 'context';

/** An endpoint failure, with a one-sentence message the user can act on. */
export class LlmError extends Error {
  override name = 'LlmError';
  readonly code: LlmErrorCode;
  readonly status?: number;
  /** Whether the same call may succeed if made again (the client has already done its own retries). */
  readonly retryable: boolean;
  readonly agent?: AgentName;

  constructor(
    code: LlmErrorCode,
    message: string,
    opts: { status?: number; retryable?: boolean; agent?: AgentName; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
    this.agent = opts.agent;
  }
}

/**
 * What went wrong on the wire, before we know whose call it was or how often it happened.
 * - connect: nothing answered at that address (refused, unknown host, no route).
 * - broken: a connection that was up broke (reset, closed mid-body).
 * - status: the server answered with an error (status undefined: an error event inside a stream).
 * - aborted: our own controller fired (reason) or the SDK's own time-out did (no reason).
 * - malformed: the bytes were not what an OpenAI-compatible server sends.
 * - foreign: not an endpoint failure at all (e.g. the caller's onToken threw); rethrown unchanged.
 */
export type Fault =
  | { kind: 'connect'; errno: string }
  | { kind: 'broken'; detail: string }
  | { kind: 'status'; status?: number; message: string; retryAfter?: string }
  | { kind: 'aborted'; reason?: StopReason }
  | { kind: 'malformed'; detail: string }
  | { kind: 'foreign'; error: unknown };

const CONNECT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT',
]);
const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Error codes found along an error's cause chain (and inside AggregateErrors). */
function errnoCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 6) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errnoCodes(x, depth + 1)) : [];
  return [...own, ...nested, ...errnoCodes(e.cause, depth + 1)];
}

export function faultOf(err: unknown): Fault {
  if (err instanceof APIUserAbortError || err instanceof APIConnectionTimeoutError) return { kind: 'aborted' };
  if (err instanceof Error && err.name === 'AbortError') return { kind: 'aborted' };
  const codes = errnoCodes(err);
  const connect = codes.find((c) => CONNECT_CODES.has(c));
  if (connect) return { kind: 'connect', errno: connect };
  if (err instanceof APIError && err.status === undefined && !(err.error as object | undefined)) {
    // The SDK's APIConnectionError without a recognised cause.
    return { kind: 'broken', detail: codes[0] ?? err.message };
  }
  if (err instanceof APIError) {
    const inner = err.error as { message?: unknown } | undefined;
    const message = typeof inner?.message === 'string' ? inner.message : err.message.replace(/^\d{3}\s+/, '');
    return { kind: 'status', status: err.status, message: brief(message), retryAfter: err.headers?.get('retry-after') ?? undefined };
  }
  const broken = codes.find((c) => BROKEN_CODES.has(c));
  // undici reports a body cut mid-way as TypeError('terminated').
  if (broken) return { kind: 'broken', detail: broken };
  if (err instanceof TypeError && /terminated|fetch failed/.test(err.message)) return { kind: 'broken', detail: err.message };
  if (err instanceof SyntaxError) return { kind: 'malformed', detail: err.message };
  return { kind: 'foreign', error: err };
}

/** One line of at most 200 characters: error bodies can be whole HTML pages. */
function brief(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** "0.2 s", "60 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : n === 3 ? 'three times' : `${n} times`;
}

export function unreachableMessage(baseUrl: string, errno: string): string {
  if (errno === 'ECONNREFUSED') {
    return `No server is listening at ${baseUrl} (connection refused). Start vLLM/llama.cpp/Ollama or set the endpoint URL.`;
  }
  if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN') {
    return `The host in ${baseUrl} cannot be resolved (${errno}); check the endpoint URL.`;
  }
  return `Cannot connect to ${baseUrl} (${errno}); check that the server is up and the endpoint URL is right.`;
}

export function missingModelMessage(backend: Backend, model: string, have: string[], agent?: AgentName): string {
  const list = have.length ? have.join(', ') : 'no models at all';
  const fix = !agent
    ? 'Set the model to one of those.'
    : backend === 'vllm'
      ? `Load it with --lora-modules ${model}=DIR or set the ${agent} model.`
      : backend === 'ollama'
        ? `Create it with \`ollama create ${model}\` (a Modelfile with an ADAPTER line) or set the ${agent} model.`
        : `Load it on the server or set the ${agent} model.`;
  return `The server has no model/adapter '${model}'; it has: ${list}. ${fix}`;
}

export function missingLoraMessage(name: string, adapterFiles: string[], agent: AgentName): string {
  const list = adapterFiles.length ? adapterFiles.join(', ') : 'none';
  return `llama.cpp has no LoRA adapter whose file name contains '${name}'; it has: ${list}. Start llama-server with --lora FILE for it or set the ${agent} model.`;
}

export function authMessage(baseUrl: string, status: number, hasKey: boolean): string {
  return hasKey
    ? `The server at ${baseUrl} refused the API key (${status}); check the key in the endpoint settings.`
    : `The server at ${baseUrl} wants an API key (${status}); set one in the endpoint settings.`;
}

/**
 * An error body in the OpenAI shape `{error: {message, ...}}`, which the SDK reads. Older vLLM sends
 * the fields flat (`{object: 'error', message, type, code}`), FastAPI `{detail}`, Ollama `{error: '...'}`;
 * without this the SDK would report those as "(no body)". Undefined when the text is not JSON.
 */
export function normalizeErrorBody(text: string): object | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.error === 'string') return { error: { message: b.error } };
  if (b.error && typeof b.error === 'object') return b;
  const message = typeof b.message === 'string' ? b.message : typeof b.detail === 'string' ? b.detail : undefined;
  return message === undefined ? b : { error: { message, type: b.type, code: b.code } };
}
