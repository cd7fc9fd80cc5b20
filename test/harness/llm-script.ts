// The scripted OpenAI-compatible endpoint the extension talks to during the real-VS-Code runs. It runs in
// the harness's process; the scenario line of each fixture statement (test/fixtures/workspace) picks its script.
import * as path from 'node:path';
import { startScriptedServer, type ScriptedServer, type ScriptHandler } from '../fixtures/llm-server/server';
import { AGENTS } from '../../src/core/types';
import {
  confidenceReply, CORRECT, fenced, mapcoderHandler, planReply, retrievalReply, WRONG, type MapCoderScript,
} from '../unit/helpers/mapcoder-script';
import { FIRST_TWO, MAX_CORRECT, withStressReplies } from '../unit/helpers/stress-script';

/** A marker a program writes when it is executed: the untrusted run checks that it never appears. */
export const EXECUTED_MARKER = 'EXECUTED-BY-JUDGE';

const K = 3;
const ranked = (coding: MapCoderScript['coding'], debugging?: MapCoderScript['debugging']): MapCoderScript => ({
  retrieval: [retrievalReply(K)],
  plans: [planReply(0), planReply(1), planReply(2)],
  confidences: [confidenceReply(90), confidenceReply(60), confidenceReply(30)],
  coding,
  debugging,
});

/** Scenarios whose brute force and generator calls get stress-script's programs. */
const STRESSED = ['stress'];
/** Scenarios whose best plan's first program streams slowly (see slowBestFirst). */
const SLOW_BEST_FIRST = ['never-lost-slow'];

/**
 * The best plan's (PLAN1's) first coding reply streams for about 20 s, every other reply at once. Chosen
 * by plan, not by arrival: with speculative plans the three coding calls race, and the slow reply must
 * hold up the plan in turn.
 */
function slowBestFirst(base: ScriptHandler): ScriptHandler {
  let slowed = false;
  return async (req, i) => {
    const reply = await base(req, i);
    if (slowed || req.model !== 'coding' || !req.messages.some((m) => m.content.includes('(PLAN1)'))) return reply;
    slowed = true;
    return { ...reply, chunkChars: 1, tokenDelayMs: 200 };
  };
}

/** Keyed by the "Scenario <key>:" line of each fixture statement, which every agent's prompt carries. */
function scripts(workspace: string): Record<string, MapCoderScript> {
  const marker = path.join(workspace, EXECUTED_MARKER);
  return {
    'first-try': ranked([fenced(CORRECT)]),
    'debug-round': ranked([fenced(WRONG)], [fenced(CORRECT)]),
    accept: ranked([fenced(CORRECT)]),
    reject: ranked([fenced(CORRECT)]),
    // Runs until cancelled (the statement allows 30 s per test).
    endless: ranked([fenced('import time\nwhile True:\n    time.sleep(0.05)\n')]),
    untrusted: ranked([fenced(`open(${JSON.stringify(marker)}, 'w').close()\n${CORRECT}`)]),
    // never-lost.test.ts: one program per file, so each answer can be found in its own file; the two-file
    // runs stream their programs for about 2 s each so they overlap; the best plan's first never-lost-slow
    // program streams for about 20 s (the run a second Solve on the same file meets; see SLOW_BEST_FIRST).
    'never-lost': ranked([fenced(CORRECT)]),
    'never-lost-a': ranked([{ ...fenced(`# answer for A\n${CORRECT}`), chunkChars: 2, tokenDelayMs: 30 }]),
    'never-lost-b': ranked([{ ...fenced(`# answer for B\n${CORRECT}`), chunkChars: 2, tokenDelayMs: 30 }]),
    'never-lost-slow': ranked([fenced(CORRECT)]),
    // Passes the samples, not a random input: with stress tests on, debugging fixes it (see STRESSED).
    stress: ranked([fenced(FIRST_TWO)], [fenced(MAX_CORRECT)]),
    // Never right: the run ends with a program that fails (its proposal says "Keep anyway").
    never: ranked([fenced(WRONG)], [fenced(WRONG)]),
    // A longer program: more added lines than the inline preview shows.
    long: ranked([fenced(`import sys\n\n\ndef main():\n    a, b = map(int, sys.stdin.readline().split())\n    print(a + b)\n\n\nmain()\n`)]),
  };
}

/** Streams in small, slightly delayed chunks so a person (and a screenshot) can see the steps fill in. */
function slowed(handler: ScriptHandler, tokenDelayMs: number): ScriptHandler {
  return async (req, i) => {
    const reply = await handler(req, i);
    return tokenDelayMs > 0 && reply.status === undefined ? { chunkChars: 6, tokenDelayMs, ...reply } : reply;
  };
}

export async function startScriptedLlm(workspace: string, opts: { tokenDelayMs?: number } = {}): Promise<ScriptedServer> {
  const byScenario = Object.entries(scripts(workspace))
    .map(([key, s]) => {
      const base = mapcoderHandler(s);
      const handler = STRESSED.includes(key) ? withStressReplies(base) : SLOW_BEST_FIRST.includes(key) ? slowBestFirst(base) : base;
      return [`Scenario ${key}:`, handler] as const;
    });
  const route: ScriptHandler = (req, i) => {
    const text = req.messages.map((m) => m.content).join('\n');
    const hit = byScenario.find(([tag]) => text.includes(tag));
    return hit ? hit[1](req, i) : { status: 500, text: 'no script for this problem (see test/harness/llm-script.ts)' };
  };
  return startScriptedServer({ models: [...AGENTS], handler: slowed(route, opts.tokenDelayMs ?? 0) });
}
