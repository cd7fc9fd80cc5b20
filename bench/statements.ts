// Statement parsing on 1 MB statements of hostile shapes: every parse must stay linear (a fence-only
// statement was quadratic: 16 s at 200 KB, over 120 s at 1 MB).
import { parseProblem } from '../src/core/problem';

export interface StatementRow {
  shape: string;
  bytes: number;
  ms: number;
  samples: number | string;
}

const MB = 1 << 20;
export const HOSTILE_STATEMENTS: Record<string, string> = {
  'fences only': '```\n'.repeat(MB / 4),
  'headings only': '# Input\n'.repeat(MB / 8),
  'Input/Output lines': 'Input\n1 2\nOutput\n3\n'.repeat(MB / 20),
  'one huge line': 'x'.repeat(MB),
  'labelled fences': '**Sample input**\n```\n1\n```\n'.repeat(MB / 30),
  'InputCopy/OutputCopy': 'InputCopy\n1\nOutputCopy\n2\n'.repeat(MB / 26),
  'LeetCode examples': 'Example 1:\nInput: a = 1\nOutput: 2\n'.repeat(MB / 36),
};

export function benchStatements(): StatementRow[] {
  return Object.entries(HOSTILE_STATEMENTS).map(([shape, text]) => {
    const t = performance.now();
    let samples: number | string;
    try {
      samples = parseProblem(text, { fileName: 'statement.md' }).samples.length;
    } catch (e) {
      samples = (e as Error).message;
    }
    return { shape, bytes: text.length, ms: Math.round(performance.now() - t), samples };
  });
}
