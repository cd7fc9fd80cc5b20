import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Judge, judgeCapabilities } from '../../../src/core/judge';
import { batchHelper, sandboxPaths } from '../../../src/core/judge/sandbox';
import type { JudgeReport, Lang } from '../../../src/core/types';
import { fixture, listener, noneLeft, stdioProblem, useMarkedJudge } from './helpers';

// Real programs through the core Judge. Each run's work root carries a unique marker, so every process
// of the candidate (its command line holds the path of its source or binary) can be found in /proc.
const caps = judgeCapabilities();

// `auto`: the best isolation this machine has (all cases). `off`: the rlimits-only fallback, for the cases
// whose outcome there is worth showing and that cannot harm the machine or escape (no fork bomb, no
// kill(-1); the setsid grandchild only where the batch runner, its subreaper, ends it).
for (const isolation of ['auto', 'off'] as const) {
  const sandboxed = isolation === 'auto' && caps.isolation === 'namespaces';
  const full = isolation === 'auto';
  describe(`hostile programs (isolation ${isolation}: ${full ? caps.isolation : judgeCapabilities(false).isolation})`, function () {
    this.timeout(30_000);
    const marked = useMarkedJudge({ concurrency: 2, isolation });
    afterEach(async () => {
      await noneLeft(marked.mark);
    });

    const run = (name: string, lang: Lang, input = '', output = '', limits = {}): Promise<JudgeReport> =>
      marked.judge.judge({ code: fixture(name), lang, problem: stdioProblem(input, output, limits) });

    if (full) it('reports its isolation; on Linux with user namespaces it is the namespace sandbox', () => {
      assert.equal(marked.judge.capabilities.isolation, caps.isolation);
      if (process.platform === 'linux') assert.equal(caps.rlimits, true);
      assert.equal(caps.processes, sandboxed);
      assert.equal(new Judge({ isolation: 'off' }).capabilities.isolation, caps.rlimits ? 'rlimits-only' : 'none');
    });

    if (full) for (const [name, lang] of [['fork-bomb.py', 'python3'], ['fork-bomb.c', 'c']] as const) {
      it(`${name}: a fork bomb ends in TLE (or MLE, its processes in one memory group), leaves no process, and the machine still starts programs`, async () => {
        const r = await run(name, lang);
        assert.ok(r.verdict === 'TLE' || (r.verdict === 'MLE' && caps.cgroups), `${r.verdict}: ${r.tests[0].stderr}`);
        await noneLeft(marked.mark);
        // The process table has room again: a fresh program starts and exits cleanly.
        const t = spawnSync('true', { timeout: 5000 });
        assert.equal(t.status, 0);
      });
    }

    for (const [name, lang] of [['allocate.py', 'python3'], ['allocate.cpp', 'cpp']] as const) {
      it(`${name}: allocating without bound is MLE under the memory limit`, async () => {
        const r = await run(name, lang, '', '', { memoryLimitMb: 64 });
        assert.equal(r.verdict, 'MLE', r.tests[0].stderr);
      });
    }

    it('printing without end is cut at the output cap and killed', async () => {
      const small = new Judge({ workRoot: marked.workRoot, outputCapBytes: 64 * 1024, isolation });
      try {
        const r = await small.judge({ code: fixture('print-forever.py'), lang: 'python3', problem: stdioProblem('', '') });
        assert.equal(r.verdict, 'WA');
        assert.equal(r.tests[0].truncated, true);
        assert.equal(Buffer.byteLength(r.tests[0].actual), 64 * 1024);
        assert.match(r.tests[0].stderr, /output limit exceeded/);
      } finally {
        await small.dispose();
      }
    });

    it('sleeping forever is TLE on the wall clock', async () => {
      const r = await run('sleep-forever.py', 'python3', '', '', { timeLimitMs: 300 });
      assert.equal(r.verdict, 'TLE');
      assert.match(r.tests[0].stderr, /time limit exceeded/);
    });

    // Not isolated, the batch runner (where it builds) is the tests' subreaper and ends such a process.
    if (full || batchHelper(false)) it('a setsid grandchild that ignores SIGTERM and outlives its parent is killed with the run', async () => {
      const r = await run('outlive-parent.py', 'python3', 'answer\n', 'answer');
      assert.equal(r.verdict, 'AC', r.tests[0].stderr);
      await noneLeft(marked.mark);
    });

    it('the parent environment (API keys) is invisible to the program', async () => {
      const keys = { MAPCODER_API_KEY: 'sk-mapcoder-secret', OPENAI_API_KEY: 'sk-openai-secret', GITHUB_TOKEN: 'ghp-secret' };
      Object.assign(process.env, keys);
      try {
        const r = await run('env-leak.py', 'python3', '', '[]');
        assert.equal(r.verdict, 'AC', r.tests[0].actual);
      } finally {
        for (const k of Object.keys(keys)) delete process.env[k];
      }
    });

    describe('with a secret in the user\'s home', () => {
      let secret: string;
      before(() => {
        secret = join(homedir(), `.${marked.mark}-secret`);
        writeFileSync(secret, 'TOP-SECRET-KEY\n');
      });
      after(() => rmSync(secret, { force: true }));

      it(sandboxed ? 'cannot read it, by absolute path or through HOME' : 'cannot read it through HOME (the absolute path is readable: no mount namespace)', async () => {
        const r = await run('read-home.py', 'python3', `${secret}\n`, '');
        const lines = r.tests[0].actual.trim().split('\n');
        assert.equal(lines.length, 3, r.tests[0].stderr);
        assert.deepEqual(lines.slice(1), ['denied FileNotFoundError', 'denied FileNotFoundError']);
        assert.equal(lines[0], sandboxed ? 'denied FileNotFoundError' : 'read TOP-SECRET-KEY');
      });

      it('cannot pull it into a compile error message either', async () => {
        const r = await marked.judge.judge({ code: fixture('include-secret.cpp').replace('SECRET_PATH', secret), lang: 'cpp', problem: stdioProblem('', '') });
        assert.equal(r.verdict, 'CE');
        if (sandboxed) assert.doesNotMatch(r.compile!.message, /TOP-SECRET/);
        else assert.match(r.compile!.message, /TOP-SECRET/);
      });
    });

    it(sandboxed ? 'cannot open a network connection, not even to 127.0.0.1' : 'can open a connection to 127.0.0.1 (no network namespace)', async () => {
      const server = await listener();
      try {
        const r = await run('connect.py', 'python3', `${server.port}\n`, '');
        assert.equal(r.tests[0].actual.trim(), sandboxed ? 'blocked OSError' : 'connected', r.tests[0].stderr);
        assert.equal(server.accepted(), sandboxed ? 0 : 1);
      } finally {
        await server.close();
      }
    });

    describe('files outside the working directory', () => {
      let outside: string;
      let victim: string;
      let doomed: string;
      let created: string;
      before(() => {
        // Beside the repository: neither a hidden home nor a private /tmp, so what stops the writes is the read-only file system.
        outside = join(process.cwd(), `.${marked.mark}-outside`);
        mkdirSync(outside, { recursive: true });
        victim = join(outside, 'victim.txt');
        doomed = join(outside, 'doomed.txt');
        created = join(process.cwd(), `.${marked.mark}-created`);
        writeFileSync(victim, 'original');
        writeFileSync(doomed, 'keep me');
      });
      after(() => {
        rmSync(outside, { recursive: true, force: true });
        rmSync(created, { force: true });
      });

      it(sandboxed ? 'cannot create, overwrite or delete them; its own directory is writable' : 'can touch them (no mount namespace); its own directory is writable', async () => {
        const r = await run('touch-outside.py', 'python3', `${created}\n${victim}\n${doomed}\n`, '');
        const outcome = sandboxed ? 'failed OSError' : 'done';
        const lines = r.tests[0].actual.trim().split('\n').map((l) => l.replace(/failed \w+/, 'failed OSError'));
        // A repository inside a home the sandbox hides (an ordinary user's ~): there the program sees a
        // private, empty tmpfs, so a create may succeed in it; what counts is that the host below is untouched.
        const privateThere = sandboxed && sandboxPaths(tmpdir(), process.env).hide.some((h) => outside.startsWith(`${h}${sep}`));
        assert.deepEqual(lines.slice(1), [`overwrite ${outcome}`, `delete ${outcome}`, 'cwd done'], r.tests[0].stderr);
        if (!privateThere) assert.equal(lines[0], `create ${outcome}`);
        assert.equal(existsSync(created), !sandboxed);
        assert.equal(readFileSync(victim, 'utf8'), sandboxed ? 'original' : 'pwned');
        assert.equal(existsSync(doomed), sandboxed);
        // Nothing of the run is left in the judge's parent directory either.
        assert.equal(existsSync(join(marked.workRoot, 'scratch.txt')), false);
      });
    });

    // kill(-1) outside a PID namespace would kill every process this user may signal: not run there.
    if (sandboxed) {
      it('kill(-1) reaches only the processes of its own run', async () => {
        const sentinel: ChildProcess = spawn('sleep', ['30'], { stdio: 'ignore' });
        try {
          const r = await run('kill-everyone.py', 'python3', '', 'nothing to kill\nstill here');
          assert.equal(r.verdict, 'AC', JSON.stringify(r.tests[0]));
          assert.equal(sentinel.exitCode, null);
          assert.equal(sentinel.signalCode, null);
          assert.equal(process.kill(sentinel.pid!, 0), true);
        } finally {
          sentinel.kill('SIGKILL');
        }
      });
    }
  });
}
