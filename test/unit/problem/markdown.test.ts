import { strict as assert } from 'node:assert';
import { parseProblem } from '../../../src/core/problem';

describe('problem/markdown: fenced samples', () => {
  it('pairs ```input / ```output fences', () => {
    const text = '# Sum\n\nAdd two numbers.\n\n```input\n1 2\n```\n\n```output\n3\n```\n\n```input\n5 5\n```\n```output\n10\n```\n';
    const p = parseProblem(text);
    assert.equal(p.title, 'Sum');
    assert.deepEqual(p.samples, [
      { input: '1 2\n', outputs: ['3\n'] },
      { input: '5 5\n', outputs: ['10\n'] },
    ]);
  });

  it('reads ```text fences labelled by headings, and ignores an input-format section and a code fence', () => {
    const text = [
      '# Grid Walk',
      '**Time limit:** 1.5 s  ',
      '**Memory limit:** 512 MiB',
      '',
      '## Input',
      '',
      'The first line holds n and m:',
      '',
      '```',
      'n m',
      '```',
      '',
      '## Output',
      '',
      'Print one number.',
      '',
      '## Sample 1',
      '',
      '### Input',
      '```text',
      '2 2',
      '..',
      '..',
      '```',
      '### Output',
      '```text',
      '2',
      '```',
      '',
      '## Sample 2',
      '',
      '```text',
      '1 1',
      '.',
      '```',
      '',
      '```text',
      '1',
      '```',
      '',
      '## Reference',
      '```python',
      'print(input())',
      '```',
    ].join('\n');
    const p = parseProblem(text);
    assert.equal(p.title, 'Grid Walk');
    assert.equal(p.timeLimitMs, 1500);
    assert.equal(p.memoryLimitMb, 512);
    assert.deepEqual(p.samples, [
      { input: '2 2\n..\n..\n', outputs: ['2\n'] },
      { input: '1 1\n.\n', outputs: ['1\n'] },
    ]);
  });

  it('reads **Sample input** / **Sample output** labels and keeps blank lines inside a fence', () => {
    const text = 'Count blocks.\n\n**Sample input**\n```\n2\n\n1\n```\n**Sample output**\n```\n1\n```\n';
    assert.deepEqual(parseProblem(text).samples, [{ input: '2\n\n1\n', outputs: ['1\n'] }]);
  });

  it('reads "Input:" / "Output:" lines above plain fences, and ~~~ fences', () => {
    const text = 'Reverse the line.\n\nInput:\n~~~\nabc\n~~~\nOutput:\n~~~\ncba\n~~~\n';
    assert.deepEqual(parseProblem(text).samples, [{ input: 'abc\n', outputs: ['cba\n'] }]);
  });
});
