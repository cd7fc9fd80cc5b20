import type { ScriptedReply, ScriptedRequest, ScriptHandler } from '../../fixtures/llm-server/server';
import { fenced } from './mapcoder-script';

// The largest of n numbers, where the samples have their largest among the first two: a program that
// looks only there passes them, and the first random input with the largest further on tells.
export const FIRST_TWO = 'input()\na = list(map(int, input().split()))\nprint(max(a[:2]))\n';
export const MAX_CORRECT = 'input()\nprint(max(map(int, input().split())))\n';
export const MAX_BRUTE = 'n = int(input())\na = list(map(int, input().split()))\nbest = a[0]\nfor x in a:\n    if x > best:\n        best = x\nprint(best)\n';
export const MAX_GENERATOR = 'import random, sys\nrandom.seed(int(sys.argv[1]))\nn = random.randint(1, 6)\nprint(n)\nprint(*[random.randint(1, 20) for _ in range(n)])\n';
export const MAX_SAMPLES = [
  { input: '3\n1 5 2\n', outputs: ['5\n'] },
  { input: '2\n7 3\n', outputs: ['7\n'] },
];

/** The stress step's calls, told apart by their prompts (prompts/brute.md, prompts/generator.md). */
export const isBruteCall = (req: ScriptedRequest) => req.messages.some((m) => /reference solution/.test(m.content));
export const isGeneratorCall = (req: ScriptedRequest) => req.messages.some((m) => /test-data generator/.test(m.content));

/** `base` for the four agents; the brute force calls get `brutes` in turn (the last repeats), the generator MAX_GENERATOR. */
export function withStressReplies(base: ScriptHandler, brutes: string[] = [MAX_BRUTE]): ScriptHandler {
  const queue = [...brutes];
  return (req, i): ScriptedReply | Promise<ScriptedReply> => {
    if (isBruteCall(req)) return fenced(queue.length > 1 ? queue.shift()! : queue[0]);
    if (isGeneratorCall(req)) return fenced(MAX_GENERATOR);
    return base(req, i);
  };
}
