import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replyGrammar, type ReplyShape } from '../../../src/core/parse/grammar';
import { Gbnf } from './gbnf';

// Each grammar accepts the well-formed replies of the malformed-reply corpus and rejects the
// malformed shapes: the envelope is what the parsers need, checked here in plain Node.
const REPLIES = join(__dirname, '..', '..', 'fixtures', 'replies');
const reply = (name: string) => readFileSync(join(REPLIES, name), 'utf8');
const grammar = (shape: ReplyShape, maxTokens = 4096) => new Gbnf(replyGrammar(shape, maxTokens));

describe('parse/grammar: constrained reply shapes', () => {
  const cases: [ReplyShape, string[], string[]][] = [
    [{ kind: 'retrieval', k: 3 }, ['retrieval-well-formed.txt'],
      ['retrieval-missing-algorithm.txt', 'retrieval-no-root.txt', 'retrieval-text-before-root.txt', 'retrieval-synonym-tags.txt', 'retrieval-prose-only.txt', 'retrieval-missing-root-close.txt', 'retrieval-fenced-xml.txt']],
    [{ kind: 'confidence' }, ['confidence-well-formed.txt'], ['confidence-percent.txt', 'confidence-missing.txt', 'confidence-fraction.txt', 'confidence-over-100.txt', 'confidence-bold-markdown.txt']],
    [{ kind: 'code', lang: 'cpp' }, ['coding-well-formed-cpp.txt'], ['coding-no-fence.txt', 'coding-prose-only.txt', 'coding-untagged-fence.txt', 'coding-unclosed-fence.txt', 'coding-tilde-fence.txt']],
    [{ kind: 'code', lang: 'c' }, [], ['coding-c-target-cpp-fence.txt', 'coding-well-formed-cpp.txt']],
    [{ kind: 'debug', lang: 'cpp' }, ['debugging-well-formed.txt'], ['debugging-xml-shape.txt']],
    [{ kind: 'text' }, ['planning-free-text.txt', 'planning-fenced.txt'], []],
  ];
  for (const [shape, good, bad] of cases) {
    it(`${shape.kind}: accepts the well-formed replies, rejects the malformed shapes`, () => {
      const g = grammar(shape);
      for (const f of good) assert.equal(g.accepts(reply(f)), true, `${f} accepted`);
      for (const f of bad) assert.equal(g.accepts(reply(f)), false, `${f} rejected`);
    });
  }

  it('retrieval: exactly k problems, in the trained tag names', () => {
    const problem = (i: number) => `<problem><description>d${i}</description><code>c${i}</code><planning>p${i}</planning></problem>`;
    const text = (n: number) => `<root>${Array.from({ length: n }, (_, i) => problem(i)).join('\n')}<algorithm>greedy</algorithm></root>`;
    assert.deepEqual([1, 2, 3, 4].map((n) => grammar({ kind: 'retrieval', k: 2 }).accepts(text(n))), [false, true, false, false]);
  });

  it('confidence: an integer 0-100 only', () => {
    const g = grammar({ kind: 'confidence' });
    const c = (v: string) => `<root><explanation>ok</explanation><confidence>${v}</confidence></root>`;
    assert.deepEqual(['0', '7', '85', '100', '101', '085', '85%', '0.85', ''].map((v) => g.accepts(c(v))), [true, true, true, true, false, false, false, false, false]);
  });

  it('code: one fence in the target language\'s trained tag; the code inside is free, < > & ` included', () => {
    const g = grammar({ kind: 'code', lang: 'python3' });
    assert.equal(g.accepts('```python3\nprint("<a> & `b`")\n```'), true);
    assert.equal(g.accepts('```python\nprint(1)\n```'), false, 'the trained tag');
    assert.equal(g.accepts('```python3\nprint(1)\n```\n```python3\nprint(2)\n```'), false, 'one block');
  });

  it('free parts are bounded so that a reply never closed by the model still ends within max_tokens', () => {
    const long = `<root><explanation>${'x'.repeat(600)}</explanation><confidence>5</confidence></root>`;
    assert.equal(grammar({ kind: 'confidence' }, 4096).accepts(long), true);
    assert.equal(grammar({ kind: 'confidence' }, 100).accepts(long), false);
    assert.match(replyGrammar({ kind: 'retrieval', k: 3 }, 1000), /text\{0,\d+\}/);
  });
});
