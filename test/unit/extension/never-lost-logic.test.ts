// The user's text is never lost by Accept: property tests over the vscode-free half of the inline
// proposal. A document, a proposed range and a program; then any sequence of user edits (batches of
// disjoint changes, as VS Code reports them), tracked with trackChanges; then Accept exactly as
// ProposalManager.acceptInline does it (decideAccept on the range's current text, its edits applied at
// the range's start). Byte comparisons of the document before and after Accept.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyEdits } from '../../../src/extension/diff';
import { decideAccept, trackChanges, type ContentChange, type OffsetRange, type Touch } from '../../../src/extension/proposal/logic';

// Line breaks of both kinds, a surrogate pair and an accented letter: offsets are UTF-16 units, as in VS Code.
const piece = fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '#', '"""', 'é', '😀', 'print(x)\n', '    ');
const text = (max: number) => fc.array(piece, { maxLength: max }).map((p) => p.join(''));

interface Scenario {
  doc: string;
  range: OffsetRange;
  proposed: string;
  /** Each batch: [fractions locating the changes, lengths, inserted texts]. */
  batches: { at: number; len: number; text: string }[][];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  doc: text(30),
  cut: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
  proposed: text(12),
  batches: fc.array(
    fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat(6), text: text(3) }), { minLength: 1, maxLength: 3 }),
    { maxLength: 4 },
  ),
}).map(({ doc, cut, proposed, batches }) => {
  const at = (f: number) => Math.min(doc.length, Math.floor(f * (doc.length + 1)));
  const [s, e] = [at(cut[0]), at(cut[1])].sort((x, y) => x - y);
  return { doc, range: { start: s, end: e }, proposed, batches };
});

/** Turns a batch's fractions into disjoint changes against `doc` (what one multi-cursor edit reports). */
function changesOf(doc: string, batch: Scenario['batches'][number]): ContentChange[] {
  const out: ContentChange[] = [];
  let from = 0;
  for (const b of [...batch].sort((x, y) => x.at - y.at)) {
    const offset = Math.max(from, Math.floor(b.at * (doc.length + 1)));
    if (offset > doc.length) break;
    const length = Math.min(b.len, doc.length - offset);
    out.push({ offset, length, text: b.text });
    from = offset + length + 1;
  }
  return out;
}

function applyChanges(doc: string, changes: ContentChange[]): string {
  return [...changes].sort((a, b) => b.offset - a.offset).reduce((t, c) => t.slice(0, c.offset) + c.text + t.slice(c.offset + c.length), doc);
}

/** The user edits while the proposal shows; returns the document and the tracked range. */
function userEdits(s: Scenario): { doc: string; range: OffsetRange; touched: Touch } {
  let doc = s.doc;
  let state = { range: s.range, touched: 'none' as Touch };
  for (const batch of s.batches) {
    const changes = changesOf(doc, batch);
    state = trackChanges(state.range, state.touched, changes);
    doc = applyChanges(doc, changes);
  }
  return { doc, ...state };
}

/** Accept as acceptInline does it; `consent`: the answer to the question asked when the user edited the range. */
function accept(doc: string, range: OffsetRange, touched: Touch, proposed: string, consent: boolean) {
  const decision = decideAccept(proposed, doc.slice(range.start, range.end), touched);
  if (decision.kind === 'refuse' || decision.kind === 'nothing' || (decision.kind === 'ask' && !consent)) return { decision, after: doc };
  const shifted = decision.edits.map((e) => ({ start: range.start + e.start, end: range.start + e.end, text: e.text }));
  return { decision, after: applyEdits(doc, shifted) };
}

const RUNS = 1_000;

/**
 * The exact UTF-16 code units of a text, as bytes. Not UTF-8: the generated edits may split a surrogate
 * pair, and a lone half encodes to U+FFFD in UTF-8, so two halves rejoined by an edit would look changed.
 */
const units = (text: string) => Buffer.from(text, 'utf16le');

describe('never lost: Accept and the user\'s edits (properties)', () => {
  it('tracks the range through any edits: untouched means the range still holds the text proposed against', () => {
    fc.assert(fc.property(scenario, (s) => {
      const u = userEdits(s);
      assert.ok(u.range.start >= 0 && u.range.start <= u.range.end && u.range.end <= u.doc.length, 'the range stays inside the document');
      if (u.touched === 'none') assert.equal(u.doc.slice(u.range.start, u.range.end), s.doc.slice(s.range.start, s.range.end));
    }), { numRuns: RUNS });
  });

  it('never applies silently to a range that no longer matches what was proposed against', () => {
    fc.assert(fc.property(scenario, (s) => {
      const u = userEdits(s);
      const { decision } = accept(u.doc, u.range, u.touched, s.proposed, true);
      if (decision.kind === 'apply') assert.equal(u.doc.slice(u.range.start, u.range.end), s.doc.slice(s.range.start, s.range.end));
      if (u.touched === 'crossing') assert.equal(decision.kind, 'refuse');
      if (u.touched === 'inside') assert.ok(decision.kind === 'ask' || decision.kind === 'nothing', `edited range: ${decision.kind}`);
    }), { numRuns: RUNS });
  });

  it('keeps every character outside the range, byte for byte, whatever the answer', () => {
    let compared = 0;
    fc.assert(fc.property(scenario, fc.boolean(), (s, consent) => {
      const u = userEdits(s);
      const { after } = accept(u.doc, u.range, u.touched, s.proposed, consent);
      const before = units(u.doc.slice(0, u.range.start));
      const rest = units(u.doc.slice(u.range.end));
      const a = units(after);
      assert.ok(a.subarray(0, before.length).equals(before), 'text before the range intact');
      assert.ok(a.subarray(a.length - rest.length).equals(rest), 'text after the range intact');
      compared += before.length + rest.length;
    }), { numRuns: RUNS });
    assert.ok(compared > 0, 'the properties compared some bytes');
  });

  it('changes the range into exactly the proposal when applied, and nothing at all when declined or refused', () => {
    fc.assert(fc.property(scenario, fc.boolean(), (s, consent) => {
      const u = userEdits(s);
      const { decision, after } = accept(u.doc, u.range, u.touched, s.proposed, consent);
      const applied = decision.kind === 'apply' || (decision.kind === 'ask' && consent);
      const expected = applied || decision.kind === 'nothing'
        ? u.doc.slice(0, u.range.start) + s.proposed + u.doc.slice(u.range.end)
        : u.doc;
      assert.ok(units(after).equals(units(expected)));
      if (!applied) assert.ok(units(after).equals(units(u.doc)), 'declined or refused: byte-identical');
    }), { numRuns: RUNS });
  });

  it('edits strictly outside the range never make Accept ask (examples: above, below, a deletion ending at its start)', () => {
    const doc = '"""statement"""\n\nmine\n# tail\n';
    const range = { start: doc.indexOf('mine'), end: doc.indexOf('# tail') };
    for (const c of [
      { offset: 3, length: 9, text: 'the statement, reworded' },
      { offset: doc.length, length: 0, text: 'print("below")\n' },
      { offset: range.start - 1, length: 1, text: '' },
    ]) {
      const u = trackChanges(range, 'none', [c]);
      const edited = applyChanges(doc, [c]);
      assert.equal(u.touched, 'none');
      const { decision, after } = accept(edited, u.range, u.touched, 'print(1)\n', false);
      assert.equal(decision.kind, 'apply');
      assert.equal(after, edited.slice(0, u.range.start) + 'print(1)\n' + edited.slice(u.range.end));
    }
  });
});
