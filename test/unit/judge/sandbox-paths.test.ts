import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxPaths } from '../../../src/core/judge/sandbox';

// What the sandbox hides and keeps, as paths (the sandbox itself is tested in sandbox.test.ts and the
// hostile suite). Real folders: sandboxPaths resolves links and reads modes.
describe('judge/sandboxPaths', () => {
  let base: string;
  before(() => {
    base = realpathSync(mkdtempSync(join(process.cwd(), '.mcl-sandbox-paths-')));
    chmodSync(base, 0o755);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  /** A judge's folder `judge-x` with a build directory, under `parent`. */
  const judgeIn = (parent: string) => {
    const work = join(parent, 'mapcoder-lite-judge-0', 'judge-x');
    const cwd = join(work, 'build', 'abc');
    mkdirSync(cwd, { recursive: true });
    return { work, cwd };
  };
  const env = { PATH: '/usr/bin:/bin' };
  /** Hidden itself or inside a hidden folder: the checkout (and so `base`) may sit under /tmp or a home. */
  const covered = (hide: string[], path: string) => hide.some((h) => path === h || path.startsWith(`${h}/`));

  it('in a TMPDIR of its own (mktemp -d), keeps exactly the judge\'s folder: nothing beside it in TMPDIR shows', () => {
    const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'mcl-paths-')));
    try {
      const { work, cwd } = judgeIn(tmp);
      const p = sandboxPaths(cwd, env, { workDir: work, tmp, asNobody: false });
      assert.ok(p.hide.includes('/tmp'), p.hide.join(' '));
      assert.ok(!p.hide.includes(tmp), 'inside the hidden /tmp: covered with it');
      assert.deepEqual(p.keep, [work]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a home that holds the judge\'s folder is hidden all the same; the folder is kept', () => {
    const home = join(base, 'home');
    const { work, cwd } = judgeIn(join(home, 'tmp'));
    const p = sandboxPaths(cwd, env, { workDir: work, home, tmp: join(home, 'tmp'), asNobody: false });
    assert.ok(covered(p.hide, home), p.hide.join(' '));
    assert.ok(!p.hide.includes(join(home, 'tmp')), 'outermost only');
    assert.deepEqual(p.keep, [work]);
  });

  it('as nobody, a folder on the way that others may not enter is hidden (its tmpfs is the way through); not as the user', () => {
    const closed = join(base, 'closed');
    mkdirSync(closed);
    chmodSync(closed, 0o700);
    const { work, cwd } = judgeIn(closed);
    const nobody = sandboxPaths(cwd, env, { workDir: work, asNobody: true });
    assert.ok(covered(nobody.hide, closed), nobody.hide.join(' '));
    assert.deepEqual(nobody.keep.filter((k) => k.startsWith(base)), [work]);
    const user = sandboxPaths(cwd, env, { workDir: work, asNobody: false });
    assert.ok(!user.hide.includes(closed));
    // Nothing hidden on its way, nothing to keep; unless the checkout itself is in a hidden folder.
    assert.deepEqual(user.keep.filter((k) => k.startsWith(base)), covered(user.hide, base) ? [work] : []);
  });

  it('never hides the judge\'s folder itself, closed or not (letProgramThrough opens it), nor what is inside it', () => {
    const { work, cwd } = judgeIn(join(base, 'open'));
    chmodSync(work, 0o700);
    const p = sandboxPaths(cwd, env, { workDir: work, asNobody: true });
    assert.ok(!p.hide.some((h) => h.startsWith(base)), p.hide.join(' '));
    assert.equal(p.cwd, cwd);
    chmodSync(work, 0o755);
  });
});
