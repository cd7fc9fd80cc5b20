import { strict as assert } from 'node:assert';
import { FormatCounter, parseConfidence, parseRetrieval } from '../../../src/core/parse';

describe('parse/FormatCounter', () => {
  it('starts at zero for every agent', () => {
    const c = new FormatCounter();
    assert.equal(c.total(), 0);
    assert.deepEqual(c.counts(), {
      retrieval: { recovered: 0, unrecovered: 0 },
      planning: { recovered: 0, unrecovered: 0 },
      coding: { recovered: 0, unrecovered: 0 },
      debugging: { recovered: 0, unrecovered: 0 },
    });
  });

  it('tallies recovered and unrecovered issues per agent and tags them for events', () => {
    const c = new FormatCounter();
    const retrieval = parseRetrieval('<root><problem><description>d</description><code>c</code><planning>p</planning></problem>', 3);
    const out = c.add('retrieval', retrieval.issues);
    assert.deepEqual(out, retrieval.issues.map((i) => ({ agent: 'retrieval', ...i })));
    c.add('planning', parseConfidence('no idea').issues);
    c.add('coding', []);
    const counts = c.counts();
    assert.deepEqual(counts.retrieval, { recovered: 2, unrecovered: 1 }); // missing </root>, too few; no algorithm
    assert.equal(counts.planning.unrecovered, 1);
    assert.deepEqual(counts.coding, { recovered: 0, unrecovered: 0 });
    assert.equal(c.total(), 3 + counts.planning.recovered + 1);
  });

  it('returns copies of its counts', () => {
    const c = new FormatCounter();
    c.counts().coding.recovered = 99;
    assert.equal(c.total(), 0);
  });
});
