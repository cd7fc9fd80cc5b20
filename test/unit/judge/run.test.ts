import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../../src/core/judge/run';
import { hasPrlimit, withRlimits } from '../../../src/core/judge/limits';
import { alive, groupMembers, waitFor } from './helpers';

describe('judge/run runProcess', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'judge-run-test-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const opts = (extra: Partial<Parameters<typeof runProcess>[1]> = {}) => ({ cwd: dir, wallLimitMs: 5000, ...extra });

  it('feeds stdin and collects stdout, stderr and the exit code', async () => {
    const r = await runProcess(['sh', '-c', 'read x; echo "got $x"; echo oops >&2; exit 3'], opts({ stdin: 'hello\n' }));
    assert.equal(r.stdout, 'got hello\n');
    assert.equal(r.stderr, 'oops\n');
    assert.equal(r.exitCode, 3);
    assert.equal(r.signal, null);
    assert.ok(!r.timedOut && !r.memoryExceeded && !r.truncated);
  });

  it('a program that ignores its stdin is fine', async () => {
    const r = await runProcess(['true'], opts({ stdin: 'x'.repeat(1 << 20) }));
    assert.equal(r.exitCode, 0);
  });

  it('reports a missing executable as a spawn error', async () => {
    const r = await runProcess(['definitely-not-a-command-xyz'], opts());
    assert.ok(r.spawnError, 'spawnError set');
    assert.notEqual(r.exitCode, 0);
    assert.ok(!r.memoryExceeded);
  });

  it('kills the whole process group on the time limit', async () => {
    const pidFile = join(dir, 'tle.pids');
    const r = await runProcess(['sh', '-c', `sleep 30 & echo "$$ $!" > ${pidFile}; while :; do :; done`], opts({ wallLimitMs: 300 }));
    assert.ok(r.timedOut);
    assert.equal(r.signal, 'SIGKILL');
    const [shell, sleeper] = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    await waitFor(() => (alive(shell) || alive(sleeper) ? undefined : true), 'the group to die', 2000);
    assert.deepEqual(groupMembers(shell), []);
  });

  it('kills children left behind when the program exits', async () => {
    const pidFile = join(dir, 'bg.pids');
    const r = await runProcess(['sh', '-c', `sleep 30 > /dev/null 2>&1 & echo $! > ${pidFile}; echo done`], opts());
    assert.equal(r.stdout, 'done\n');
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => (alive(sleeper) ? undefined : true), 'the background child to die', 2000);
  });

  it('cuts stdout at the cap and kills a program that prints without end', async () => {
    const r = await runProcess(['sh', '-c', 'while :; do echo yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; done'], opts({ outputCapBytes: 4096 }));
    assert.ok(r.truncated && r.outputLimitExceeded);
    assert.equal(Buffer.byteLength(r.stdout), 4096);
    assert.ok(!r.timedOut, 'killed for its output, not the clock');
  });

  it('keeps the end of a long stderr without killing the program', async () => {
    const r = await runProcess(['sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo "line $i" >&2; i=$((i+1)); done; echo ok'], opts({ outputCapBytes: 1000 }));
    assert.equal(r.stdout, 'ok\n');
    assert.equal(r.exitCode, 0);
    assert.ok(r.truncated && !r.outputLimitExceeded);
    assert.ok(Buffer.byteLength(r.stderr) <= 1000);
    assert.ok(r.stderr.endsWith('line 1999\n'));
  });

  it('on abort kills the group and rejects with an AbortError', async () => {
    const pidFile = join(dir, 'abort.pids');
    const ac = new AbortController();
    const running = runProcess(['sh', '-c', `sleep 30 & echo "$$ $!" > ${pidFile}; wait`], opts({ wallLimitMs: 30_000, signal: ac.signal }));
    await waitFor(() => (existsSync(pidFile) && readFileSync(pidFile, 'utf8').includes(' ') ? true : undefined), 'the pid file');
    const [shell, sleeper] = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    ac.abort();
    await assert.rejects(running, (e: Error) => e.name === 'AbortError');
    await waitFor(() => (alive(shell) || alive(sleeper) ? undefined : true), 'the group to die', 2000);
    assert.deepEqual(groupMembers(shell), []);
  });

  it('rejects at once when the signal is already aborted', async () => {
    await assert.rejects(runProcess(['true'], opts({ signal: AbortSignal.abort() })), (e: Error) => e.name === 'AbortError');
  });

  it('an address-space limit turns a runaway allocation into a memory verdict', async () => {
    assert.ok(hasPrlimit(), 'these tests need prlimit (util-linux)');
    const r = await runProcess(['python3', '-c', 'a = []\nwhile True: a.append(bytearray(10**7))'], opts({ memoryLimitMb: 64 }));
    assert.ok(r.memoryExceeded);
    assert.match(r.stderr, /MemoryError/);
  });
});

describe('judge/limits withRlimits', () => {
  it('wraps in prlimit with CPU, file and (for `as`) address-space limits', () => {
    assert.ok(hasPrlimit(), 'these tests need prlimit (util-linux)');
    const argv = withRlimits(['./main'], { wallMs: 2000, memoryLimitMb: 256, memoryRlimit: 'as' });
    assert.equal(argv[0], 'prlimit');
    assert.deepEqual(argv.slice(-2), ['--', './main']);
    assert.ok(argv.includes(`--as=${(256 + 256 + 32) * 1024 * 1024}`) && argv.includes(`--stack=${256 * 1024 * 1024}`), argv.join(" "));
    assert.ok(argv.some((a) => a.startsWith('--cpu=')));
  });

  it('sets no memory rlimit for runtimes that enforce the limit themselves', () => {
    const argv = withRlimits(['java', 'Main'], { wallMs: 2000, memoryLimitMb: 256, memoryRlimit: 'none' });
    assert.equal(argv[0], 'prlimit');
    assert.ok(!argv.some((a) => a.startsWith('--as=') || a.startsWith('--data=')));
  });
});
