import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptError, PromptSet, PROMPT_NAMES } from '../../../src/core/agents/prompts';

describe('prompt templates', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mcl-prompts-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the built-in set, one system and one user message per call', () => {
    const set = PromptSet.load();
    for (const name of PROMPT_NAMES) {
      const msgs = set.render(name, { problem: 'P', language: 'C++17', k: 3, fence: 'cpp', io: 'IO', plan: 'PL', code: 'C', report: 'R', samples: 'S', algorithm: 'A' });
      assert.deepEqual(msgs.map((m) => m.role), ['system', 'user'], name);
      assert.ok(!/\{\{/.test(msgs[1].content), `${name}: every placeholder filled`);
    }
    assert.match(set.hash, /^[0-9a-f]{16}$/);
  });

  it('the retrieval and confidence prompts ask for the protocol shapes', () => {
    const set = PromptSet.load();
    const r = set.render('retrieval', { problem: 'P', language: 'Python 3', k: 3 })[1].content;
    for (const tag of ['<root>', '<problem>', '<description>', '<code>', '<planning>', '<algorithm>', '</root>']) assert.ok(r.includes(tag), tag);
    const c = set.render('confidence', { problem: 'P', language: 'Python 3', plan: 'x' })[1].content;
    assert.ok(c.includes('<confidence>') && c.includes('<explanation>'));
  });

  it('drops a section whose variable is empty and keeps it otherwise', () => {
    const set = PromptSet.load();
    const without = set.render('planning', { problem: 'P', language: 'C', algorithm: '' })[1].content;
    assert.ok(!without.includes('Technique that applies'));
    assert.ok(!without.includes('solved before'));
    const withEx = set.render('planning', { problem: 'P', language: 'C', algorithm: 'greedy', exemplar_description: 'EX', exemplar_planning: 'STEPS' })[1].content;
    assert.ok(withEx.includes('greedy') && withEx.includes('EX') && withEx.includes('STEPS'));
  });

  it('inserts values literally (no $-patterns, no placeholder injection)', () => {
    const set = PromptSet.load();
    const code = 'x = "$&" + "{{plan}}"; s.replace(/a/, "$1")';
    const msg = set.render('debugging', { problem: 'P', language: 'JS', fence: 'js', io: '', algorithm: '', plan: 'PLAN', code, report: 'R' })[1].content;
    assert.ok(msg.includes(code));
  });

  it('a custom folder overrides per file and falls back to the built-in ones', () => {
    writeFileSync(join(dir, 'coding.md'), '@@ system\nS\n@@ user\nMY CODING {{problem}} in {{language}}\n');
    const set = PromptSet.load(dir);
    assert.equal(set.render('coding', { problem: 'P', language: 'Rust' })[1].content, 'MY CODING P in Rust');
    assert.match(set.render('retrieval', { problem: 'P', language: 'Rust', k: 2 })[1].content, /<root>/);
    assert.notEqual(set.hash, PromptSet.load().hash, 'the hash tracks the wording');
  });

  it('reports a typo or a broken template before any call', () => {
    writeFileSync(join(dir, 'coding.md'), '@@ system\nS\n@@ user\n{{problme}}\n');
    assert.throws(() => PromptSet.load(dir), (e: Error) => e instanceof PromptError && /unknown placeholder \{\{problme\}\}/.test(e.message));
    writeFileSync(join(dir, 'coding.md'), 'just text\n');
    assert.throws(() => PromptSet.load(dir), /"@@ system"/);
    writeFileSync(join(dir, 'coding.md'), '@@ system\n@@ user\n{{#plan}}x\n');
    assert.throws(() => PromptSet.load(dir), /never closed/);
    assert.throws(() => PromptSet.load(join(dir, 'missing')), /Prompt folder not found/);
  });
});
