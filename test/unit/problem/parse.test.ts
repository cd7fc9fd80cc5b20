import { strict as assert } from 'node:assert';
import { parseProblem, sampleCount } from '../../../src/core/problem';
import type { Problem } from '../../../src/core/types';

describe('problem: fallbacks and titles', () => {
  it('with nothing recognisable, the whole text is the statement and there are no samples', () => {
    const text = '\n\nCount the ways to climb n stairs taking 1 or 2 steps at a time.  \r\nn is at most 45.\n\n';
    const p = parseProblem(text);
    assert.equal(p.statement, 'Count the ways to climb n stairs taking 1 or 2 steps at a time.  \nn is at most 45.');
    assert.deepEqual(p.samples, []);
    assert.deepEqual(p.asserts, []);
    assert.deepEqual(p.style, { kind: 'stdio' });
    assert.equal(p.timeLimitMs, undefined);
    assert.equal(p.memoryLimitMb, undefined);
    assert.equal(p.title, 'Count the ways to climb n stairs taking 1 or 2 steps at a time.');
  });

  it('titles: first heading that is not a section name, else a usable first line, else "Untitled problem"', () => {
    assert.equal(parseProblem('## Input\nn\n\n# Frog Jump\ntext').title, 'Frog Jump');
    assert.equal(parseProblem('Time Limit: 2 sec / Memory Limit: 1024 MB\nD - Knapsack\n').title, 'D - Knapsack');
    assert.equal(parseProblem('x'.repeat(300)).title, 'Untitled problem');
    assert.equal(parseProblem('Input\n3\nOutput\n3\n').title, 'Untitled problem');
  });

  it('an unpaired input label gives no sample', () => {
    assert.deepEqual(parseProblem('Example\ninput\n1 2\n').samples, []);
  });

  it('counts the samples of a stdio problem, the asserts of a function problem', () => {
    const problem: Problem = { title: 'P', statement: 'S', samples: [{ input: '1\n', outputs: ['1\n'] }], asserts: ['assert f(1) == 1', 'assert f(2) == 4'], style: { kind: 'stdio' } };
    assert.equal(sampleCount(problem), 1);
    assert.equal(sampleCount({ ...problem, style: { kind: 'function', name: 'f' } }), 2);
    assert.equal(sampleCount({ ...problem, samples: [] }), 0);
  });
});
