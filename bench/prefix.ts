// How much of a solve's prompts a server's prefix cache can serve: for each request, the longest prefix
// (of the chat-templated text) it shares with an earlier request to the same adapter, which is what
// llama.cpp's and vLLM's prefix caches reuse (a slot that changes adapter starts cold).
import type { ScriptedRequest } from '../test/fixtures/llm-server/server';

export interface PrefixReuse {
  /** Prompt characters sent, chat template included. */
  chars: number;
  /** Of those, characters a prefix cache could serve. */
  reusable: number;
}

const templated = (r: ScriptedRequest) => r.messages.map((m) => `<|im_start|>${m.role}\n${String(m.content)}<|im_end|>\n`).join('');

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export function prefixReuse(requests: readonly ScriptedRequest[]): PrefixReuse {
  const seen = new Map<string, string[]>();
  let chars = 0;
  let reusable = 0;
  for (const r of requests) {
    const text = templated(r);
    const adapter = r.adapter ?? r.model;
    const earlier = seen.get(adapter) ?? [];
    chars += text.length;
    reusable += earlier.reduce((best, e) => Math.max(best, commonPrefix(e, text)), 0);
    seen.set(adapter, [...earlier, text]);
  }
  return { chars, reusable };
}
