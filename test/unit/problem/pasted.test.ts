import { strict as assert } from 'node:assert';
import { parseProblem } from '../../../src/core/problem';

// Statements as people paste them, one case per layout that used to read wrong. Written here from
// the layouts (the pages' structure and labels), not copied from any page.

describe('problem: pasted statements, as the pages lay them out', () => {
  it('AtCoder (English): an explanation on the line right after an output is not part of it', () => {
    const text = [
      'B - Pair Sum', '', 'Problem Statement', 'Print the sum of the two largest numbers.', '',
      'Sample Input 1Copy', 'Copy', '4', '5 1 9 3', 'Sample Output 1Copy', 'Copy', '14',
      'The two largest numbers are 9 and 5, so print 14.', '',
      'Sample Input 2Copy', 'Copy', '2', '7 7', 'Sample Output 2Copy', 'Copy', '14', '',
    ].join('\n');
    assert.deepEqual(parseProblem(text).samples, [
      { input: '4\n5 1 9 3\n', outputs: ['14\n'] },
      { input: '2\n7 7\n', outputs: ['14\n'] },
    ]);
  });

  it('AtCoder (Japanese): "入力例 1Copy" samples, not the 入力 format section; explanations in Japanese after outputs', () => {
    const text = [
      'C - 並べ替え', '', '問題文', '長さ N の数列 A が与えられます。', '',
      '入力', '入力は以下の形式で標準入力から与えられる。', '', 'N', 'A_1 A_2 ... A_N', '',
      '出力', '答えを出力せよ。', '',
      '入力例 1Copy', 'Copy', '3', '3 1 2', '出力例 1Copy', 'Copy', '1 2 3', '数列を昇順に並べ替えると 1 2 3 になります。', '',
      '入力例 2Copy', 'Copy', '1', '5', '出力例 2Copy', 'Copy', '5', '',
    ].join('\n');
    assert.deepEqual(parseProblem(text).samples, [
      { input: '3\n3 1 2\n', outputs: ['1 2 3\n'] },
      { input: '1\n5\n', outputs: ['5\n'] },
    ]);
  });

  it('AtCoder in Markdown: a "Copy" line between "Sample Input 1Copy" and its fence; the input-format fence is no sample', () => {
    const text = [
      '# C - Sort', '', '### Input', 'Input is given from Standard Input in the following format:', '', '```', 'N', 'A_1 A_2 ... A_N', '```', '',
      '### Output', 'Print the sorted sequence.', '',
      '### Sample Input 1Copy', '', 'Copy', '```', '3', '3 1 2', '```', '', '### Sample Output 1Copy', 'Copy', '```', '1 2 3', '```', '',
    ].join('\n');
    assert.deepEqual(parseProblem(text).samples, [{ input: '3\n3 1 2\n', outputs: ['1 2 3\n'] }]);
  });

  it('AtCoder (Japanese interface): "入力例 1コピー" and a "コピー" line', () => {
    const text = ['入力', '入力は以下の形式で標準入力から与えられる。', 'N', '', '出力', '出力せよ。', '', '入力例 1コピー', 'コピー', '3', '', '出力例 1コピー', 'コピー', '6', ''].join('\n');
    assert.deepEqual(parseProblem(text).samples, [{ input: '3\n', outputs: ['6\n'] }]);
  });

  it('AtCoder in Markdown with its HTML: <div>/<pre> blocks around samples, entities decoded', () => {
    const text = [
      '# D - Brackets', '', 'Check a bracket string.', '',
      '### Sample Input 1', '', '<div class="part">', '<section>', '<pre>', '3', '(&lt;)', '</pre>', '</section>', '</div>', '',
      '### Sample Output 1', '', '<div class="part"><pre>No &amp; stop', '</pre></div>', '',
      '### Sample Input 2', '<pre id="pre-sample2">1', '()</pre>', '### Sample Output 2', '<pre>Yes</pre>', '',
    ].join('\n');
    assert.deepEqual(parseProblem(text).samples, [
      { input: '3\n(<)\n', outputs: ['No & stop\n'] },
      { input: '1\n()\n', outputs: ['Yes\n'] },
    ]);
  });

  it('a // comment block whose lines disagree on the space after // reads without a leading space', () => {
    const text = ['// Sum of a list', '//', '// Sample Input', '//3', '// 1 2 3', '// Sample Output', '//6', '', 'int main() {}', ''].join('\n');
    const p = parseProblem(text, { fileName: 'sum.cpp' });
    assert.deepEqual(p.samples, [{ input: '3\n1 2 3\n', outputs: ['6\n'] }]);
    assert.equal(p.title, 'Sum of a list');
  });

  it('a # comment block, ragged the same way', () => {
    const text = ['# Double it', '#Sample Input', '#4', '# Sample Output', '#  8', '', 'print(int(input()) * 2)', ''].join('\n');
    assert.deepEqual(parseProblem(text, { fileName: 'double.py' }).samples, [{ input: '4\n', outputs: [' 8\n'] }]);
  });

  it('a statement in a trailing /* */ comment after the code: its samples end before the */', () => {
    const text = [
      '#include <cstdio>', 'int main() { int a, b; scanf("%d %d", &a, &b); printf("%d\\n", a + b); }', '',
      '/*', 'A + B', '', 'Sample Input', '1 2', 'Sample Output', '3 */', '',
    ].join('\n');
    for (const fileName of ['ab.cpp', undefined]) {
      const p = parseProblem(text, { fileName });
      assert.deepEqual(p.samples, [{ input: '1 2\n', outputs: ['3\n'] }], String(fileName));
      assert.equal(p.title, 'A + B');
    }
    const closedBelow = text.replace('3 */', '3\n*/');
    assert.deepEqual(parseProblem(closedBelow, { fileName: 'ab.cpp' }).samples, [{ input: '1 2\n', outputs: ['3\n'] }]);
  });
});
