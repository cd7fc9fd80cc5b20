import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyEdits, detectEol, diffText, hunkEdits, lineUnits, stripEol, withEol } from '../../../src/extension/diff';

function roundTrip(a: string, b: string): string {
  return applyEdits(a, hunkEdits(a, diffText(a, b)));
}

describe('extension diff', () => {
  it('cuts text into line units that keep their terminators', () => {
    assert.deepEqual(lineUnits('a\nb\r\nc'), ['a\n', 'b\r\n', 'c']);
    assert.deepEqual(lineUnits('a\n'), ['a\n']);
    assert.deepEqual(lineUnits(''), []);
    assert.deepEqual(lineUnits('\n\n'), ['\n', '\n']);
    assert.equal(stripEol('x\r\n'), 'x');
  });

  it('finds nothing to do for equal texts', () => {
    assert.deepEqual(diffText('a\nb\n', 'a\nb\n'), []);
    assert.deepEqual(diffText('', ''), []);
  });

  it('reports a pure insertion', () => {
    assert.deepEqual(diffText('a\nc\n', 'a\nb\nc\n'), [{ oldStart: 1, oldCount: 0, newStart: 1, newLines: ['b\n'] }]);
  });

  it('reports a pure deletion', () => {
    assert.deepEqual(diffText('a\nb\nc\n', 'a\nc\n'), [{ oldStart: 1, oldCount: 1, newStart: 1, newLines: [] }]);
  });

  it('reports a replacement as one hunk', () => {
    assert.deepEqual(diffText('a\nb\nc\n', 'a\nX\nY\nc\n'), [{ oldStart: 1, oldCount: 1, newStart: 1, newLines: ['X\n', 'Y\n'] }]);
  });

  it('handles an empty old or new side', () => {
    assert.deepEqual(diffText('', 'x\ny'), [{ oldStart: 0, oldCount: 0, newStart: 0, newLines: ['x\n', 'y'] }]);
    assert.deepEqual(diffText('x\ny\n', ''), [{ oldStart: 0, oldCount: 2, newStart: 0, newLines: [] }]);
  });

  it('keeps separate hunks apart', () => {
    const h = diffText('1\n2\n3\n4\n5\n', '1\nX\n3\n4\nY\n');
    assert.deepEqual(h.map((x) => [x.oldStart, x.oldCount, x.newLines]), [[1, 1, ['X\n']], [4, 1, ['Y\n']]]);
  });

  it('treats a missing final newline as a change of that line', () => {
    assert.deepEqual(diffText('a\nb', 'a\nb\n'), [{ oldStart: 1, oldCount: 1, newStart: 1, newLines: ['b\n'] }]);
  });

  it('keeps CRLF line breaks byte for byte', () => {
    const a = 'int a;\r\nint b;\r\n';
    const b = 'int a;\r\nint c;\r\nint b;\r\n';
    assert.deepEqual(diffText(a, b), [{ oldStart: 1, oldCount: 0, newStart: 1, newLines: ['int c;\r\n'] }]);
    assert.equal(roundTrip(a, b), b);
  });

  it('detects and rewrites line breaks', () => {
    assert.equal(detectEol('a\r\nb\r\nc\n'), '\r\n');
    assert.equal(detectEol('a\nb\r\n'), '\n');
    assert.equal(detectEol('no breaks'), '\n');
    assert.equal(withEol('a\nb\r\nc', '\r\n'), 'a\r\nb\r\nc');
  });

  it('hunks applied to the old text reproduce the new text (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', '', 'x y', '}');
    const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(
      ([ls, eol, final]) => (ls.length ? ls.join(eol) + (final ? eol : '') : ''),
    );
    fc.assert(fc.property(text, text, (a, b) => roundTrip(a, b) === b), { numRuns: 500 });
  });

  it('finds a shortest edit script (property: no more changed lines than a full replace, equal lines kept)', () => {
    const lines = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n'), { maxLength: 10 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const hunks = diffText(a.join(''), b.join(''));
        const removed = hunks.reduce((s, h) => s + h.oldCount, 0);
        const added = hunks.reduce((s, h) => s + h.newLines.length, 0);
        return removed - added === a.length - b.length && removed + added <= a.length + b.length - 2 * lcs(a, b);
      }),
      { numRuns: 300 },
    );
  });
});

function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  }
  return dp[a.length][b.length];
}
