// The scripted problems the solve benchmark runs. Replies are a function of the prompt alone, as a
// model at temperature 0 behaves: the same request always gets the same reply, whenever it is sent.
// Reply sizes follow what a 7B model writes for MapCoder's prompts (retrieval: k problems with code
// and plans; a plan of a dozen steps; a short confidence verdict; a program; a plan and a program).
import type { ScriptedReply, ScriptedRequest, ScriptHandler } from '../test/fixtures/llm-server/server';
import type { Problem } from '../src/core/types';

export const MAX_SUBARRAY: Problem = {
  title: 'Best Segment',
  statement: [
    'You are given n integers a1..an. Choose a non-empty contiguous segment with the largest possible sum and print that sum.',
    'Input: the first line holds n (1 <= n <= 2*10^5); the second line holds the n integers (|ai| <= 10^9).',
    'Output: one integer, the largest segment sum.',
  ].join('\n'),
  samples: [
    { input: '5\n1 -2 3 4 -1\n', outputs: ['7\n'] },
    { input: '3\n-5 -1 -7\n', outputs: ['-1\n'] },
    { input: '6\n2 -1 2 -1 2 -10\n', outputs: ['4\n'] },
  ],
  asserts: [],
  timeLimitMs: 2000,
  style: { kind: 'stdio' },
};

/** Target reply sizes in characters (about 4 per token). */
const SIZE = { exemplar: 1200, algorithm: 500, plan: 800, explanation: 200, code: 1000, debugPlan: 400 };

/** Confidence the model gives each plan (retrieval order): the ranking is 2, 3, 1. */
const CONFIDENCE = [60, 90, 70];

const SOLUTIONS = {
  correct: [
    'best = cur = a[0]',
    'for x in a[1:]:',
    '    cur = max(x, cur + x)',
    '    best = max(best, cur)',
    'print(best)',
  ],
  // Wrong on the all-negative sample: an empty segment is not allowed.
  wrong: [
    'best = cur = 0',
    'for x in a:',
    '    cur = max(0, cur + x)',
    '    best = max(best, cur)',
    'print(best)',
  ],
};

/** The stress step's brute force (every segment) and input generator for MAX_SUBARRAY. */
const BRUTE = [
  'n = int(input())', 'a = list(map(int, input().split()))',
  'print(max(sum(a[i:j]) for i in range(n) for j in range(i + 1, n + 1)))',
].join('\n') + '\n';
const GENERATOR = [
  'import random, sys', 'random.seed(int(sys.argv[1]))', 'n = random.randint(1, 8)',
  'print(n)', 'print(*[random.randint(-10, 10) for _ in range(n)])',
].join('\n') + '\n';

export interface Scenario {
  name: string;
  what: string;
  k: number;
  t: number;
  /** Whether the program for plan `plan` (retrieval order) after `round` debugging rounds passes. */
  passes(plan: number, round: number): boolean;
}

export const SCENARIOS: Scenario[] = [
  { name: 'first-try', what: 'the best plan\'s first program passes', k: 3, t: 5, passes: () => true },
  { name: 'debug-2', what: 'the best plan\'s program passes after 2 debugging rounds', k: 3, t: 5, passes: (_p, r) => r >= 2 },
  { name: 'second-plan', what: 'the best plan fails t = 2 rounds; the second plan\'s first program passes', k: 3, t: 2, passes: (p) => p === 2 },
  { name: 'total-failure', what: 'every plan fails every round (k = 3, t = 2)', k: 3, t: 2, passes: () => false },
];

function pad(text: string, size: number, filler: (i: number) => string): string {
  const lines = [text];
  for (let i = 1; lines.join('\n').length < size; i++) lines.push(filler(i));
  return lines.join('\n');
}

export function program(plan: number, round: number, ok: boolean): string {
  const head = [`# plan ${plan + 1} version ${round}`, 'import sys', 'data = sys.stdin.read().split()', 'n = int(data[0])', 'a = list(map(int, data[1:1 + n]))'];
  const body = pad([...head, ...(ok ? SOLUTIONS.correct : SOLUTIONS.wrong)].join('\n'), SIZE.code, (i) => `# step ${i}: keep the running sum of the best segment that ends here and the best seen so far`);
  return `${body}\n`;
}

export function planText(plan: number): string {
  return pad(`Plan (PLAN${plan + 1}):`, SIZE.plan, (i) => `${i}. Track the best sum of a segment ending at the current element; extend it or restart from here.`);
}

export function retrievalText(k: number): string {
  const problems = Array.from({ length: k }, (_, i) => [
    '<problem>',
    `<description>EX${i + 1}: ${pad('Largest sum of a contiguous run of numbers in an array.', 300, () => 'The array may hold negative values and the run must not be empty.')}</description>`,
    `<code>${pad('best = cur = a[0]\nfor x in a[1:]:\n    cur = max(x, cur + x)\n    best = max(best, cur)', 500, (j) => `# remark ${j}: a < b && b > a keeps the segment`)}</code>`,
    `<planning>${pad('1. Read the numbers.', SIZE.exemplar - 900, (j) => `${j + 1}. Extend the current run while it helps; otherwise restart it.`)}</planning>`,
    '</problem>',
  ].join('\n'));
  const algorithm = pad('Kadane\'s algorithm (dynamic programming over prefixes).', SIZE.algorithm, () => 'Keep the best sum ending at each position; the answer is the largest of those.');
  return `<root>\n${problems.join('\n')}\n<algorithm>${algorithm}</algorithm>\n</root>`;
}

function confidenceText(plan: number): string {
  const explanation = pad('The plan is linear and handles negative numbers.', SIZE.explanation, () => 'It reads the input once.');
  return `<root>\n<explanation>${explanation}</explanation>\n<confidence>${CONFIDENCE[plan] ?? 50}</confidence>\n</root>`;
}

const joined = (req: ScriptedRequest) => req.messages.map((m) => m.content).join('\n');
const marker = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 1) - 1;

/** The scripted model for one scenario: a pure function of each request. */
export function scenarioHandler(s: Scenario): ScriptHandler {
  return (req): ScriptedReply => {
    const text = joined(req);
    switch (req.adapter ?? req.model) {
      case 'retrieval':
        return { text: retrievalText(s.k) };
      case 'planning':
        return text.includes('<confidence>')
          ? { text: confidenceText(marker(text, /\(PLAN(\d+)\)/)) }
          : { text: planText(marker(text, /EX(\d+):/)) };
      case 'coding': {
        // The stress step's two calls (prompts/brute.md, prompts/generator.md).
        if (text.includes('reference solution')) return { text: `A brute force.\n\`\`\`python\n${BRUTE}\`\`\`\n` };
        if (text.includes('test-data generator')) return { text: `A generator.\n\`\`\`python\n${GENERATOR}\`\`\`\n` };
        const plan = marker(text, /\(PLAN(\d+)\)/);
        return { text: `Here is the program.\n\`\`\`python\n${program(plan, 0, s.passes(plan, 0))}\`\`\`\n` };
      }
      case 'debugging': {
        const m = /# plan (\d+) version (\d+)/.exec(text);
        const plan = Number(m?.[1] ?? 1) - 1;
        const round = Number(m?.[2] ?? 0) + 1;
        const fix = pad(`The segment must not be empty (PLAN${plan + 1}).`, SIZE.debugPlan, (i) => `${i}. Start from the first element instead of zero.`);
        return { text: `${fix}\n\`\`\`python\n${program(plan, round, s.passes(plan, round))}\`\`\`\n` };
      }
      default:
        return { status: 404, text: `no such model ${req.model}` };
    }
  };
}
