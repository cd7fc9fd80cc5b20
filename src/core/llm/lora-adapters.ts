import { APIError } from 'openai';
import { serverRoot, type LoraAdapter } from './backends';
import { normalizeErrorBody } from './errors';

// The adapters a llama.cpp server has loaded. Apart from backends.ts (plain functions the editor's
// thread uses at activation) because it raises the SDK's errors, and so loads the openai SDK.

/**
 * GET /lora-adapters; a server without that route has no adapters. Other failures surface as the
 * same SDK/fetch errors the chat calls raise.
 */
export async function fetchLoraAdapters(baseUrl: string, headers: Record<string, string>, signal: AbortSignal): Promise<LoraAdapter[]> {
  const res = await fetch(`${serverRoot(baseUrl)}/lora-adapters`, { headers, signal, redirect: 'error' });
  const text = await res.text();
  if (res.status === 404) return [];
  if (!res.ok) throw APIError.generate(res.status, normalizeErrorBody(text), text, res.headers);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!Array.isArray(body)) throw new SyntaxError(`GET /lora-adapters did not return a list: ${text.slice(0, 80)}`);
  return body
    .filter((a): a is LoraAdapter => typeof a?.id === 'number' && typeof a?.path === 'string')
    .map((a) => ({ id: a.id, path: a.path, scale: typeof a.scale === 'number' ? a.scale : 1 }));
}
