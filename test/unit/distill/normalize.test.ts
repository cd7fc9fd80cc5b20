import { strict as assert } from 'node:assert';
import { extractCode, parseConfidence, parseConfidenceExplanation, parseDebugReply, parseRetrieval } from '../../../src/core/parse';
import { normalizeReply } from '../../../src/distill/normalize';

// Teacher replies in the shapes small models trip over, normalised from what the parser read.
describe('distill normalise: teacher replies to protocol shapes', () => {
  it('confidence: "85%" and a decimal become clean XML with an integer', () => {
    const raw = 'My view: <root><explanation>Greedy works & is O(n).</explanation><confidence>85.6%</confidence></root> done';
    const parsed = { confidence: parseConfidence(raw).value, explanation: parseConfidenceExplanation(raw) };
    assert.deepEqual(normalizeReply('confidence', parsed, 'cpp', 3), { reply: '<root>\n<explanation>\nGreedy works & is O(n).\n</explanation>\n<confidence>86</confidence>\n</root>' });
  });

  it('code: a c++ fence becomes the cpp fence; debugging: the plan, then one block', () => {
    const code = extractCode('Here:\n```c++\nint main() { return a < b && c > d; }\n```', 'cpp').value;
    assert.deepEqual(normalizeReply('code', code, 'cpp', 3), { reply: '```cpp\nint main() { return a < b && c > d; }\n```' });
    const fix = parseDebugReply('**Corrected plan:** use long long.\n\nCode:\n```cc\nint main() {}\n```', 'cpp').value;
    assert.deepEqual(normalizeReply('debug', fix, 'cpp', 3), { reply: 'use long long.\n\n```cpp\nint main() {}\n```' });
    assert.match((normalizeReply('debug', { plan: '', code: 'x = 1' }, 'python3', 3) as { dropped: string }).dropped, /without a corrected plan/);
  });

  it('retrieval: kept only with exactly k complete exemplars; text that would not read back is dropped', () => {
    const one = parseRetrieval('<root><problem><description>d</description><code>c</code><planning>p</planning></problem><algorithm>a</algorithm></root>', 3).value;
    assert.match((normalizeReply('retrieval', one, 'python3', 3) as { dropped: string }).dropped, /1 exemplars instead of 3/);
    assert.ok('reply' in normalizeReply('retrieval', one, 'python3', 1));
    const tricky = { exemplars: [{ description: 'd', code: 's = "</code>"', planning: 'p' }], algorithm: 'a' };
    assert.match((normalizeReply('retrieval', tricky, 'python3', 1) as { dropped: string }).dropped, /read(s)? back/);
  });

  it('plans are trimmed text; empty ones and Direct calls give no example', () => {
    assert.deepEqual(normalizeReply('plan', '  1. Sort.\n2. Scan.  ', 'python3', 3), { reply: '1. Sort.\n2. Scan.' });
    assert.ok('dropped' in normalizeReply('plan', '   ', 'python3', 3));
    assert.ok('dropped' in normalizeReply('direct', 'print(1)', 'python3', 3));
  });
});
