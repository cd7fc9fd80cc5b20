import { strict as assert } from 'node:assert';
import { applyEdits, diffText } from '../../../../src/extension/diff';
import { addedLineCount, decideAccept, decorationPlan, inlinePreview, trackChange, trackChanges, type ContentChange, type OffsetRange } from '../../../../src/extension/proposal/logic';

function edit(text: string, c: ContentChange): string {
  return text.slice(0, c.offset) + c.text + text.slice(c.offset + c.length);
}

describe('inline proposal logic', () => {
  describe('decorationPlan', () => {
    it('strikes removed lines and shows replacements after the last removed line', () => {
      const hunks = diffText('a\nb\nc\n', 'a\nX\nY\nc\n');
      assert.deepEqual(decorationPlan(hunks, { line: 10, character: 0 }), {
        removed: [11],
        added: [{ line: 11, where: 'after', lines: ['X', 'Y'] }],
      });
    });

    it('shows pure insertions after the line before them', () => {
      const hunks = diffText('a\nc\n', 'a\nb\nc\n');
      assert.deepEqual(decorationPlan(hunks, { line: 4, character: 0 }).added, [{ line: 4, where: 'after', lines: ['b'] }]);
    });

    it('shows an insertion at the range start after the line above the range (the statement comment)', () => {
      const hunks = diffText('', 'int main() {}\n');
      assert.deepEqual(decorationPlan(hunks, { line: 3, character: 0 }), { removed: [], added: [{ line: 2, where: 'after', lines: ['int main() {}'] }] });
    });

    it('shows an insertion at the top of a document before its first line', () => {
      const hunks = diffText('x\n', 'y\nx\n');
      assert.deepEqual(decorationPlan(hunks, { line: 0, character: 0 }).added, [{ line: 0, where: 'before', lines: ['y'] }]);
    });

    it('shows an insertion at a mid-line range start at the end of that line', () => {
      const hunks = diffText('', '\nint x;\n');
      assert.deepEqual(decorationPlan(hunks, { line: 2, character: 5 }).added, [{ line: 2, where: 'after', lines: ['', 'int x;'] }]);
    });
  });

  it('previews an added block on one line, with the count of lines not shown', () => {
    assert.equal(inlinePreview(['int x;']), '＋ int x;');
    assert.deepEqual([addedLineCount('a\nb\n', 'a\nb\n'), addedLineCount('a\n', 'a\nb\nc\n'), addedLineCount('# todo\n', 'x\ny\nz\nw\n')], [0, 2, 4]);
    assert.equal(inlinePreview(['a', '  b', 'c', 'd', 'e']), '＋ a  ⏎  b  ⏎  c  … +2 more lines (hover or Compare)');
    assert.equal(inlinePreview(['']), '＋ (blank line)');
    assert.ok(inlinePreview(['x'.repeat(500)]).length < 170);
  });

  describe('trackChange', () => {
    const doc = '// statement\n\nold code\n';
    const range: OffsetRange = { start: 14, end: doc.length };

    function follow(c: ContentChange) {
      const r = trackChange(range, 'none', c);
      return { ...r, text: edit(doc, c).slice(r.range.start, r.range.end) };
    }

    it('shifts the range when the statement above it is edited', () => {
      const r = follow({ offset: 3, length: 9, text: 'the problem statement' });
      assert.equal(r.touched, 'none');
      assert.equal(r.text, 'old code\n');
    });

    it('keeps an intact range when a deletion ends exactly at its start', () => {
      const r = follow({ offset: 13, length: 1, text: '' });
      assert.equal(r.touched, 'none');
      assert.equal(r.text, 'old code\n');
    });

    it('marks edits inside the range, and at its edges, as inside', () => {
      for (const c of [
        { offset: 18, length: 0, text: 'er' },
        { offset: 14, length: 0, text: 'x' },
        { offset: doc.length, length: 0, text: 'more\n' },
      ]) {
        const r = follow(c);
        assert.equal(r.touched, 'inside');
        assert.equal(r.text, edit(doc, c).slice(14));
      }
    });

    it('marks an edit spanning the statement and the code as crossing', () => {
      assert.equal(follow({ offset: 5, length: 12, text: '' }).touched, 'crossing');
    });

    it('leaves the range alone for edits after it', () => {
      const r = trackChange({ start: 0, end: 4 }, 'none', { offset: 6, length: 1, text: 'zz' });
      assert.deepEqual(r, { range: { start: 0, end: 4 }, touched: 'none' });
    });

    it('follows a batch of changes reported against the text before the batch', () => {
      // two cursors: one in the statement, one inside the code
      const changes = [{ offset: 16, length: 0, text: 'X' }, { offset: 0, length: 2, text: '#' }];
      const after = edit(edit(doc, changes[0]), changes[1]);
      const r = trackChanges(range, 'none', changes);
      assert.equal(r.touched, 'inside');
      assert.equal(after.slice(r.range.start, r.range.end), 'olXd code\n');
    });
  });

  describe('decideAccept (stale-proposal check)', () => {
    const proposed = 'print(1)\n';

    it('applies a diff against the current text when the range is untouched', () => {
      const d = decideAccept(proposed, 'pass\n', 'none');
      assert.equal(d.kind, 'apply');
      if (d.kind === 'apply') assert.equal(applyEdits('pass\n', d.edits), proposed);
    });

    it('re-diffs against the edited text and asks before replacing the user\'s edits', () => {
      const d = decideAccept(proposed, 'pass\nprint(2)\n', 'inside');
      assert.equal(d.kind, 'ask');
      if (d.kind === 'ask') assert.equal(applyEdits('pass\nprint(2)\n', d.edits), proposed);
    });

    it('refuses when the edit crossed into the statement', () => {
      assert.equal(decideAccept(proposed, 'pass\n', 'crossing').kind, 'refuse');
    });

    it('does nothing when the text already is the proposal', () => {
      assert.deepEqual(decideAccept(proposed, proposed, 'inside'), { kind: 'nothing' });
    });
  });
});
