import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../../src/core/judge/run';
import { judgeCacheDir, sandboxWorks } from '../../../src/core/judge/sandbox';
import { buildHelper, compileArgs, HELPER_UNITS, linkArgs } from '../../../src/core/judge/sandbox-helper';

// The sandbox the helper builds, run by run. Only where the sandbox works (Linux with user namespaces);
// the hostile tests and sandbox-fallback.test.ts cover the fallback.
if (sandboxWorks()) describe('judge/sandbox helper', function () {
  this.timeout(20_000);
  let dir: string;
  let secretDir: string;
  const helper = process.platform === 'linux' ? buildHelper(judgeCacheDir()) : undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'judge-sandbox-test-'));
    secretDir = mkdtempSync(join(homedir(), '.mapcoder-sandbox-test-'));
    writeFileSync(join(secretDir, 'secret'), 'TOP-SECRET');
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (secretDir) rmSync(secretDir, { recursive: true, force: true });
  });

  it('the build, file by file and then the link, prints no warning under its hardening flags', () => {
    const objs = mkdtempSync(join(dir, 'objs-'));
    for (const args of [...HELPER_UNITS.map((u) => compileArgs(u, objs)), linkArgs(objs, join(objs, 'helper'), false)]) {
      const r = spawnSync('cc', args, { encoding: 'utf8' });
      assert.deepEqual([r.status, r.stderr], [0, ''], `cc ${args.join(' ')}`);
    }
  });

  it('the helper is built once and reused (same file, not rebuilt)', () => {
    assert.ok(helper, 'cc is needed to build the helper');
    const before = statSync(helper).mtimeMs;
    assert.equal(buildHelper(judgeCacheDir()), helper);
    assert.equal(statSync(helper).mtimeMs, before);
    assert.equal(statSync(helper).mode & 0o077, 0);
  });

  describe('one run', () => {
    // A folder of its own: under root the helper hands its folder to the program's id (nobody).
    let own: string;
    const run = (script: string, extra: Partial<Parameters<typeof runProcess>[1]> = {}) =>
      runProcess(['sh', '-c', script], { cwd: own, wallLimitMs: 5000, sandbox: true, sandboxWrapper: { helper: helper! }, ...extra });

    before(() => void (own = mkdtempSync(join(dir, 'run-'))));

    it('feeds stdin, collects stdout, stderr and the exit code', async () => {
      const r = await run('read x; echo "got $x"; echo oops >&2; exit 3', { stdin: 'hello\n' });
      assert.deepEqual([r.stdout, r.stderr, r.exitCode, r.signal], ['got hello\n', 'oops\n', 3, null]);
    });

    it('reports death by a signal as the signal', async () => {
      const r = await run('kill -9 $$');
      assert.deepEqual([r.exitCode, r.signal], [null, 'SIGKILL']);
    });

    it('only its own directory is writable; homes are hidden; /tmp is its own', async () => {
      const marker = `/tmp/mcl-sandbox-test-${process.pid}`;
      const r = await run(`touch ok && echo own; touch /usr/mcl-sandbox-test 2>/dev/null || echo usr-denied; touch ${marker} && echo tmp-private; cat ${secretDir}/secret 2>/dev/null || echo home-hidden`);
      assert.equal(r.stdout, 'own\nusr-denied\ntmp-private\nhome-hidden\n', r.stderr);
      assert.equal(existsSync(marker), false, 'what it wrote in /tmp stayed in its own /tmp');
    });

    it('has no network but loopback (down) and sees only its own processes', async () => {
      // /proc/net/dev: two header lines and lo. Processes: PID 1 (set-up), sh, and the pipeline.
      const r = await run('grep -c : /proc/net/dev; ls /proc | grep -c "^[0-9]"');
      const [ifaces, procs] = r.stdout.trim().split('\n').map(Number);
      assert.equal(ifaces, 1, r.stdout + r.stderr);
      assert.ok(procs <= 5, `${procs} processes visible`);
    });

    it('applies the rlimits (CPU time, open files, address space)', async () => {
      const r = await run('ulimit -t; ulimit -n; ulimit -v', { wallLimitMs: 2000, memoryLimitMb: 64, memoryRlimit: 'as' });
      assert.deepEqual(r.stdout.trim().split('\n'), ['5', '256', String((64 + 64 + 32) * 1024)], r.stderr);
    });

    it('cannot unmount a cover or remount the file system writable', async () => {
      const r = await run(`umount ${homedir()} 2>/dev/null || echo umount-denied; mount -o remount,rw / 2>/dev/null || echo remount-denied`);
      assert.equal(r.stdout, 'umount-denied\nremount-denied\n');
    });
  });

  it('the helper refuses a hide list longer than it holds, in one tagged line, instead of cutting it', () => {
    // A folder of its own: under root the helper hands its folder to the program's id.
    const own = mkdtempSync(join(dir, 'long-list-'));
    const hide = Array.from({ length: 65 }, (_, i) => join(own, `h${i}`));
    const r = spawnSync(helper!, [own, hide.join('\n'), '', '', '', 'true'], { encoding: 'utf8' });
    assert.equal(r.status, 125);
    assert.match(r.stderr, /^mapcoder-lite sandbox: more than 64 entries in the HIDE list: /m);
  });

  it('the helper reports a missing program as a spawn error', async () => {
    const r = await runProcess(['definitely-not-a-command-xyz'], { cwd: mkdtempSync(join(dir, 'missing-')), wallLimitMs: 5000, sandbox: true, sandboxWrapper: { helper: helper! } });
    assert.match(r.spawnError ?? '', /failed to execute definitely-not-a-command-xyz/);
  });
});
