import { strict as assert } from 'node:assert';
import { parseProblem } from '../../../src/core/problem';
import { HOSTILE_STATEMENTS } from '../../../bench/statements';

// 1 MB statements of shapes that broke the parsers: quadratic scans (fence lines only: over 120 s at
// 1 MB before) and a spread of 130,000 indents into Math.min (a stack overflow). Each must parse, once,
// within mocha's time-out; the times themselves are in `npm run bench -- --only statements`.
describe('problem: 1 MB statements of hostile shapes', function () {
  this.timeout(20_000);
  for (const [shape, text] of Object.entries(HOSTILE_STATEMENTS)) {
    it(`${shape}: parses`, () => {
      const p = parseProblem(text, { fileName: 'statement.md' });
      assert.ok(Array.isArray(p.samples));
    });
  }

  it('finds the samples of a large well-formed statement in the same shapes', () => {
    assert.equal(parseProblem(HOSTILE_STATEMENTS['Input/Output lines'], { fileName: 's.txt' }).samples.length, 52428);
  });
});
