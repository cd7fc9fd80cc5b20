import { strict as assert } from 'node:assert';
import { parseRetrieval } from '../../../src/core/parse';

const problem = (i: number) =>
  `<problem>\n<description>d${i}</description>\n<code>\nprint(${i})\n</code>\n<planning>p${i}</planning>\n</problem>`;
const reply = (n: number, algorithm = '<algorithm>greedy</algorithm>') =>
  `<root>\n${Array.from({ length: n }, (_, i) => problem(i + 1)).join('\n')}\n${algorithm}\n</root>`;
const kinds = (r: { issues: { kind: string }[] }) => r.issues.map((i) => i.kind).sort();

describe('parse/retrieval', () => {
  it('reads k exemplars and the algorithm with no issue', () => {
    const r = parseRetrieval(reply(3), 3);
    assert.equal(r.ok, true);
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.value.exemplars[1], { description: 'd2', code: 'print(2)', planning: 'p2' });
    assert.equal(r.value.algorithm, 'greedy');
  });

  it('one <problem> is a list of one', () => {
    const r = parseRetrieval(reply(1), 1);
    assert.equal(r.value.exemplars.length, 1);
    assert.deepEqual(r.issues, []);
  });

  it('keeps the first k of more than k problems', () => {
    const r = parseRetrieval(reply(5), 3);
    assert.deepEqual(r.value.exemplars.map((e) => e.description), ['d1', 'd2', 'd3']);
    assert.deepEqual(kinds(r), ['too_many_problems']);
  });

  it('keeps fewer than k with a recovered issue', () => {
    const r = parseRetrieval(reply(2), 3);
    assert.equal(r.value.exemplars.length, 2);
    assert.deepEqual(r.issues.map((i) => [i.kind, i.recovered]), [['too_few_problems', true]]);
  });

  it('with no problem but an algorithm: no exemplars, still ok', () => {
    const r = parseRetrieval(reply(0), 3);
    assert.equal(r.ok, true);
    assert.deepEqual(r.value.exemplars, []);
    assert.deepEqual(r.issues.map((i) => [i.kind, i.recovered]), [['no_problems', false]]);
  });

  it('a missing algorithm is empty, not a failure, when exemplars exist', () => {
    const r = parseRetrieval(reply(3, ''), 3);
    assert.equal(r.ok, true);
    assert.equal(r.value.algorithm, '');
    assert.deepEqual(r.issues.map((i) => [i.kind, i.recovered]), [['missing_algorithm', false]]);
  });

  it('is a fallback (ok=false) when neither exemplars nor algorithm were found', () => {
    for (const text of ['', 'I cannot help with that.', '<root></root>']) {
      const r = parseRetrieval(text, 3);
      assert.equal(r.ok, false, text);
      assert.deepEqual(r.value, { exemplars: [], algorithm: '' });
    }
  });

  it('does not cap when k is not a positive number', () => {
    assert.equal(parseRetrieval(reply(4), 0).value.exemplars.length, 4);
  });

  it('fills a missing field with "" and drops a problem with no field', () => {
    const r = parseRetrieval('<root><problem><description>d</description><code>c</code></problem><problem></problem><algorithm>a</algorithm></root>', 1);
    assert.deepEqual(r.value.exemplars, [{ description: 'd', code: 'c', planning: '' }]);
    assert.deepEqual(kinds(r), ['empty_problem', 'missing_field']);
  });

  it('decodes entities only in a field escaped for XML (entities and no raw <)', () => {
    const escaped = parseRetrieval('<root><problem><description>a &amp; b</description><code>if (a &lt; b &amp;&amp; c &gt; d) x = 1;</code><planning>p</planning></problem></root>', 1);
    assert.equal(escaped.value.exemplars[0].code, 'if (a < b && c > d) x = 1;');
    assert.equal(escaped.value.exemplars[0].description, 'a & b');
    assert.deepEqual(kinds(escaped), ['escaped_entities', 'escaped_entities', 'missing_algorithm']);
    const raw = 'cout << "&lt;" << (a < b);';
    assert.equal(parseRetrieval(`<root><problem><code>${raw}</code></problem></root>`, 1).value.exemplars[0].code, raw);
  });

  it('unwraps CDATA without decoding its entities', () => {
    const r = parseRetrieval('<root><problem><code><![CDATA[\nputs("&amp;" < x)\n]]></code></problem></root>', 1);
    assert.equal(r.value.exemplars[0].code, 'puts("&amp;" < x)');
  });

  it('strips one wrapping fence inside <code> (no issue) and dedents pretty-printed Python', () => {
    const r = parseRetrieval('<root><problem><code>\n    ```python\n    def f(x):\n        return x\n    print(f(1))\n    ```\n    </code><planning>p</planning><description>d</description></problem></root>', 1);
    assert.equal(r.value.exemplars[0].code, 'def f(x):\n    return x\nprint(f(1))');
    assert.deepEqual(kinds(r), ['missing_algorithm']);
  });

  it('strips an opening fence left unclosed inside <code>', () => {
    const r = parseRetrieval('<root><problem><code>```cpp\nint main() {}\n</code></problem></root>', 1);
    assert.equal(r.value.exemplars[0].code, 'int main() {}');
  });

  it('accepts tag synonyms with an issue', () => {
    const r = parseRetrieval('<root><problem><problem_description>d</problem_description><solution>c</solution><plan>p</plan></problem><algorithms>a</algorithms></root>', 1);
    assert.deepEqual(r.value, { exemplars: [{ description: 'd', code: 'c', planning: 'p' }], algorithm: 'a' });
    assert.deepEqual(kinds(r), ['tag_synonym', 'tag_synonym', 'tag_synonym', 'tag_synonym']);
  });
});
