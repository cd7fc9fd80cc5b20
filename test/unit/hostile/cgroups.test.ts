import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeIsolation, Judge, judgeCapabilities } from '../../../src/core/judge';
import { cgroupSpec, judgeCgroups, parseMountinfo, parseProcCgroup, type JudgeCgroups } from '../../../src/core/judge/cgroup';
import { batchHelper, sandboxWorks } from '../../../src/core/judge/sandbox';
import { waitFor } from '../judge/helpers';
import { stdioProblem } from './helpers';

// What rlimits cannot bound, because each holds per process: the memory of all a test's processes
// together, and their number. Each test gets control groups of its own where the judge may make them.
const ROOT = resolve(__dirname, '..', '..', '..');
const isRoot = process.getuid?.() === 0;

// Eight children of 100 MB each, every one well inside a 256 MB address space; 800 MB together.
const HOG = `#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
  for (int i = 0; i < 8; i++)
    if (fork() == 0) { char *p = malloc(100 << 20); memset(p, 1, 100 << 20); sleep(1); _exit(p[4096] - 1); }
  int status, killed = 0;
  while (wait(&status) > 0) killed += !WIFEXITED(status);
  printf("%d killed\\n", killed);
}
`;

// Forks children that wait, until fork fails or 2000 are up; prints how many it got.
const FORKS = `#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
int main(void) {
  int n = 0;
  while (n < 2000 && fork_one()) n++;
  printf("%d\\n", n);
}
`.replace('int main', 'static int fork_one(void) { pid_t p = fork(); if (p == 0) { pause(); _exit(0); } return p > 0; }\nint main');

describe('hostile: control groups per test', function () {
  this.timeout(60_000);

  describe('where the judge finds them and what it writes', () => {
    it('reads cgroup mounts and this process\'s groups, v1 and v2', () => {
      const mountinfo = [
        '35 25 0:30 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory',
        '36 25 0:31 / /sys/fs/cgroup/pids rw,relatime shared:15 - cgroup cgroup rw,pids',
        '37 25 0:32 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
        '38 25 0:33 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate',
      ].join('\n');
      assert.deepEqual(parseMountinfo(mountinfo), {
        v2: '/sys/fs/cgroup/unified',
        v1: { rw: '/sys/fs/cgroup/memory', memory: '/sys/fs/cgroup/memory', pids: '/sys/fs/cgroup/pids', cpu: '/sys/fs/cgroup/cpu,cpuacct', cpuacct: '/sys/fs/cgroup/cpu,cpuacct' },
      });
      assert.deepEqual(parseProcCgroup('8:pids:/\n4:memory:/a/b\n2:cpu,cpuacct:/c\n0::/user.slice/x.scope\n'), {
        pids: '/', memory: '/a/b', cpu: '/c', cpuacct: '/c', '': '/user.slice/x.scope',
      });
    });

    it('gives each test its limits: v2 in one group, v1 in memory (swap after memory) and pids', () => {
      const v2: JudgeCgroups = { version: 2, dirs: ['/g/j'], swapFile: 'memory.swap.max' };
      const v1: JudgeCgroups = { version: 1, dirs: ['/m/j', '/p/j'], swapFile: 'memory.memsw.limit_in_bytes' };
      assert.equal(cgroupSpec(v2, 1), '/g/j\tmemory.max=1048576\tmemory.swap.max=0\tpids.max=512');
      assert.equal(cgroupSpec(v1, 1, 7), '/m/j\tmemory.limit_in_bytes=1048576\tmemory.memsw.limit_in_bytes=1048576\n/p/j\tpids.max=7');
      assert.equal(cgroupSpec({ ...v1, swapFile: undefined }, undefined), '/m/j\n/p/j\tpids.max=512');
    });
  });

  const helper = sandboxWorks() ? batchHelper(true) : batchHelper(false);
  const groups = helper ? judgeCgroups(helper) : undefined;
  // As root where the v1 memory and pids hierarchies are mounted (this machine, CI), or on v2 at its top.
  const expected = isRoot && process.platform === 'linux'
    && (existsSync('/sys/fs/cgroup/memory/cgroup.procs') || existsSync('/sys/fs/cgroup/cgroup.subtree_control'));

  it(`are found ${isRoot ? 'as root' : 'only where this user may make groups'}, and said in the isolation sentence`, function () {
    if (!expected) {
      assert.equal(groups, undefined);
      return;
    }
    assert.ok(groups, 'the judge found a hierarchy to use');
    assert.match(describeIsolation(judgeCapabilities()), new RegExp(`at most 512 processes \\(cgroup v${groups.version}\\)`));
  });

  if (expected) describe('in the judge, as root', () => {
    let dir: string;
    let judge: Judge;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'mcl-cg-'));
      chmodSync(dir, 0o755); // under root the program runs as nobody, and must reach its folder
      judge = new Judge({ workRoot: join(dir, 'judge') });
    });
    after(async () => {
      await judge.dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    const leftGroups = () => groups!.dirs.flatMap((d) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
    afterEach(() => assert.deepEqual(leftGroups(), [], 'every test\'s group is removed'));

    it('eight processes of 100 MB under a 256 MB limit (each inside its address space) are MLE, said so', async () => {
      const r = await judge.judge({ code: HOG, lang: 'c', problem: stdioProblem('', '0 killed\n', { timeLimitMs: 5000, memoryLimitMb: 256 }) });
      assert.equal(r.verdict, "MLE", `${r.compile?.message} ${r.tests[0]?.actual}`);
      assert.match(r.tests[0].stderr, /all its processes together/);
    });

    it('without them (MAPCODER_CGROUP=off) the same program passes: what rlimits alone do not bound', () => {
      const statement = join(dir, 'hog.md');
      const source = join(dir, 'hog.c');
      writeFileSync(statement, '# Hog\n\nTime limit: 20 seconds. Memory limit: 256 megabytes.\n\n## Example\n\n```input\n\n```\n\n```output\n0 killed\n```\n');
      writeFileSync(source, HOG);
      const r = spawnSync('node', [join(ROOT, 'dist/cli.js'), 'judge', statement, source], { encoding: 'utf8', env: { ...process.env, MAPCODER_CGROUP: 'off' }, timeout: 50_000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /cgroup/);
    });

    it('a test gets at most 512 processes, real root or not', async () => {
      const r = await judge.judge({ code: FORKS, lang: 'c', problem: stdioProblem('', 'x\n', { timeLimitMs: 5000 }) });
      const n = Number(r.tests[0].actual.trim());
      assert.ok(n > 0 && n < 512, `forked ${r.tests[0].actual} ${r.tests[0].stderr}`);
    });

    it('a cancelled test leaves no group (so no process: a group with one cannot be removed)', async () => {
      const stop = new AbortController();
      const run = judge.judge({ code: 'import time\ntime.sleep(30)\n', lang: 'python3', problem: stdioProblem('', '\n', { timeLimitMs: 20_000 }), signal: stop.signal });
      await waitFor(() => (leftGroups().length > 0 ? true : undefined), 'the test\'s group', 10_000);
      stop.abort();
      await assert.rejects(run, /abort/i);
    });
  });
});
