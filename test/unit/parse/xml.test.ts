import { strict as assert } from 'node:assert';
import { scanTags, TagSpec } from '../../../src/core/parse/xml';

const SPEC: TagSpec = {
  fields: { description: ['description'], code: ['code'], planning: ['planning', 'plan'], algorithm: ['algorithm'] },
  group: { names: ['problem'], fields: ['description', 'code', 'planning'] },
};
const kinds = (r: { issues: { kind: string }[] }) => r.issues.map((i) => i.kind).sort();

describe('parse/xml: root span', () => {
  it('reads a clean reply with no issue', () => {
    const r = scanTags('<root><problem><description>d</description></problem><algorithm>a</algorithm></root>', SPEC);
    assert.deepEqual(r.groups, [{ description: 'd' }]);
    assert.deepEqual(r.top, { algorithm: ['a'] });
    assert.deepEqual(r.issues, []);
  });

  it('tolerates prose around <root>, and tells it apart from a bare fence', () => {
    const prose = scanTags('Sure!\n<root><algorithm>a</algorithm></root>\nBye', SPEC);
    assert.deepEqual(prose.top.algorithm, ['a']);
    assert.deepEqual(kinds(prose), ['text_outside_root']);
    const fenced = scanTags('```xml\n<root><algorithm>a</algorithm></root>\n```\n', SPEC);
    assert.deepEqual(fenced.top.algorithm, ['a']);
    assert.deepEqual(kinds(fenced), ['fenced_root']);
  });

  it('reads tags at top level when <root> is missing', () => {
    const r = scanTags('Here:\n<algorithm>a</algorithm>\n', SPEC);
    assert.deepEqual(r.top.algorithm, ['a']);
    assert.deepEqual(kinds(r), ['missing_root']);
  });

  it('reads to the end when </root> is missing, dropping the ```xml wrapper fence', () => {
    const r = scanTags('```xml\n<root><algorithm>greedy</algorithm>\n```', SPEC);
    assert.deepEqual(r.top.algorithm, ['greedy']);
    assert.deepEqual(kinds(r), ['fenced_root', 'missing_root_close']);
  });

  it('spans from the first <root> to the last </root> and notes a duplicate root', () => {
    const r = scanTags('<root><algorithm>a</algorithm></root>\n<root><algorithm>b</algorithm></root>', SPEC);
    assert.deepEqual(r.top.algorithm, ['a', 'b']);
    assert.deepEqual(kinds(r), ['duplicate_root']);
  });

  it('drops a tag fragment left by a reply cut short, and keeps a lone `<` of code', () => {
    const cut = scanTags('<root><algorithm>sweep line\n</algor', SPEC);
    assert.deepEqual(cut.top.algorithm, ['sweep line\n']);
    assert.deepEqual(kinds(cut), ['missing_root_close', 'truncated_tag', 'unclosed_tag']);
    const code = scanTags('<root><problem><code>if (a <', SPEC);
    assert.equal(code.groups[0].code, 'if (a <');
  });
});

describe('parse/xml: fields', () => {
  it('keeps field text raw: <, >, &, </ of code survive byte for byte', () => {
    const code = '#include <bits/stdc++.h>\nvector<pair<int,int>> v;\nif (a < b && c > d) cout << x << "</div>" << endl;\n';
    const r = scanTags(`<root><problem><code>${code}</code></problem></root>`, SPEC);
    assert.equal(r.groups[0].code, code);
    assert.deepEqual(r.issues, []);
  });

  it('treats a known tag name inside code as text when it sits mid-line', () => {
    const code = '\nstruct Problem { int id; };\nvector<Problem> ps; map<int, Problem> byId;\n';
    const r = scanTags(`<root><problem><code>${code}</code><planning>p</planning></problem></root>`, SPEC);
    assert.equal(r.groups[0].code, code);
    assert.equal(r.groups[0].planning, 'p');
    assert.deepEqual(r.issues, []);
  });

  it('ends an unclosed field at the next tag that starts a line', () => {
    const r = scanTags('<root>\n<problem>\n<code>\nint main() {}\n<planning>p</planning>\n</problem>\n</root>', SPEC);
    assert.equal(r.groups[0].code, '\nint main() {}\n');
    assert.equal(r.groups[0].planning, 'p');
    assert.deepEqual(kinds(r), ['unclosed_tag']);
  });

  it('ends an unclosed field at a container close that ends its line', () => {
    const r = scanTags('<root><problem><planning>p\n</problem>\n<problem><planning>q</planning></problem></root>', SPEC);
    assert.deepEqual(r.groups.map((g) => g.planning), ['p\n', 'q']);
    assert.deepEqual(kinds(r), ['unclosed_tag']);
  });

  it('matches tags case-insensitively, with attributes and whitespace inside the tag', () => {
    const r = scanTags('<ROOT><Problem id="1" kind=x><Code lang="cpp" >x</CODE ></Problem></root >', SPEC);
    assert.deepEqual(r.groups, [{ code: 'x' }]);
    assert.deepEqual(r.issues, []);
  });

  it('reads a self-closing field as empty', () => {
    assert.deepEqual(scanTags('<root><algorithm/></root>', SPEC).top.algorithm, ['']);
  });

  it('does not see tags inside CDATA', () => {
    const r = scanTags('<root><problem><code><![CDATA[s = "</code>";]]></code></problem></root>', SPEC);
    assert.equal(r.groups[0].code, '<![CDATA[s = "</code>";]]>');
  });

  it('accepts a synonym, and a close tag of the same field under another name', () => {
    const r = scanTags('<root><problem><plan>p</planning></problem></root>', SPEC);
    assert.equal(r.groups[0].planning, 'p');
    assert.deepEqual(kinds(r), ['mismatched_close', 'tag_synonym']);
  });

  it('keeps the first of two fields in one problem', () => {
    const r = scanTags('<root><problem><code>a</code><code>b</code></problem></root>', SPEC);
    assert.equal(r.groups[0].code, 'a');
    assert.deepEqual(kinds(r), ['duplicate_field']);
  });

  it('groups fields without a <problem> into implicit problems', () => {
    const r = scanTags('<root><description>1</description><code>c1</code><description>2</description><code>c2</code></root>', SPEC);
    assert.deepEqual(r.groups, [{ description: '1', code: 'c1' }, { description: '2', code: 'c2' }]);
    assert.deepEqual(kinds(r), ['missing_container', 'missing_container']);
  });

  it('closes a problem left open when the algorithm begins', () => {
    const r = scanTags('<root><problem><code>c</code>\n<algorithm>a</algorithm></root>', SPEC);
    assert.deepEqual(r.groups, [{ code: 'c' }]);
    assert.deepEqual(r.top.algorithm, ['a']);
    assert.deepEqual(kinds(r), ['unclosed_tag']);
  });

  it('reads markdown-bold tags and notes them; a bold word at the start of a field stays', () => {
    const r = scanTags('**<root>**\n**<algorithm>**\n**Greedy:** sort\n**</algorithm>**\n**</root>**', SPEC);
    assert.deepEqual(r.top.algorithm, ['\n**Greedy:** sort\n']);
    assert.deepEqual(kinds(r), ['markdown_tag']);
  });

  it('notes a stray close tag', () => {
    assert.deepEqual(kinds(scanTags('<root></problem><algorithm>a</algorithm></root>', SPEC)), ['stray_close']);
  });

  it('with an optional root, reports nothing about it', () => {
    const r = scanTags('Plan:\n<plan>x</plan>', { fields: { plan: ['plan'] }, expectRoot: false });
    assert.deepEqual(r.top.plan, ['x']);
    assert.deepEqual(r.issues, []);
  });
});
