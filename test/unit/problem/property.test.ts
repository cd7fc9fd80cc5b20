import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ProblemError, parseProblem } from '../../../src/core/problem';
import type { Problem } from '../../../src/core/types';

// Pieces of every format the parser looks for, so random text walks through all its branches.
const FRAGMENTS = [
  'Input', 'Output', 'input', 'output', 'InputCopy', 'OutputCopy', 'Examples', 'Example 1:', 'Note',
  'Sample Input 1', 'Sample Output 1', '入力例 1', 'standard input', 'Copy', '```', '```input', '```output',
  '~~~', '### Input 1', '**Sample input**', 'Input: nums = [1,2], target = 3', 'Output: [0,1]',
  'Explanation: it is.', 'Constraints:', 'def f(a, b):', '    """', '>>> f(1, 2)', '3', 'f(1) ==> 2',
  'assert f(1) == 2', 'class Solution {', 'public:', 'int g(int n) {', '}', '};', 'function h(x) {',
  '/*', '*/', '//', '#', '#!', '"""', "'''", '{', '{"tests": [', '"name": "A"', 'time limit per test',
  '2 seconds', 'Time Limit: 2 sec / Memory Limit: 1024 MB', '256 megabytes', 'For a = [1] the output should be 2',
  '(', '[', '"', "'", '\\', '', ' ', '\t', '\r',
];

const statementLike = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 40 })
  .map((parts) => parts.join('\n'));

function checkShape(p: Problem): void {
  assert.ok(p.title.length > 0);
  assert.equal(typeof p.statement, 'string');
  for (const s of p.samples) {
    for (const text of [s.input, ...s.outputs]) {
      assert.ok(text === '' || (text.endsWith('\n') && !text.endsWith('\n\n')), JSON.stringify(text));
      assert.ok(!text.includes('\r') && !/[ \t]\n/.test(text), JSON.stringify(text));
    }
  }
  if (p.style.kind === 'function') assert.deepEqual(p.samples, []);
  else assert.deepEqual(p.asserts, []);
}

describe('problem: never throws on odd text (property)', () => {
  const nonBlank = (s: string) => s.trim() !== '';

  it('arbitrary unicode strings give a well-formed Problem', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }).filter(nonBlank), (text) => {
        checkShape(parseProblem(text));
      }),
      { numRuns: 300 },
    );
  });

  it('random mixes of format fragments give a well-formed Problem, with or without a file name', () => {
    fc.assert(
      fc.property(statementLike.filter(nonBlank), fc.constantFrom(undefined, 'a.py', 'b.cpp', 'c.txt', 'd.rs'), (text, fileName) => {
        try {
          checkShape(parseProblem(text, { fileName }));
        } catch (e) {
          // only a text that really is malformed Competitive Companion JSON may be refused
          if (!(e instanceof ProblemError && text.trim().startsWith('{') && text.includes('"tests"'))) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
