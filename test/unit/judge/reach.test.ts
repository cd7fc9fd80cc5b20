import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli';
import { Judge, JudgeSetupError } from '../../../src/core/judge';
import { checkProgramsReach } from '../../../src/core/judge/reach';
import { sandboxWorks } from '../../../src/core/judge/sandbox';
import { AGENTS } from '../../../src/core/types';
import { startScriptedServer } from '../../fixtures/llm-server/server';
import { stdio } from './helpers';

const ROOT = resolve(__dirname, '..', '..', '..');
const SUM = join(ROOT, 'test/fixtures/problems/sum.md');
const SUM_PY = join(ROOT, 'test/fixtures/problems/sum.py');

// The judge checks once, at its start, that the programs it runs can read its folder, and when they
// cannot it stops with one line instead of a "Permission denied" CE for every program.
if (sandboxWorks()) describe('judge: the programs reach the judge\'s folder, or the judge says so once', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-reach-'));
    chmodSync(dir, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a file the program may read: the check passes', async () => {
    const root = mkdtempSync(join(dir, 'ok-'));
    chmodSync(root, 0o711);
    writeFileSync(join(root, 'probe'), 'hello\n', { mode: 0o644 });
    await checkProgramsReach(root, join(root, 'probe'), 'hello\n', 'TMPDIR');
  });

  it(`a file the program may not read (as ${process.getuid?.() === 0 ? 'nobody' : 'its user'}): one line naming the folder and the setting`, async () => {
    const root = mkdtempSync(join(dir, 'closed-'));
    chmodSync(root, 0o711);
    writeFileSync(join(root, 'probe'), 'hello\n');
    chmodSync(join(root, 'probe'), 0o000);
    await assert.rejects(checkProgramsReach(root, join(root, 'probe'), 'hello\n', 'TMPDIR'), (e: Error) => {
      assert.ok(e instanceof JudgeSetupError);
      assert.match(e.message, new RegExp(`cannot read its folder ${root}: cat: .*Permission denied\\. Set TMPDIR to a folder they may enter`));
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
    assert.deepEqual(readdirSync(root), ['probe'], 'the check leaves nothing behind');
  });

  // A folder the sandbox cannot keep visible (its list of kept folders is one path a line): a real
  // folder the programs cannot reach, whatever the user.
  const unreachable = () => {
    const parent = join(dir, `line\nbreak-${Math.random().toString(36).slice(2)}`);
    mkdirSync(parent, { mode: 0o755 });
    return parent;
  };

  it('a judge whose programs cannot reach its folder: ready() and every judge() reject with that line, no per-program verdict', async () => {
    const workRoot = join(unreachable(), 'judge');
    const judge = new Judge({ workRoot });
    try {
      await assert.rejects(judge.ready(), (e: Error) => e instanceof JudgeSetupError && /cannot read its folder .* Set the judge.s workRoot/.test(e.message));
      await assert.rejects(judge.judge({ code: 'print(3)\n', lang: 'python3', problem: stdio([{ input: '', outputs: ['3\n'] }]) }), JudgeSetupError);
    } finally {
      await judge.dispose();
    }
    assert.deepEqual(readdirSync(workRoot), [], 'its folder is removed again');
  });

  // In this process the sandbox was found working (with the usual TMPDIR) before TMPDIR moves here.
  it('the CLI stops with that line before any agent call (solve) or compile (judge), exit 2', async () => {
    const server = await startScriptedServer({ models: [...AGENTS] });
    const tmp = unreachable();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      for (const args of [['judge', SUM, SUM_PY], ['solve', SUM, '--endpoint', server.url]]) {
        const err = new PassThrough();
        let text = '';
        err.on('data', (d) => (text += d));
        const code = await main(args, new PassThrough(), err, new AbortController().signal);
        assert.equal(code, 2, text);
        assert.match(text, new RegExp(`^mapcoder-lite ${args[0]}: The programs the judge runs .* Set TMPDIR to a folder they may enter .*\\n$`));
        assert.equal(text.split('\n').length, 2, 'one line');
      }
      assert.equal(server.requests.length, 0, 'no agent was asked');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await server.close();
    }
    assert.ok(!existsSync(join(tmp, `mapcoder-lite-judge-${process.getuid?.()}`)) || readdirSync(join(tmp, `mapcoder-lite-judge-${process.getuid?.()}`)).every((f) => f.startsWith('sandbox-helper-')));
  });
});
