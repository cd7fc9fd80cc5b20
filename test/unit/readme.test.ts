import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli';

// The README is the user's manual: every setting and every CLI option is in it (distill's per-role
// options in its own README), so a new one cannot ship undocumented; and no page of it or of docs/
// names a file that has moved or gone.
const ROOT = resolve(__dirname, '..', '..');
const docs = ['README.md', 'src/distill/README.md'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');

async function help(command: string): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  await main([command, '--help'], out, new PassThrough(), new AbortController().signal);
  return text;
}

describe('README: the manual covers every setting and option', () => {
  it('names every setting', () => {
    const settings = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties)
      .map((k) => k.replace(/^mapcoderLite\./, ''))
      .filter((k) => !k.startsWith('languages.'));
    assert.deepEqual(settings.filter((k) => !docs.includes(`\`${k}\``) && !docs.includes(`mapcoderLite.${k}`)), []);
  });

  it('every file or folder the README and docs/ name exists (a `*` stands for any part of one name)', () => {
    const pages = ['README.md', 'docs/architecture.md', 'docs/agent-protocol.md', 'src/distill/README.md', 'prompts/README.md'];
    const exists = (p: string) => {
      if (!p.includes('*')) return existsSync(join(ROOT, p));
      const name = new RegExp(`^${p.split('/').pop()!.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      const dir = join(ROOT, dirname(p));
      return existsSync(dir) && readdirSync(dir).some((n) => name.test(n));
    };
    const named = pages.flatMap((page) => [...readFileSync(join(ROOT, page), 'utf8').matchAll(/`((?:src|test|bench|prompts|media|docs)\/[^`\s]*)`/g)].map((m) => m[1].replace(/\/$/, '')));
    assert.ok(named.length > 40, `${named.length} paths`);
    assert.deepEqual(named.filter((p) => !exists(p)), []);
  });

  it('links only to absolute URLs: vsce refuses a relative link in the README of a package without a repository', () => {
    const links = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(links.filter((l) => !/^(https?:|mailto:|#)/.test(l)), []);
  });

  it('names every CLI option', async () => {
    const missing: string[] = [];
    for (const command of ['solve', 'samples', 'judge', 'check', 'eval', 'data', 'distill', 'serve', 'engine']) {
      const flags = new Set((await help(command)).match(/--[a-z][a-z-]*/g) ?? []);
      assert.ok(flags.size > 0, command);
      // distill's per-role flags are the endpoint flags under a prefix: the README says so once.
      for (const f of flags) if (!/^--(teacher|student|supervisor)-/.test(f) && !docs.includes(f)) missing.push(`${command} ${f}`);
    }
    assert.deepEqual(missing, []);
  });
});
