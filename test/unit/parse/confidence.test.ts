import { strict as assert } from 'node:assert';
import { parseConfidence, parseConfidenceExplanation } from '../../../src/core/parse';

describe('parse/confidence', () => {
  const cases: Array<[string, number]> = [
    ['<root><explanation>ok</explanation><confidence>85</confidence></root>', 85],
    ['85', 85],
    ['85%', 85],
    ['85/100', 85],
    ['8/10', 80],
    ['0.85', 85],
    ['1.0', 100],
    ['1', 1],
    ['Confidence: 85', 85],
    ['<confidence>85</confidence>', 85],
    ['**Confidence:** 85 %', 85],
    ["I'd say 85 out of 100", 85],
    ['Confidence level is 72 percent.', 72],
    ['<root><confidence> 0.7 </confidence></root>', 70],
    ['<root><confidence>150</confidence></root>', 100],
    ['<root><confidence>0</confidence></root>', 0],
    ['<root><explanation>n <= 10^5, 3 cases</explanation><confidence>90%</confidence></root>', 90],
    ['The plan handles 2 samples. Confidence: 60. Risky for n = 10^5.', 60],
  ];
  for (const [reply, want] of cases) {
    it(`${JSON.stringify(reply)} -> ${want}`, () => {
      const r = parseConfidence(reply);
      assert.equal(r.value, want);
      assert.equal(r.ok, true);
    });
  }

  it('a clean reply has no issue; other shapes are recovered issues', () => {
    assert.deepEqual(parseConfidence('<root><explanation>x</explanation><confidence>85</confidence></root>').issues, []);
    const percent = parseConfidence('<root><confidence>85%</confidence></root>');
    assert.deepEqual(percent.issues.map((i) => [i.kind, i.recovered]), [['confidence_format', true]]);
    const bare = parseConfidence('Confidence: 85');
    assert.deepEqual(bare.issues.map((i) => i.kind).sort(), ['confidence_untagged', 'missing_root']);
  });

  it('prefers <confidence> over the word, and the word over the last number', () => {
    assert.equal(parseConfidence('Confidence: 40\n<root><confidence>70</confidence></root> 99').value, 70);
    assert.equal(parseConfidence('My confidence is 40, it passes 3 samples').value, 40);
    assert.equal(parseConfidence('It passes 3 of the samples; overall 65').value, 65);
  });

  it('falls back to a neutral 50 with ok=false, ignoring numbers inside <explanation>', () => {
    for (const reply of ['', 'I am not sure.', '<root><explanation>n up to 40</explanation></root>']) {
      const r = parseConfidence(reply);
      assert.equal(r.value, 50, reply);
      assert.equal(r.ok, false);
      assert.ok(r.issues.some((i) => i.kind === 'no_confidence' && !i.recovered));
    }
  });

  it('returns the explanation text, or "" when there is none', () => {
    assert.equal(parseConfidenceExplanation('<root>\n<explanation>\n  a < b & c\n</explanation><confidence>9</confidence></root>'), 'a < b & c');
    assert.equal(parseConfidenceExplanation('<root><confidence>9</confidence></root>'), '');
  });
});
