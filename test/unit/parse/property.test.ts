import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  extractCode, FormatCounter, parseConfidence, parseConfidenceExplanation, parseDebugReply, parsePlan, parseRetrieval,
} from '../../../src/core/parse';

// Pieces of competitive-programming text rich in the characters XML would trip on. None of them can
// form a known tag name, a CDATA marker or a code fence.
const PIECES = [
  'vector<pair<int,int>>', 'if (a < b && c > d)', 'cout << x', 'x >> 1', 'a&b', '&&', '</', '<', '>', '&', '</b>', '<i>',
  ' ', ' ', '\n', '\t', 'int', 'n', 'x', 'a', 'b', '=', ';', '(', ')', '"', "'", '{', '}', '[i]', '0', '9', '#', '+', '-',
  '*', '.', ':', '<=', '>=', '10^5', 'struct T {};', '好的',
];
const ENTITY = /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/i;
const text = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 30 })
  .map((p) => p.join('').trim())
  .filter((t) => t !== '' && !ENTITY.test(t));
const prose = fc
  .array(fc.constantFrom('Sure! Here you go.', '好的，下面是答案。', 'Note: x < y & y > z.', 'Let me know if this helps.', '1 < 2 > 0'), { maxLength: 3 })
  .map((lines) => lines.join('\n'));
const exemplar = fc.record({ description: text, code: text, planning: text });

// Arbitrary input, and soup made of the fragments the parsers look for.
const FRAGMENTS = [
  '<root>', '</root>', '<problem>', '</problem>', '<Problem id="1">', '<description>', '</description>', '<code>', '</code>',
  '<planning>', '</planning>', '<plan>', '</plan>', '<algorithm>', '</algor', '<algorithm/>', '<confidence>', '</confidence>',
  '<explanation>', '<![CDATA[', ']]>', '&lt;', '&#x1F600;', '&#99999999;', '**', '```cpp\n', '```\n', '~~~', '````', '\n',
  '85%', '0.85', '/100', '/0', 'out of', 'Confidence:', '1e999', '99999999999999999999', 'Corrected plan:', '## Code',
];
const soup = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 40 })
  .map((parts) => parts.join(''));
const anyInput = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), soup);

function parseAll(reply: string): void {
  const counter = new FormatCounter();
  counter.add('retrieval', parseRetrieval(reply, 3).issues);
  counter.add('planning', parseConfidence(reply).issues);
  parseConfidenceExplanation(reply);
  counter.add('coding', extractCode(reply, 'cpp').issues);
  counter.add('debugging', parseDebugReply(reply, 'python3').issues);
  counter.add('planning', parsePlan(reply).issues);
  assert.ok(counter.total() >= 0);
}

describe('parse: properties', () => {
  it('no parser throws, on arbitrary strings or on tag soup', () => {
    fc.assert(fc.property(anyInput, (reply) => parseAll(reply)), { numRuns: 400 });
  });

  it('confidence always lies in 0..100', () => {
    fc.assert(fc.property(anyInput, (reply) => {
      const v = parseConfidence(reply).value;
      assert.ok(v >= 0 && v <= 100 && Number.isFinite(v), String(v));
    }), { numRuns: 300 });
  });

  it('well-formed retrieval replies in noise come back byte for byte', () => {
    const styles = fc.record({
      exemplars: fc.array(exemplar, { minLength: 1, maxLength: 4 }),
      algorithm: text,
      before: prose,
      after: prose,
      fence: fc.boolean(),
      dropRootClose: fc.boolean(),
      upper: fc.boolean(),
      indent: fc.constantFrom('', '  ', '\n', '\n    '),
    });
    fc.assert(fc.property(styles, (s) => {
      const t = (name: string) => (s.upper ? name.toUpperCase() : name);
      const field = (name: string, v: string) => `${s.indent}<${t(name)}>${v}</${t(name)}>`;
      const problems = s.exemplars
        .map((e) => `${s.indent}<${t('problem')}>${field('description', e.description)}${field('code', e.code)}${field('planning', e.planning)}${s.indent}</${t('problem')}>`)
        .join('');
      let xml = `<${t('root')}>${problems}${field('algorithm', s.algorithm)}\n${s.dropRootClose ? '' : `</${t('root')}>`}`;
      if (s.fence) xml = '```xml\n' + xml + '\n```';
      const reply = `${s.before}\n${xml}\n${s.dropRootClose ? '' : s.after}`;
      const r = parseRetrieval(reply, 4);
      assert.deepEqual(r.value, { exemplars: s.exemplars.map((e) => ({ ...e })), algorithm: s.algorithm });
      assert.equal(r.ok, true);
      assert.ok(r.issues.every((i) => i.recovered));
    }), { numRuns: 300 });
  });

  it('confidence in any accepted shape is read back', () => {
    const shapes = [
      (n: number, e: string) => `<root>\n<explanation>${e}</explanation>\n<confidence>${n}</confidence>\n</root>`,
      (n: number, e: string) => `${e}\nConfidence: ${n}`,
      (n: number, e: string) => `<root><explanation>${e}</explanation><confidence>${n}%</confidence></root>`,
      (n: number, e: string) => `<explanation>${e}</explanation>\n**Confidence:** ${n}/100`,
      (n: number) => `${n}`,
    ];
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: shapes.length - 1 }), text, (n, i, e) => {
      assert.equal(parseConfidence(shapes[i](n, e)).value, n);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 99 }), (n) => {
      assert.equal(parseConfidence(`<confidence>${n / 100}</confidence>`).value, n);
    }));
  });

  it('fenced code in noise comes back byte for byte, plan included for debugging replies', () => {
    const tags = fc.constantFrom('cpp', 'c++', 'cc', 'C++');
    fc.assert(fc.property(text, text, prose, prose, tags, (code, plan, before, after, tag) => {
      const reply = `${before}\n\n\`\`\`${tag}\n${code}\n\`\`\`\n${after}`;
      assert.deepEqual(extractCode(reply, 'cpp'), { value: code, ok: true, issues: [] });
      const debug = parseDebugReply(`${plan}\n\n\`\`\`${tag}\n${code}\n\`\`\`\n${after}`, 'cpp');
      assert.deepEqual(debug.value, { plan, code });
    }), { numRuns: 300 });
  });
});
