// The price of constrained replies on the real llama-server (tiny model; only where the test layer has
// built it: the bench never starts a 20-minute build): generation speed with and without each reply
// shape's grammar on the same prompts, and the first request's latency (the grammar is compiled then).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { replyGrammar, type ReplyShape } from '../src/core/parse/grammar';
import { cacheDir, ensureLlama } from '../test/servers/build';
import { startServer } from '../test/servers/server';

export interface GrammarRow {
  shape: string;
  maxTokens: number;
  freeTokPerS: number;
  constrainedTokPerS: number;
  /** Wall time of a 1-token request, free and with the grammar (compiled on that request). */
  freeFirstMs: number;
  constrainedFirstMs: number;
}

const SHAPES: [string, ReplyShape][] = [
  ['retrieval k=3', { kind: 'retrieval', k: 3 }],
  ['confidence', { kind: 'confidence' }],
  ['code (python3)', { kind: 'code', lang: 'python3' }],
  ['debug (cpp)', { kind: 'debug', lang: 'cpp' }],
];
/** max_tokens of every reply: enough for retrieval's tags and fences with k = 3 (leastReplyTokens). */
const MAX_TOKENS = 600;
const REPS = 3;

export async function benchGrammar(log: (s: string) => void): Promise<GrammarRow[] | string> {
  if (!existsSync(join(cacheDir(), 'built'))) return 'skipped: no llama-server built yet (npm run test:servers builds it once)';
  const server = await startServer(ensureLlama(), { model: 'clean', adapters: false, slots: 1 });
  try {
    const ask = async (grammar: string | undefined, maxTokens: number, seed: number) => {
      const t = performance.now();
      const res = await fetch(`${server.baseUrl}/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: `Solve problem number ${seed}.` }], max_tokens: maxTokens, seed, temperature: 0.8, cache_prompt: false, ...(grammar ? { grammar } : {}) }),
      });
      const body = (await res.json()) as { timings?: { predicted_per_second?: number } };
      if (!res.ok) throw new Error(`llama-server: ${JSON.stringify(body).slice(0, 300)}`);
      return { ms: performance.now() - t, tokPerS: body.timings?.predicted_per_second ?? 0 };
    };
    const rows: GrammarRow[] = [];
    for (const [name, shape] of SHAPES) {
      const grammar = replyGrammar(shape, MAX_TOKENS);
      const freeFirst = await ask(undefined, 1, 1);
      const constrainedFirst = await ask(grammar, 1, 1);
      const free: number[] = [];
      const held: number[] = [];
      for (let i = 0; i < REPS; i++) {
        free.push((await ask(undefined, MAX_TOKENS, 10 + i)).tokPerS);
        held.push((await ask(grammar, MAX_TOKENS, 10 + i)).tokPerS);
      }
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      rows.push({ shape: name, maxTokens: MAX_TOKENS, freeTokPerS: avg(free), constrainedTokPerS: avg(held), freeFirstMs: freeFirst.ms, constrainedFirstMs: constrainedFirst.ms });
      log(`  ${name}: ${avg(free).toFixed(0)} tok/s free, ${avg(held).toFixed(0)} constrained`);
    }
    return rows;
  } finally {
    await server.stop();
  }
}
