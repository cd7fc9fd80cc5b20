import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, UsageError } from '../../../src/cli/args';
import { distillCommand, DISTILL_HELP } from '../../../src/cli/distill';
import { roleEndpoints, roleOptions } from '../../../src/cli/distill-roles';
import { RoundRobinLlm } from '../../../src/distill/endpoints';
import { appendJsonl } from '../../../src/distill/files';
import { Progress } from '../../../src/distill/progress';
import { startScriptedServer } from '../../fixtures/llm-server/server';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('distill command and endpoint roles', () => {
  const values = (argv: string[]) => parse(argv, { ...roleOptions('teacher'), ...roleOptions('student') }).values as Record<string, unknown>;

  it('maps prefixed flags onto one endpoint setting per role, one config per comma-separated URL', () => {
    const v = values(['--teacher-endpoint', 'http://a:1/v1, http://b:2/v1', '--teacher-model', 'big', '--teacher-max-tokens', '900', '--student-adapter', 'coding=my-coder']);
    const teacher = roleEndpoints(v, 'teacher', {});
    assert.deepEqual(teacher.map((c) => [c.baseUrl, c.plainModel, c.sampling.maxTokens]), [['http://a:1/v1', 'big', 900], ['http://b:2/v1', 'big', 900]]);
    const student = roleEndpoints(v, 'student', { MAPCODER_ENDPOINT: 'http://c:3/v1' });
    assert.deepEqual([student.length, student[0].baseUrl, student[0].plainModel, student[0].models.coding, student[0].models.planning], [1, 'http://c:3/v1', undefined, 'my-coder', 'planning']);
    assert.throws(() => roleEndpoints(values(['--student-adapter', 'typing=x']), 'student', {}), (e: Error) => e instanceof UsageError && /--student-adapter takes AGENT=NAME/.test(e.message));
    assert.throws(() => roleEndpoints(values(['--teacher-max-tokens', '0']), 'teacher', {}), /--teacher-max-tokens must be an integer/);
  });

  it('spreads one role\'s requests round-robin over its endpoints', async () => {
    const servers = await Promise.all([0, 1].map(() => startScriptedServer({ models: ['m'], handler: () => ({ text: 'hi' }) })));
    try {
      const llm = RoundRobinLlm.of(roleEndpoints(values(['--teacher-endpoint', servers.map((s) => s.url).join(','), '--teacher-model', 'm']), 'teacher', {}));
      for (let i = 0; i < 4; i++) await llm.complete({ agent: 'coding', messages: [{ role: 'user', content: `q${i}` }] });
      assert.deepEqual(servers.map((s) => s.requests.map((r) => r.messages[0].content)), [['q0', 'q2'], ['q1', 'q3']]);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('prints help, rejects unknown commands and missing options', async () => {
    const out = sink();
    assert.equal(await distillCommand([], out.stream, sink().stream, new AbortController().signal), 2);
    assert.equal(out.text(), `${DISTILL_HELP}\n`);
    await assert.rejects(distillCommand(['brew'], out.stream, out.stream, new AbortController().signal), (e: Error) => e instanceof UsageError && /unknown distill command "brew"/.test(e.message));
    await assert.rejects(distillCommand(['collect'], out.stream, out.stream, new AbortController().signal), /--dataset NAME\|FILE\|DIR is required/);
    await assert.rejects(distillCommand(['export', '--in', '/nonexistent-distill-dir'], out.stream, out.stream, new AbortController().signal), (e: Error) => e instanceof UsageError && /holds none of collect.jsonl/.test(e.message));
    await assert.rejects(distillCommand(['export', '--valid-ratio', '1.5'], out.stream, out.stream, new AbortController().signal), /--valid-ratio must be/);
  });

  it('collect exits 3 when the teacher\'s endpoint fails: nothing is kept, the next run does it again', async () => {
    const down = await startScriptedServer();
    const url = down.url;
    await down.close();
    const dir = mkdtempSync(join(tmpdir(), 'distill-down-'));
    try {
      const file = join(dir, 'one.jsonl');
      writeFileSync(file, `${JSON.stringify({ id: 'one', statement: 'Print a + b.', samples: [{ input: '1 2\\n', outputs: ['3\\n'] }] })}\n`);
      const err = sink();
      const code = await distillCommand(['collect', '--dataset', file, '--teacher-endpoint', url, '--teacher-model', 'big', '--out', join(dir, 'out')], sink().stream, err.stream, new AbortController().signal);
      assert.equal(code, 3, err.text());
      assert.match(err.text(), /The endpoint failed on 1 problem\(s\): nothing was kept from them; run the same command again/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('export prints a table per agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'distill-cmd-'));
    try {
      appendJsonl(join(dir, 'in', 'supervise.jsonl'), { id: 'x', examples: [] });
      const out = sink();
      assert.equal(await distillCommand(['export', '--in', join(dir, 'in'), '--out', join(dir, 'out')], out.stream, sink().stream, new AbortController().signal), 0);
      assert.match(out.text(), /\| coding \| 0 \| 0 \| 0 \| 0 \|/);
      assert.match(out.text(), /prompts \(none\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('estimates the time left from this run\'s pace', () => {
    let now = 0;
    const p = new Progress(10, 4, () => now);
    now = 30_000;
    assert.equal(p.line('a'), '[5/10] a · about 3 min left\n');
    now = 40_000;
    assert.equal(p.line('b'), '[6/10] b · about 80 s left\n');
    const q = new Progress(1, 0, () => now);
    assert.equal(q.line('c'), '[1/1] c\n');
  });
});
