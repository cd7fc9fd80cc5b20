import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeCgroups } from '../../../src/core/judge/cgroup';
import { COMPILE_MEMORY_MB, COMPILE_MESSAGE_CAP } from '../../../src/core/judge/compile';
import { runProcess } from '../../../src/core/judge/run';
import { sandboxWorks, sandboxWrapper } from '../../../src/core/judge/sandbox';
import { buildCli, isRoot, marker, noneLeft, runAs, stdioProblem, useMarkedJudge, TEST_USER, useOrdinaryUser, userFolder } from './helpers';

// A compile that takes the machine's memory: `#include "/dev/zero"` (the held-out case was
// "/dev/random": the same, slower; limits-verdicts.test.ts runs it) makes cc1plus read without end.
// Where the judge has control groups, all the compile's processes together get COMPILE_MEMORY_MB; else
// every process gets it as an address-space limit. Either way one clear CE line, and nothing left.
const USER = TEST_USER;
const OUT_OF_MEMORY = `the compiler ran out of memory (limit ${COMPILE_MEMORY_MB} MB)`;
const ENDLESS_INCLUDE = '#include "/dev/zero"\nint main() {}\n';
// 20,000 errors: the compiler's messages are cut, the verdict is still one CE.
const FLOOD = `int main() {\n${'  undefined_name_here();\n'.repeat(20_000)}}\n`;

if (sandboxWorks()) describe('hostile: compiles that want all the memory, or flood their messages', function () {
  this.timeout(90_000);

  describe(`as ${isRoot ? 'root' : 'this user'} (core Judge)`, () => {
    const marked = useMarkedJudge();

    it(`#include "/dev/zero" is CE "${OUT_OF_MEMORY}"; no process and no control group stays`, async () => {
      const r = await marked.judge.judge({ code: ENDLESS_INCLUDE, lang: 'cpp', problem: stdioProblem('', '') });
      assert.deepEqual([r.verdict, r.compile?.message], ['CE', OUT_OF_MEMORY]);
      await noneLeft(marked.mark);
      const wrapper = sandboxWrapper();
      const groups = wrapper ? judgeCgroups(wrapper.helper) : undefined;
      for (const dir of groups?.dirs ?? []) assert.deepEqual(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name), [], dir);
    });

    it('20,000 compile errors: one CE whose message is cut to its first 8 KB', async () => {
      const r = await marked.judge.judge({ code: FLOOD, lang: 'cpp', problem: stdioProblem('', '') });
      assert.equal(r.verdict, 'CE');
      assert.match(r.compile!.message, /undefined_name_here/);
      assert.ok(r.compile!.message.length < COMPILE_MESSAGE_CAP + 100, `${r.compile!.message.length} characters`);
      await noneLeft(marked.mark);
    });

    const wrapper = sandboxWrapper();
    const groups = wrapper ? judgeCgroups(wrapper.helper) : undefined;
    if (groups) it('a compile killed at its time limit leaves no control group behind (the helper could not remove it)', async () => {
      const cwd = mkdtempSync(join(tmpdir(), `${marked.mark}-killed-`));
      try {
        const r = await runProcess(['sleep', '30'], { cwd, wallLimitMs: 300, sandbox: true, groupMemoryMb: 64 });
        assert.equal(r.timedOut, true);
        for (const dir of groups.dirs) assert.deepEqual(readdirSync(dir).filter((n) => /^t\d+-/.test(n)), [], dir);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  });

  if (isRoot) describe('as an ordinary user (the CLI; no control groups: the address-space limit holds)', () => {
    useOrdinaryUser();
    let files: string;
    before(() => {
      buildCli();
      files = userFolder(`${marker()}-`);
      writeFileSync(join(files, 'p.md'), '# P\n\n## Example\n\n```input\n1\n```\n\n```output\n1\n```\n', { mode: 0o644 });
      writeFileSync(join(files, 'endless.cpp'), ENDLESS_INCLUDE, { mode: 0o644 });
      writeFileSync(join(files, 'flood.cpp'), FLOOD, { mode: 0o644 });
    });
    after(() => rmSync(files, { recursive: true, force: true }));

    it(`#include "/dev/zero" is CE "${OUT_OF_MEMORY}", 20,000 errors one cut CE; nothing stays running`, async () => {
      const endless = runAs(USER, ['node', buildCli(), 'judge', join(files, 'p.md'), join(files, 'endless.cpp'), '--json']);
      assert.equal(endless.status, 1, endless.stderr);
      assert.deepEqual([JSON.parse(endless.stdout).verdict, JSON.parse(endless.stdout).compile.message], ['CE', OUT_OF_MEMORY]);
      const flood = runAs(USER, ['node', buildCli(), 'judge', join(files, 'p.md'), join(files, 'flood.cpp'), '--json']);
      const message: string = JSON.parse(flood.stdout).compile.message;
      assert.equal(JSON.parse(flood.stdout).verdict, 'CE');
      assert.ok(message.length < COMPILE_MESSAGE_CAP + 100, `${message.length} characters`);
      await noneLeft(files);
    });
  });
});
