import { strict as assert } from 'node:assert';
import { parseProblem } from '../../../src/core/problem';

const CF_PAGE = `B. Balanced Substring
time limit per test
1 second
memory limit per test
256 megabytes
input
standard input
output
standard output

You are given a string s of n characters. Input data is given in a single test: the word Input
appears in this sentence, and the word Output too, but neither starts a section.

Input
The first line contains an integer n (1 ≤ n ≤ 100000) — the length of s.

The second line contains the string s.

Output
Print the length of the longest balanced substring.

Examples
input
8
11010111
output
4
input
3
111
output
0

Note
In the first example you can choose the substring 3-6 (0101).
`;

describe('problem/labelled: Codeforces pages', () => {
  it('reads the header, skips "input / standard input", pairs samples and stops at Note', () => {
    const p = parseProblem(CF_PAGE);
    assert.equal(p.title, 'B. Balanced Substring');
    assert.equal(p.timeLimitMs, 1000);
    assert.equal(p.memoryLimitMb, 256);
    assert.deepEqual(p.style, { kind: 'stdio' });
    assert.deepEqual(p.samples, [
      { input: '8\n11010111\n', outputs: ['4\n'] },
      { input: '3\n111\n', outputs: ['0\n'] },
    ]);
    assert.ok(p.statement.includes('Examples\ninput\n8'), 'the samples stay in the statement');
    assert.ok(p.statement.includes('In the first example'));
  });

  it('reads the "InputCopy / OutputCopy" copy of newer pages, with CRLF and trailing spaces', () => {
    const text = `A. Sum\r\ntime limit per test: 2 seconds\r\nmemory limit per test: 256 megabytes\r\n\r\nFind the sum.\r\n\r\nInput\r\nThe first line contains n.\r\n\r\nOutput\r\nPrint the sum.\r\n\r\nExample\r\nInputCopy\r\n3   \r\n1 2 3\r\nOutputCopy\r\n6\r\n`;
    const p = parseProblem(text);
    assert.deepEqual(p.samples, [{ input: '3\n1 2 3\n', outputs: ['6\n'] }]);
    assert.equal(p.timeLimitMs, 2000);
  });

  it('keeps blank lines inside a sample input (multi-test inputs separated by empty lines)', () => {
    const text = `C. Pairs\n\nEach test case is preceded by an empty line.\n\nExamples\ninput\n2\n\n3\n1 2 3\n\n2\n5 5\noutput\nYES\nNO\n`;
    const p = parseProblem(text);
    assert.deepEqual(p.samples, [{ input: '2\n\n3\n1 2 3\n\n2\n5 5\n', outputs: ['YES\nNO\n'] }]);
  });

  it('finds samples without an Examples heading, ignoring Input/Output sections written in prose', () => {
    const text = `Sum of two\n\nInput\nTwo integers a and b are given on one line.\n\nOutput\nPrint their sum.\n\ninput\n1 2\noutput\n3\n`;
    assert.deepEqual(parseProblem(text).samples, [{ input: '1 2\n', outputs: ['3\n'] }]);
  });

  it('takes several samples and an output made of words', () => {
    const text = `Examples\nInput\n5\nOutput\nYES\nInput\n4\nOutput\nNO\n`;
    assert.deepEqual(
      parseProblem(text).samples.map((s) => s.outputs[0]),
      ['YES\n', 'NO\n'],
    );
  });
});

describe('problem/labelled: AtCoder pages', () => {
  const ATCODER = `B - Sum of Three
Time Limit: 2 sec / Memory Limit: 1024 MB

Score : 200 points

Problem Statement
Given N integers A_1, ..., A_N, print their sum.

Constraints
1 ≤ N ≤ 100

Input
Input is given from Standard Input in the following format:

N
A_1 A_2 ... A_N

Output
Print the answer.

Sample Input 1
3
1 2 3

Sample Output 1
6

The sum is 1 + 2 + 3 = 6.
Note that the answer may be large.

Sample Input 2
1
100

Sample Output 2
100
`;

  it('reads limits, samples, and drops the explanation after an output', () => {
    const p = parseProblem(ATCODER);
    assert.equal(p.title, 'B - Sum of Three');
    assert.equal(p.timeLimitMs, 2000);
    assert.equal(p.memoryLimitMb, 1024);
    assert.deepEqual(p.samples, [
      { input: '3\n1 2 3\n', outputs: ['6\n'] },
      { input: '1\n100\n', outputs: ['100\n'] },
    ]);
  });

  it('does not take the input-format block for a sample', () => {
    assert.ok(parseProblem(ATCODER).samples.every((s) => !s.input.includes('A_1')));
  });

  it('reads the Japanese labels and the "Copy" line of the copy button', () => {
    const text = `A - 足し算\n実行時間制限: 2 sec / メモリ制限: 1024 MB\n\n入力例 1 Copy\nCopy\n2 3\n\n出力例 1 Copy\nCopy\n5\n\n2 + 3 = 5 なので、5 を出力します。\n\n入力例 2\n0 0\n\n出力例 2\n0\n`;
    const p = parseProblem(text);
    assert.equal(p.timeLimitMs, 2000);
    assert.equal(p.memoryLimitMb, 1024);
    assert.deepEqual(p.samples, [
      { input: '2 3\n', outputs: ['5\n'] },
      { input: '0 0\n', outputs: ['0\n'] },
    ]);
  });

  it('keeps an output that has blank lines between data lines', () => {
    const text = `Sample Input 1\n2\n\nSample Output 1\n1 2\n\n3 4\n\nSample Input 2\n1\n\nSample Output 2\n5\n`;
    assert.deepEqual(parseProblem(text).samples[0], { input: '2\n', outputs: ['1 2\n\n3 4\n'] });
  });
});
