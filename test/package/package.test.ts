import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const pkg = require(join(ROOT, 'package.json')) as { version: string; icon: string; contributes: { viewsContainers: { activitybar: { icon: string }[] } } };

/** What a user installs: the VSIX `vsce package` writes offline from this clone, and the CLI `npm install -g .` puts on PATH. */
describe('package', function () {
  this.timeout(240_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-package-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('vsce packages a lean VSIX with everything the extension loads and no sources', () => {
    const vsix = join(dir, 'mcl.vsix');
    execFileSync(join(ROOT, 'node_modules/.bin/vsce'), ['package', '--out', vsix], { cwd: ROOT, stdio: 'pipe' });
    const entries = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' })
      .trim().split('\n').filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
    // vsce stores the readme and licence as readme.md and LICENSE.txt.
    for (const needed of ['package.json', 'readme.md', 'LICENSE.txt', 'dist/extension.js', 'dist/core-worker.js', 'dist/cli.js', 'dist/webview.js', 'dist/codicons/codicon.css',
      'dist/codicons/codicon.ttf', 'dist/ThirdPartyNotices.txt', 'media/webview.css', 'media/walkthrough/server.md', 'media/walkthrough/sum-of-two.md', pkg.icon, pkg.contributes.viewsContainers.activitybar[0].icon, 'prompts/coding.md',
      'dist/helper/helper.h', 'dist/helper/setup.c', 'dist/helper/single.c', 'dist/helper/function-harness.py', 'dist/helper/hidden-harness.py']) {
      assert.ok(entries.includes(needed), `${needed} is packaged: ${entries.join(', ')}`);
    }
    const strays = entries.filter((e) => /\.(ts|map)$/.test(e) || e.startsWith('node_modules/') || e.startsWith('src/') || e.startsWith('test/'));
    assert.deepEqual(strays, []);
    assert.ok(statSync(vsix).size < 600 * 1024, `${statSync(vsix).size} bytes`);
  });

  it('npm install -g . puts a working mapcoder-lite on PATH', () => {
    const prefix = join(dir, 'global');
    execFileSync('npm', ['install', '-g', '.', '--prefix', prefix, '--no-audit', '--no-fund', '--offline'], { cwd: ROOT, stdio: 'pipe' });
    const version = execFileSync('mapcoder-lite', ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } });
    assert.equal(version, `${pkg.version}\n`);
  });
});
