import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalCommand, EVAL_HELP } from '../../../src/cli/eval';
import { UsageError } from '../../../src/cli/args';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { fenced } from '../helpers/mapcoder-script';
import { runCommand } from '../helpers/streams';

describe('eval: the command', function () {
  this.timeout(30000);
  let dir: string;
  let server: ScriptedServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eval-cmd-'));
    server = await startScriptedServer({ handler: () => fenced('a, b = map(int, input().split())\nprint(a + b)\n') });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (argv: string[]) => runCommand(evalCommand, argv);

  it('prints its help and rejects bad invocations as usage errors', async () => {
    assert.deepEqual([(await run(['--help'])).code, (await run(['--help'])).out.trim()], [0, EVAL_HELP]);
    await assert.rejects(run([]), (e: Error) => e instanceof UsageError && /--dataset/.test(e.message));
    await assert.rejects(run(['--dataset', 'apps', '--mode', 'direct,lite']), /--mode direct runs without adapters: name the base model with --model/);
    await assert.rejects(run(['--dataset', 'apps', '--mode', 'fast']), /--mode must be direct, mapcoder or lite/);
    await assert.rejects(run(['--dataset', 'nope']), (e: Error) => e instanceof UsageError && /neither a dataset/.test(e.message));
    await assert.rejects(run(['--dataset', 'apps', '--judge', 'execeval']), /--judge-url/);
  });

  it('runs an own JSONL file end to end and writes results and the report', async () => {
    const file = join(dir, 'sums.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'sum', statement: 'Print a + b.', samples: [{ input: '1 2\n', outputs: ['3\n'] }], hidden_tests: [{ input: '5 7\n', outputs: ['12\n'] }, { input: '0 0\n', outputs: ['0\n'] }] })}\n`);
    const out = join(dir, 'out');
    const r = await run(['--dataset', file, '--mode', 'direct', '--model', 'base', '--endpoint', server.url, '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /\[1\/1\] sums sum direct: solved, samples 1\/1, hidden 2\/2 \(1 calls/);
    assert.match(r.out, /\| Direct \(ours\) — base \| \*\*100\.0\*\* \(1\/1\) \|/);
    assert.ok(existsSync(join(out, 'sums.direct.jsonl')) && existsSync(join(out, 'report.html')));
    const again = await run(['--report-only', '--out', out]);
    assert.equal(again.out, r.out);
    assert.equal(readFileSync(join(out, 'report.md'), 'utf8').trim(), r.out.split('\nWrote ')[0].trim());
  });

  it('exits 3 when the endpoint fails, and the report marks those problems as not measured', async () => {
    const down = await startScriptedServer();
    const url = down.url;
    await down.close();
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'one', statement: 'Print a + b.', samples: [{ input: '1 2\n', outputs: ['3\n'] }], hidden_tests: [{ input: '5 7\n', outputs: ['12\n'] }] })}\n`);
    const r = await run(['--dataset', file, '--mode', 'direct', '--model', 'base', '--endpoint', url, '--out', join(dir, 'down')]);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /The endpoint failed on 1 problem run\(s\): they are marked "not measured"/);
    assert.match(r.out, /\*\*Not measured: 1 one direct problem runs stopped because the endpoint failed \(.*(listening|refused).*\)/);
    assert.match(r.out, /\| Direct \(ours\) — base \| not measured \(1\) \|/);
    assert.doesNotMatch(r.out, /\*\*0\.0\*\*/, 'never reported as a failed problem');
  });
});
