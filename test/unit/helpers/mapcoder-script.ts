import type { ScriptedReply, ScriptedRequest, ScriptHandler } from '../../fixtures/llm-server/server';
import type { Problem } from '../../../src/core/types';

// Scripts a whole MapCoder run on the scripted server: replies are chosen by adapter (model name) and,
// for the planning adapter, by whether the request is a plan or a confidence call and for which exemplar.

export interface MapCoderScript {
  retrieval: ScriptedReply[];
  /** Plan replies by exemplar index (0-based); a plan call without exemplar uses index 0. */
  plans: ScriptedReply[];
  /** Confidence replies by the exemplar index of the plan they rate. */
  confidences: ScriptedReply[];
  /** Coding replies in call order (repeats the last when exhausted). */
  coding: ScriptedReply[];
  debugging?: ScriptedReply[];
}

export const SUM_PROBLEM: Problem = {
  title: 'Sum of Two',
  statement: 'You are given two integers a and b. Print their sum.\nInput: one line with a and b.\nOutput: a + b.',
  samples: [
    { input: '1 2\n', outputs: ['3\n'] },
    { input: '5 7\n', outputs: ['12\n'] },
  ],
  asserts: [],
  timeLimitMs: 2000,
  style: { kind: 'stdio' },
};

export const CORRECT = 'a, b = map(int, input().split())\nprint(a + b)\n';
export const WRONG = 'a, b = map(int, input().split())\nprint(a - b)\n';
export const HALF_RIGHT = 'a, b = map(int, input().split())\nprint(3 if a == 1 else 0)\n';

export const fenced = (code: string, tag = 'python') => ({ text: `Here is the program.\n\`\`\`${tag}\n${code}\`\`\`\n` });

/** A well-formed retrieval reply with exemplars named EX1..EXk (so plan calls can be told apart). */
export function retrievalReply(k: number): ScriptedReply {
  const problems = Array.from({ length: k }, (_, i) =>
    `<problem>\n<description>EX${i + 1}: add numbers variant ${i + 1}</description>\n<code>print(sum(map(int, input().split())))  # a < b && b > a</code>\n<planning>read, add, print (variant ${i + 1})</planning>\n</problem>`,
  ).join('\n');
  return { text: `<root>\n${problems}\n<algorithm>Simple arithmetic: read the numbers and add them.</algorithm>\n</root>` };
}

export const planReply = (i: number) => ({ text: `1. Read a and b.\n2. Print a + b. (PLAN${i + 1})` });
export const confidenceReply = (c: string | number) => ({ text: `<root>\n<explanation>Straightforward.</explanation>\n<confidence>${c}</confidence>\n</root>` });

export function isConfidenceCall(req: ScriptedRequest): boolean {
  return req.messages.some((m) => m.content.includes('<confidence>'));
}

/** Which exemplar a plan/confidence request is about: EXn in a plan prompt, PLANn in a confidence prompt. */
export function chainIndex(req: ScriptedRequest): number {
  const text = req.messages.map((m) => m.content).join('\n');
  const m = isConfidenceCall(req) ? /\(PLAN(\d+)\)/.exec(text) : /EX(\d+):/.exec(text);
  return m ? Number(m[1]) - 1 : 0;
}

export function mapcoderHandler(script: MapCoderScript): ScriptHandler {
  const queues: Record<string, ScriptedReply[]> = {
    retrieval: [...script.retrieval],
    coding: [...script.coding],
    debugging: [...(script.debugging ?? [])],
  };
  const pop = (name: string): ScriptedReply => {
    const q = queues[name];
    if (!q.length) return { status: 500, text: `script has no ${name} reply` };
    return q.length > 1 ? q.shift()! : q[0];
  };
  return (req) => {
    const agent = req.adapter ?? req.model;
    if (agent === 'planning') {
      const i = chainIndex(req);
      const list = isConfidenceCall(req) ? script.confidences : script.plans;
      return list[Math.min(i, list.length - 1)];
    }
    return pop(agent);
  };
}
