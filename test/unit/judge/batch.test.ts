import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch, type BatchOptions } from '../../../src/core/judge/batch';
import { batchHelper, sandboxWorks } from '../../../src/core/judge/sandbox';
import { processesWith } from '../hostile/helpers';
import { waitFor } from './helpers';

// The batch runner, isolated (where the sandbox works) and not (where the helper builds): the same
// behaviour as one process per test, from one spawn.
const modes: [string, boolean][] = [['isolated', true], ['not isolated', false]];

for (const [name, isolated] of modes) {
  const helper = (isolated ? sandboxWorks() : true) ? batchHelper(isolated) : undefined;
  if (!helper) continue;

  describe(`judge/batch runBatch (${name})`, function () {
    this.timeout(20_000);
    let root: string;
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'judge-batch-test-'));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    const sh = (script: string, inputs: string[], extra: Partial<BatchOptions> = {}) =>
      runBatch(['sh', '-c', script], inputs, { root, helper, parallel: 2, wallLimitMs: 5000, sandbox: isolated, ...extra });

    it('gives each input its own run: stdin in, stdout, stderr and the exit code out, in input order', async () => {
      const seen: number[] = [];
      const rs = await sh('read x; echo "got $x"; echo "err $x" >&2; exit $x', ['0', '3', '5', '1'], { onResult: (i) => seen.push(i) });
      assert.deepEqual(rs.map((r) => [r.stdout, r.stderr, r.exitCode, r.signal]), [
        ['got 0\n', 'err 0\n', 0, null], ['got 3\n', 'err 3\n', 3, null], ['got 5\n', 'err 5\n', 5, null], ['got 1\n', 'err 1\n', 1, null],
      ]);
      assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
      assert.ok(rs.every((r) => typeof r.cpuMs === 'number' && (r.memoryKb ?? 0) > 0));
      // Isolated, the tests' directories lived on the batch's own tmpfs; not isolated, the batch removes them.
      const left = isolated ? readdirSync(join(root, 'batch')) : readdirSync(root);
      assert.deepEqual(left, [], 'nothing of the tests is left on disk');
    });

    it('passes input and output bytes through unchanged (binary, no trailing newline, empty)', async () => {
      const odd = 'a\u0000b\r\n\u00e9\u{1F600}';
      const rs = await sh('cat', [odd, '', 'x'.repeat(200_000)]);
      assert.deepEqual(rs.map((r) => r.stdout), [odd, '', 'x'.repeat(200_000)]);
    });

    it('reports death by a signal as the signal', async () => {
      const [r] = await sh('kill -9 $$', ['']);
      assert.deepEqual([r.exitCode, r.signal], [null, 'SIGKILL']);
    });

    it('kills a test on the wall-clock limit and only that test', async () => {
      const rs = await sh('read x; if [ "$x" = slow ]; then sleep 30; fi; echo done', ['fast', 'slow', 'fast'], { wallLimitMs: 300 });
      assert.deepEqual(rs.map((r) => r.timedOut), [false, true, false]);
      assert.deepEqual(rs.map((r) => r.stdout), ['done\n', '', 'done\n']);
      assert.ok(rs[1].timeMs >= 300 && rs[1].timeMs < 5000, `${rs[1].timeMs} ms`);
    });

    it('cuts stdout at the cap and kills the program; keeps the end of stderr', async () => {
      const [out, err] = await sh('read x; if [ "$x" = out ]; then yes; else i=0; while [ $i -lt 300 ]; do echo "line $i" >&2; i=$((i+1)); done; fi', ['out', 'err'],
        { outputCapBytes: 1000 });
      assert.equal(out.stdout.length, 1000);
      assert.deepEqual([out.outputLimitExceeded, out.truncated], [true, true]);
      assert.equal(Buffer.byteLength(err.stderr), 1000);
      assert.ok(err.stderr.endsWith('line 299\n'), err.stderr.slice(-40));
      assert.deepEqual([err.outputLimitExceeded, err.truncated, err.exitCode], [false, true, 0]);
    });

    it('applies the rlimits in every test (CPU time, open files, address space)', async () => {
      const rs = await sh('ulimit -t; ulimit -n; ulimit -v', ['', ''], { wallLimitMs: 2000, memoryLimitMb: 64, memoryRlimit: 'as' });
      for (const r of rs) assert.deepEqual(r.stdout.trim().split('\n'), ['5', '256', String((64 + 64 + 32) * 1024)], r.stderr);
    });

    it('a program that cannot be executed is a spawn error, in every test', async () => {
      const rs = await runBatch(['definitely-not-a-command-xyz'], ['', ''], { root, helper, parallel: 2, wallLimitMs: 5000, sandbox: isolated });
      for (const r of rs) assert.match(r.spawnError ?? '', /failed to execute definitely-not-a-command-xyz/);
    });

    it('runs each test in a fresh directory of its own, with HOME and TMPDIR there', async () => {
      const rs = await sh('test -z "$(ls -A)" && echo empty; touch mine; [ "$HOME" = "$PWD" ] && [ "$TMPDIR" = "$PWD" ] && echo home', ['', '', '']);
      assert.deepEqual(rs.map((r) => r.stdout), ['empty\nhome\n', 'empty\nhome\n', 'empty\nhome\n'], rs.map((r) => r.stderr).join());
    });

    it(isolated ? 'ends everything a test started when the test ends, setsid or not' : 'ends what a test started, setsid or not, by the end of the batch', async () => {
      const mark = `mcl-batch-${randomBytes(4).toString('hex')}`;
      // The child announces itself in a file before the test moves on, so it surely ran.
      const rs = await sh(`setsid sh -c 'touch up; sleep 60; : ${mark}' >/dev/null 2>&1 & while [ ! -e up ]; do sleep 0.01; done; echo started`, ['', '']);
      assert.deepEqual(rs.map((r) => r.stdout), ['started\n', 'started\n']);
      await waitFor(() => (processesWith(mark).length === 0 ? true : undefined), 'the tests\' children to die', 2000);
    });

    it('on abort: rejects with AbortError and leaves no process behind', async () => {
      const mark = `mcl-batch-${randomBytes(4).toString('hex')}`;
      const ac = new AbortController();
      const p = sh(`sleep 60; : ${mark}`, ['', '', ''], { signal: ac.signal });
      await waitFor(() => (processesWith(mark).length > 0 ? true : undefined), 'a test to start');
      ac.abort();
      await assert.rejects(p, (e: Error) => e.name === 'AbortError');
      await waitFor(() => (processesWith(mark).length === 0 ? true : undefined), 'the tests to die');
    });

    if (isolated) {
      it('a test can write only its own directory: not another test\'s, not the batch\'s, not the home', async () => {
        const secret = mkdtempSync(join(homedir(), '.mapcoder-batch-test-'));
        writeFileSync(join(secret, 'secret'), 'TOP-SECRET');
        try {
          const rs = await sh([
            'touch own && echo own',
            'touch ../1/x 2>/dev/null || echo sibling-denied',
            `cat ${secret}/secret 2>/dev/null || echo home-hidden`,
            `umount "$PWD" 2>/dev/null || echo umount-denied`,
            'mount -o remount,rw .. 2>/dev/null || echo remount-denied',
          ].join('; '), ['0', 'untouched']);
          assert.equal(rs[0].stdout, 'own\nsibling-denied\nhome-hidden\numount-denied\nremount-denied\n', rs[0].stderr);
        } finally {
          rmSync(secret, { recursive: true, force: true });
        }
      });

      it('a test sees only its own processes and no network', async () => {
        const [r] = await sh('grep -c : /proc/net/dev; ls /proc | grep -c "^[0-9]"', ['']);
        const [ifaces, procs] = r.stdout.trim().split('\n').map(Number);
        assert.equal(ifaces, 1, r.stdout + r.stderr);
        assert.ok(procs <= 5, `${procs} processes visible`);
      });
    }
  });
}
