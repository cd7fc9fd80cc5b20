import { Ollama, type Options } from 'ollama';
import type { ChatMessage } from '../types';
import type { Fault } from './errors';

/** How long Ollama keeps an agent's model loaded after a call: a solve calls all four again soon. */
export const OLLAMA_KEEP_ALIVE = '30m';

/** num_ctx for a prompt and a reply, in steps of 2048 so that similar requests share one (a change reloads the model). */
export function ollamaContext(promptTokens: number, maxTokens: number): number {
  return Math.ceil((promptTokens + maxTokens + 256) / 2048) * 2048;
}

/** A failure Ollama reported, read as the client's fault kinds. */
export class OllamaFault extends Error {
  constructor(readonly fault: Fault) {
    super(fault.kind === 'status' ? fault.message : fault.kind);
  }
}

export interface OllamaReply {
  text: string;
  usage: { promptTokens: number; completionTokens: number };
  model: string;
  finishReason: string | null;
  firstTokenAt?: number;
}

/** One streamed chat through Ollama's native /api/chat. */
export async function ollamaChat(req: {
  host: string;
  apiKey?: string;
  signal: AbortSignal;
  model: string;
  messages: ChatMessage[];
  options: Partial<Options>;
  onStart: () => void;
  onToken: (delta: string) => void;
}): Promise<OllamaReply> {
  const client = new Ollama({
    host: req.host,
    headers: req.apiKey ? { Authorization: `Bearer ${req.apiKey}` } : undefined,
    // Our signal (cancel, time-outs) on every request; redirects are not followed.
    fetch: (input, init) => fetch(input, { ...init, signal: req.signal, redirect: 'error' }),
  });
  const options = Object.fromEntries(Object.entries(req.options).filter(([, v]) => v !== undefined));
  let stream;
  try {
    stream = await client.chat({ model: req.model, messages: req.messages, stream: true, keep_alive: OLLAMA_KEEP_ALIVE, options });
  } catch (err) {
    // The package's ResponseError (not exported): Ollama's `{error}` body and the HTTP status.
    const e = err as { name?: string; status_code?: unknown; error?: unknown };
    if (e?.name === 'ResponseError' && typeof e.status_code === 'number') {
      const message = typeof e.error === 'object' && e.error && 'message' in e.error ? String((e.error as { message: unknown }).message) : String(e.error);
      throw new OllamaFault({ kind: 'status', status: e.status_code, message });
    }
    throw err;
  }
  req.onStart();
  const parts: string[] = [];
  let firstTokenAt: number | undefined;
  for await (const part of stream) {
    const raw = part as unknown as { error?: string };
    // An error in the middle of the stream comes as a line of its own.
    if (typeof raw.error === 'string') throw new OllamaFault({ kind: 'status', message: raw.error });
    const delta = part.message?.content;
    if (delta) {
      firstTokenAt ??= Date.now();
      parts.push(delta);
      req.onToken(delta);
    }
    if (part.done) {
      return {
        text: parts.join(''), model: part.model, finishReason: part.done_reason ?? 'stop', firstTokenAt,
        usage: { promptTokens: part.prompt_eval_count ?? 0, completionTokens: part.eval_count ?? 0 },
      };
    }
  }
  throw new OllamaFault({ kind: 'broken', detail: 'the stream ended before "done"' });
}
