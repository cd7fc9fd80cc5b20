import { strict as assert } from 'node:assert';
import { parseProblem } from '../../../src/core/problem';

const TWO_SUM = `1. Two Sum
Easy

Given an array of integers nums and an integer target, return indices of the two numbers such that they add up to target.

Example 1:

Input: nums = [2,7,11,15], target = 9
Output: [0,1]
Explanation: Because nums[0] + nums[1] == 9, we return [0, 1].

Example 2:

Input: nums = [3,2,4], target = 6
Output: [1,2]

Constraints:

2 <= nums.length <= 10^4
-10^9 <= nums[i] <= 10^9
Only one valid answer exists.
`;

describe('problem/leetcode', () => {
  it('without a signature: stdio samples holding the example text', () => {
    const p = parseProblem(TWO_SUM);
    assert.equal(p.title, '1. Two Sum');
    assert.deepEqual(p.style, { kind: 'stdio' });
    assert.deepEqual(p.samples, [
      { input: 'nums = [2,7,11,15], target = 9\n', outputs: ['[0,1]\n'] },
      { input: 'nums = [3,2,4], target = 6\n', outputs: ['[1,2]\n'] },
    ]);
  });

  it('with a Python skeleton: function style, keyword asserts, starter code', () => {
    const text = `${TWO_SUM}\nclass Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        \n`;
    const p = parseProblem(text);
    assert.deepEqual(p.style, {
      kind: 'function',
      name: 'twoSum',
      signature: 'def twoSum(self, nums: List[int], target: int) -> List[int]:',
    });
    assert.deepEqual(p.samples, []);
    assert.deepEqual(p.asserts, [
      'assert twoSum(nums=[2,7,11,15], target=9) == [0,1]',
      'assert twoSum(nums=[3,2,4], target=6) == [1,2]',
    ]);
    assert.equal(p.starterCode, 'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:');
  });

  it('with a C++ skeleton in a fence: converts true/false/null and keeps strings', () => {
    const text = [
      'Valid Word',
      '',
      '**Example 1:**',
      '',
      '**Input:** s = "a, b", words = ["x",null]',
      '**Output:** true',
      '',
      '**Example 2:**',
      '',
      '**Input:** s = "true", words = []',
      '**Output:** false',
      '',
      '```cpp',
      'class Solution {',
      'public:',
      '    bool isValid(string s, vector<string>& words) {',
      '        ',
      '    }',
      '};',
      '```',
    ].join('\n');
    const p = parseProblem(text);
    assert.equal(p.style.kind, 'function');
    assert.equal(p.style.kind === 'function' && p.style.name, 'isValid');
    assert.deepEqual(p.asserts, [
      'assert isValid(s="a, b", words=["x",None]) == True',
      'assert isValid(s="true", words=[]) == False',
    ]);
    assert.ok(p.starterCode?.startsWith('class Solution {\npublic:\n    bool isValid('));
  });

  it('reads "Input:" on its own line followed by the values', () => {
    const text = 'Example 1:\nInput:\nn = 3\nOutput:\n5\n\nfunction numTrees(n) {\n}\n';
    const p = parseProblem(text);
    assert.deepEqual(p.asserts, ['assert numTrees(n=3) == 5']);
  });

  it('uses positional arguments when the example names are not the parameters', () => {
    const text = 'Example 1:\nInput: grid = [[1]], k = 2\nOutput: 1\n\ndef count(board, steps):\n    pass\n';
    assert.deepEqual(parseProblem(text).asserts, ['assert count([[1]], 2) == 1']);
  });
});
