import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxWorks } from '../../../src/core/judge/sandbox';
import { buildCli, FIXTURES, fixture, isRoot, marker, noneLeft, ROOT, runAs, spawnAs, TEST_USER, useOrdinaryUser } from './helpers';

// A judged program may not reach a Unix socket of the host: an ssh-agent, a Docker or Podman socket
// (root-equivalent), an editor's or language server's. The sockets below listen as the user whose
// sockets they would be, in every kind of place: /tmp, the judge's own TMPDIR (a `mktemp -d`, the case
// that got through: the whole TMPDIR was kept visible), a folder the sandbox leaves visible (a
// repository; a read-only mount does not stop a connect), /run/user/UID, and an abstract socket. The
// CLI judges unix-connect.py, which tries each and a socket pair of its own, as root and as an
// ordinary user.
const USER = TEST_USER;

if (sandboxWorks()) describe('hostile: the host\'s Unix sockets, from a judged program', function () {
  this.timeout(60_000);
  if (isRoot) useOrdinaryUser();
  before(() => void buildCli());

  for (const as of isRoot ? [undefined, USER] : [undefined]) {
    const who = as ? 'an ordinary user' : isRoot ? 'root' : 'this user';
    describe(`as ${who}`, () => {
      let mark: string;
      let tmp: string;
      let visible: string;
      let runDir: string | undefined;
      let madeRunDir = false;
      let listener: ChildProcess;
      let accepted: number[];
      let sockets: string[];

      before(async () => {
        mark = marker();
        const uid = as ? Number(runAs(as, ['id', '-u']).stdout.trim()) : process.getuid!();
        // The judge's TMPDIR: a folder of its own, 0700, made by the user.
        tmp = as ? runAs(as, ['mktemp', '-d', `/tmp/${mark}-XXXXXX`]).stdout.trim() : mkdtempSync(`/tmp/${mark}-`);
        visible = join(ROOT, `.${mark}`);
        mkdirSync(visible, { mode: 0o755 });
        if (as) chownSync(visible, uid, uid);
        runDir = `/run/user/${uid}`;
        if (!existsSync(runDir) && isRoot) {
          mkdirSync(runDir, { recursive: true, mode: 0o700 });
          chownSync(runDir, uid, uid);
          madeRunDir = true;
        }
        if (!existsSync(runDir)) runDir = undefined;
        sockets = [`/tmp/${mark}.sock`, join(tmp, 'agent.sock'), join(visible, 'docker.sock'), ...(runDir ? [join(runDir, `${mark}.sock`)] : []), `@${mark}`];
        // Its addresses on stdin, so that no process of the host but the judge's carries the run's marker.
        listener = spawnAs(as, ['python3', join(FIXTURES, 'unix-listen.py')]);
        listener.stdin!.end(sockets.join('\n'));
        accepted = [];
        let out = '';
        await new Promise<void>((resolve, reject) => {
          listener.once('exit', (code) => reject(new Error(`the listener exited (${code})`)));
          listener.stdout!.setEncoding('utf8').on('data', (d: string) => {
            out += d;
            for (const m of d.matchAll(/accepted (\d+)/g)) accepted.push(Number(m[1]));
            if (out.startsWith('ready\n')) resolve();
          });
        });
        writeFileSync(join(visible, 'probe.md'), `# Probe\n\n## Example\n\n\`\`\`input\n${sockets.join('\n')}\n\`\`\`\n\n\`\`\`output\n${sockets.map((_, i) => `${i} held\n`).join('')}socketpair works\n\`\`\`\n`);
        writeFileSync(join(visible, 'probe.py'), fixture('unix-connect.py'));
        chmodSync(join(visible, 'probe.md'), 0o644);
        chmodSync(join(visible, 'probe.py'), 0o644);
      });

      after(async () => {
        listener?.kill('SIGKILL');
        await noneLeft(mark);
        for (const s of sockets ?? []) if (!s.startsWith('@')) rmSync(s, { force: true });
        rmSync(visible, { recursive: true, force: true });
        rmSync(tmp, { recursive: true, force: true });
        if (madeRunDir && runDir) rmSync(runDir, { recursive: true, force: true });
      });

      it('none is reached: not in /tmp, the judge\'s own TMPDIR, a visible folder, /run/user, nor an abstract one; a socket pair of its own works', async () => {
        const r = runAs(as, ['node', buildCli(), 'judge', join(visible, 'probe.md'), join(visible, 'probe.py'), '--json'], { TMPDIR: tmp });
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.equal(JSON.parse(r.stdout).tests[0].actual, `${sockets.map((_, i) => `${i} held\n`).join('')}socketpair works\n`);
        // The listener reads its sockets' queues at once: a connection that got through is counted by now.
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(accepted, [], 'no socket saw a connection');
        await noneLeft(mark);
        // Nothing of the run stays in TMPDIR but the judge's cached helper (and the socket the user made there).
        const left = readdirSync(tmp).filter((f) => f !== 'agent.sock');
        assert.deepEqual(left, [`mapcoder-lite-judge-${as ? runAs(as, ['id', '-u']).stdout.trim() : process.getuid!()}`]);
        assert.ok(readdirSync(join(tmp, left[0])).every((f) => f.startsWith('sandbox-helper-')), readdirSync(join(tmp, left[0])).join(' '));
      });

      it('the same connect from outside the sandbox gets through (the sockets are real)', () => {
        const direct = runAs(as, ['sh', '-c', `printf '%s\\n' ${sockets.map((s) => `'${s}'`).join(' ')} | python3 ${join(FIXTURES, 'unix-connect.py')}`]);
        assert.equal(listener.exitCode, null, 'listener alive');
        assert.equal(direct.stdout, `${sockets.map((_, i) => `${i} ESCAPED\n`).join('')}socketpair works\n`, direct.stderr);
      });
    });
  }
});
