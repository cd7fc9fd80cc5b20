import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Judge } from '../../../src/core/judge';
import { runProcess } from '../../../src/core/judge/run';
import { judgeCacheDir, sandboxWorks } from '../../../src/core/judge/sandbox';
import { buildHelper } from '../../../src/core/judge/sandbox-helper';
import { buildCli, FIXTURES, fixture, isRoot, marker, runAs, stdioProblem, TEST_USER, useOrdinaryUser, userFolder } from './helpers';

// What a program that wants the host tries (contain-probe.c): host sysctls, /sys, devices, mounts,
// namespaces, tracing, BPF, kernel keys, perf, a Unix socket a host process listens on in /tmp. Under
// root (the case that broke: uid 0 in the namespace was host root) and as an ordinary user.
const PROBES = ['core_pattern', 'swappiness', 'sysrq', 'sys', 'mknod', 'dev', 'mount', 'unshare', 'setns', 'ptrace', 'bpf', 'keyctl', 'perf',
  'capabilities', 'no_new_privs', 'seccomp', 'unix_socket'];
const HELD = `${PROBES.map((p) => `${p} held`).join('\n')}\n`;
const KNOBS = ['/proc/sys/kernel/core_pattern', '/proc/sys/vm/swappiness'];
const USER = TEST_USER;

const knobs = () => KNOBS.map((k) => readFileSync(k, 'utf8'));

/** A Unix socket in the host's /tmp that anyone may connect to, counting who did. */
async function hostSocket(): Promise<{ path: string; accepted: () => number; close: () => Promise<void> }> {
  const path = join('/tmp', `${marker()}.sock`);
  let accepted = 0;
  const server: Server = createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(path, r));
  chmodSync(path, 0o777);
  return { path, accepted: () => accepted, close: () => new Promise((r) => server.close(() => r())) };
}

if (sandboxWorks()) describe('hostile: containment of a program that wants the host', function () {
  this.timeout(60_000);
  let socket: Awaited<ReturnType<typeof hostSocket>>;
  let dir: string;
  let before_: string[];
  before(async () => {
    socket = await hostSocket();
    dir = mkdtempSync(join(tmpdir(), 'mcl-contain-'));
    chmodSync(dir, 0o755);
    before_ = knobs();
  });
  after(async () => {
    await socket.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    assert.deepEqual(knobs(), before_, 'the host\'s kernel settings are as they were');
    assert.equal(socket.accepted(), 0, 'nothing reached the host\'s socket');
    assert.equal(existsSync('/tmp/pwned'), false);
  });

  it(`through the judge (compile, then a batch of tests)${isRoot ? ', as root' : ''}: every attempt held`, async () => {
    const judge = new Judge({ workRoot: join(dir, 'judge') });
    try {
      const r = await judge.judge({ code: fixture('contain-probe.c'), lang: 'c', problem: stdioProblem(`${socket.path}\n`, HELD, { timeLimitMs: 5000 }) });
      assert.equal(r.compile?.ok, true, r.compile?.message);
      assert.equal(r.tests[0].actual, HELD, r.tests[0].stderr);
    } finally {
      await judge.dispose();
    }
  });

  it(`one program at a time (the helper's single mode)${isRoot ? ', as root: runs as nobody, not as host root' : ''}`, async () => {
    const exe = join(dir, 'probe');
    execFileSync('cc', ['-O1', '-o', exe, join(FIXTURES, 'contain-probe.c')]);
    const cwd = mkdtempSync(join(dir, 'run-'));
    const helper = buildHelper(judgeCacheDir());
    const r = await runProcess([exe], { cwd, workDir: dir, stdin: `${socket.path}\n`, wallLimitMs: 5000, sandbox: true, ...(helper ? { sandboxWrapper: { helper } } : {}) });
    assert.equal(r.stdout, HELD, r.stderr);
    // The file it made, seen from the host: owned by nobody under root, by the caller otherwise.
    assert.equal(statSync(join(cwd, 'owner-probe')).uid, isRoot ? 65534 : process.getuid?.());
  });

  it('/tmp, /run and /dev are its own: a file it writes in /tmp is not the host\'s, the host\'s are not there, /dev has only the harmless devices', async () => {
    const cwd = mkdtempSync(join(dir, 'run-'));
    const mark = `/tmp/${marker()}`;
    const hostFile = `/tmp/${marker()}-host`;
    writeFileSync(hostFile, 'the host\'s');
    try {
      const r = await runProcess(['sh', '-c', `touch ${mark} && ls /tmp; echo ==; ls /run | wc -l; ls /dev | tr '\\n' ' '`], { cwd, wallLimitMs: 5000, sandbox: true });
      const [tmp, rest] = r.stdout.split('==\n');
      const [runCount, dev] = rest.split('\n');
      assert.equal(existsSync(mark), false);
      assert.ok(tmp.split('\n').includes(mark.slice(5)), 'its own file is in its /tmp');
      assert.ok(!tmp.includes(hostFile.slice(5)), `the host's /tmp is not visible: ${tmp}`);
      assert.deepEqual([Number(runCount), dev.trim()], [0, 'fd full null random shm stderr stdin stdout tty urandom zero'], r.stderr);
    } finally {
      rmSync(hostFile, { force: true });
    }
  });

  if (isRoot) describe('as an ordinary user', () => {
    useOrdinaryUser();
    let files: string;
    before(() => {
      buildCli();
      files = userFolder('mcl-contain-');
    });
    after(() => rmSync(files, { recursive: true, force: true }));
    const cliAsUser = (...args: string[]) => runAs(USER, ['node', buildCli(), ...args]);

    it('the CLI judge holds every attempt too', () => {
      const statement = join(files, 'probe.md');
      const source = join(files, 'probe.c');
      writeFileSync(statement, `# Probe\n\n## Example\n\n\`\`\`input\n${socket.path}\n\`\`\`\n\n\`\`\`output\n${HELD}\`\`\`\n`);
      writeFileSync(source, fixture('contain-probe.c'));
      const r = cliAsUser('judge', statement, source, '--json');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(JSON.parse(r.stdout).tests[0].actual, HELD);
    });

    it('makes no control groups it may not (cgroup v1 is root\'s here), and does not claim them', () => {
      const statement = join(files, 'sum.md');
      const source = join(files, 'sum.py');
      writeFileSync(statement, '# Sum\n\n## Example\n\n```input\n1 2\n```\n\n```output\n3\n```\n');
      writeFileSync(source, 'print(sum(map(int, input().split())))\n');
      const r = cliAsUser('judge', statement, source);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Programs run isolated/);
      assert.doesNotMatch(r.stdout, /cgroup/);
    });
  });
});
