import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

// Where no C compiler builds the helper there is no sandbox: the judge runs programs under rlimits only
// (prlimit), as it does without user namespaces, and says what the sandbox needs. A CLI run from source
// whose PATH holds python3 and prlimit but no `cc`, with a cache folder of its own (no helper built yet).
if (process.platform === 'linux' && spawnSync('prlimit', ['--version']).status === 0) describe('judge: no C compiler, no sandbox', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-no-cc-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(python, join(bin, 'python3'));
    symlinkSync(spawnSync('sh', ['-c', 'command -v prlimit'], { encoding: 'utf8' }).stdout.trim(), join(bin, 'prlimit'));
    mkdirSync(join(dir, 'tmp'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('judges under rlimits only, says the sandbox needs cc in one line, and leaves no half-built helper', async () => {
    const env = { PATH: join(dir, 'bin'), TMPDIR: join(dir, 'tmp'), HOME: dir };
    const problem = join(ROOT, 'test/fixtures/problems/sum.md');
    const r = await new Promise<{ code: number; out: string; err: string }>((res) =>
      execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'judge', problem, join(ROOT, 'test/fixtures/problems/sum.py')], { cwd: ROOT, env },
        (e, out, err) => res({ code: e ? Number((e as NodeJS.ErrnoException).code) : 0, out, err })));
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /2\/2 passed, verdict AC/);
    const line = r.out.split('\n').find((l) => l.startsWith('Programs run'));
    assert.match(line ?? '', /^Programs run under resource limits only \(no namespace sandbox here\).* The sandbox needs a C compiler \(cc\) to build its helper/, r.out);
    const cache = readdirSync(join(dir, 'tmp')).find((f) => f.startsWith('mapcoder-lite-judge-'));
    const left = cache ? readdirSync(join(dir, 'tmp', cache)).filter((f) => f.startsWith('sandbox-helper') || f.startsWith('build-')) : [];
    assert.deepEqual(left, []);
  });
});
