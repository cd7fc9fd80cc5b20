import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANG_IDS } from '../../../src/core/judge/languages';
import { leastReplyTokens, replyGrammar, type ReplyShape } from '../../../src/core/parse/grammar';
import { Gbnf } from './gbnf';

// Each grammar accepts the well-formed replies of the malformed-reply corpus and rejects the
// malformed shapes: the envelope is what the parsers need, checked here in plain Node.
const REPLIES = join(__dirname, '..', '..', 'fixtures', 'replies');
const reply = (name: string) => readFileSync(join(REPLIES, name), 'utf8');
// The corpus replies are long (three exemplars with their programs): a grammar bounded in bytes holds them at 8192.
const grammar = (shape: ReplyShape, maxTokens = 8192) => new Gbnf(replyGrammar(shape, maxTokens));

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
    assert.equal(grammar({ kind: 'confidence' }, 300).accepts(long), false);
  });

  it('free text keeps non-ASCII characters, and no closing tag or fence inside a field', () => {
    const c = (text: string) => `<root><explanation>${text}</explanation><confidence>5</confidence></root>`;
    const g = grammar({ kind: 'confidence' });
    assert.deepEqual(['1 ≤ n ≤ 10⁵, 答え 😀', 'a < b', 'x </b> y', 'x <</b>'].map((t) => g.accepts(c(t))), [true, true, false, false]);
    const code = grammar({ kind: 'code', lang: 'cpp' });
    assert.deepEqual(['```cpp\n// ≤ `x` ``y`` <<\n```', '```cpp\na\n```\nb\n```'].map((t) => code.accepts(t)), [true, false]);
  });
});

// The proof that a constrained reply always closes: for every agent's reply shape and a range of
// max_tokens, the longest reply its grammar allows, read back from the GBNF text as llama.cpp reads it
// (counts over 2000 unbounded), takes at most max_tokens tokens. Tokens <= bytes of UTF-8 (grammar.ts
// says why: no token a grammar lets through is empty), so the bound is on bytes.
describe('parse/grammar: the longest reply fits max_tokens', () => {
  const shapes: ReplyShape[] = [
    ...[1, 2, 3, 5].map((k) => ({ kind: 'retrieval', k }) as const),
    { kind: 'confidence' }, { kind: 'text' },
    ...LANG_IDS.flatMap((lang) => [{ kind: 'code', lang }, { kind: 'debug', lang }] as const),
  ];
  const budgets = [16, 64, 100, 128, 200, 256, 300, 400, 500, 512, 777, 1000, 1024, 1500, 2048, 3000, 4096, 6000, 8192, 16384, 32768, 40000, 131072];

  for (const shape of shapes) {
    const name = `${shape.kind}${'k' in shape ? ` k=${shape.k}` : ''}${'lang' in shape ? ` ${shape.lang}` : ''}`;
    it(`${name}: at most max_tokens bytes for every max_tokens it can hold, and a clear refusal below`, () => {
      const least = leastReplyTokens(shape);
      for (const maxTokens of budgets) {
        if (maxTokens < least) {
          assert.throws(() => replyGrammar(shape, maxTokens), (e: Error) => e instanceof RangeError && /cannot hold .* need \d+ tokens/.test(e.message));
          continue;
        }
        const longest = new Gbnf(replyGrammar(shape, maxTokens)).maxBytes();
        assert.ok(longest <= maxTokens, `${name} at ${maxTokens}: ${longest} bytes`);
        // Not wasted: the free parts get most of what the envelope leaves.
        assert.ok(longest >= least + 0.8 * (maxTokens - least) - 64, `${name} at ${maxTokens}: only ${longest} bytes`);
      }
    });
  }

  it('the smallest max_tokens a shape needs: retrieval with k = 3 needs a few hundred, a program a few dozen', () => {
    assert.ok(leastReplyTokens({ kind: 'retrieval', k: 3 }) > 256 && leastReplyTokens({ kind: 'retrieval', k: 3 }) < 1024);
    for (const shape of [{ kind: 'code', lang: 'cpp' }, { kind: 'debug', lang: 'python3' }, { kind: 'confidence' }, { kind: 'text' }] as const) {
      assert.ok(leastReplyTokens(shape) <= 128, shape.kind);
    }
  });

  it('a reply at the bound is accepted and one character more is not, in ASCII and in 4-byte characters', () => {
    const g = new Gbnf(replyGrammar({ kind: 'text' }, 256));
    const longest = (unit: string) => {
      let n = 0;
      while (g.accepts(unit.repeat(n + 1))) n++;
      return unit.repeat(n);
    };
    for (const unit of ['x', '😀', 'a<b ']) {
      const text = longest(unit);
      const bytes = new TextEncoder().encode(text).length;
      assert.ok(bytes <= 256 && bytes >= 200, `${unit}: ${bytes} bytes`);
    }
  });

  it('the old reading is caught: a count over 2000 is unbounded on llama.cpp', () => {
    assert.equal(new Gbnf('root ::= [a-z]{0,2001}').maxBytes(), Infinity);
    assert.equal(new Gbnf('root ::= [a-z]{0,2000}').maxBytes(), 2000);
    assert.equal(new Gbnf('root ::= "é" [^a]{2}').maxBytes(), 10);
  });
});
