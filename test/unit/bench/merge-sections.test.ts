import { strict as assert } from 'node:assert';
import { mergeSections } from '../../../bench/report';

describe('bench: a partial run keeps the other sections of results.md', () => {
  it('replaces the sections it made, keeps the rest in place, adds new ones at the end', () => {
    const old = '# Performance\n\nold head\n\n## A\n\nold a\n\n## B\n\nold b\n';
    const fresh = '# Performance\n\nnew head\n\n## B\n\nnew b\n\n## C\n\nnew c\n';
    assert.equal(mergeSections(old, fresh), '# Performance\n\nold head\n\n## A\n\nold a\n\n## B\n\nnew b\n\n## C\n\nnew c\n');
  });
});
