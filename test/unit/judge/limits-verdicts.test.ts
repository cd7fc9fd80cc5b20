import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clampLimit, Judge, MAX_TIME_LIMIT_MS, outputCapFor } from '../../../src/core/judge';
import { COMPILE_MEMORY_MB } from '../../../src/core/judge/compile';
import { rlimitsFor } from '../../../src/core/judge/limits';
import type { Lang, Problem } from '../../../src/core/types';

// Verdicts a contestant would agree with, and limits that hold for the compiler too. Real compilers.
const problem = (input: string, output: string, limits: Partial<Pick<Problem, 'timeLimitMs' | 'memoryLimitMb'>> = {}): Problem => ({
  title: 't', statement: '', samples: [{ input, outputs: [output] }], asserts: [], style: { kind: 'stdio' }, timeLimitMs: 2000, memoryLimitMb: 256, ...limits,
});

describe('judge: limits and verdicts', function () {
  this.timeout(120_000);
  const workRoot = join(tmpdir(), `mcl-limits-${process.pid}`);
  const judge = new Judge({ workRoot });
  after(async () => {
    await judge.dispose();
    rmSync(workRoot, { recursive: true, force: true });
  });
  const run = (lang: Lang, code: string, p: Problem) => judge.judge({ code, lang, problem: p });

  it('a correct program that starts one thread is AC (the stack limit is apart from the memory limit)', async () => {
    const cpp = '#include <bits/stdc++.h>\nint main(){ long a,b; std::cin>>a>>b; long r=0; std::thread t([&]{ r=a+b; }); t.join(); std::cout<<r<<"\\n"; }\n';
    const py = 'import threading\na, b = map(int, input().split())\nr = [0]\nt = threading.Thread(target=lambda: r.__setitem__(0, a + b))\nt.start(); t.join()\nprint(r[0])\n';
    for (const [lang, code] of [['cpp', cpp], ['python3', py]] as const) {
      const r = await run(lang, code, problem('1 2\n', '3\n'));
      assert.equal(r.verdict, 'AC', `${lang}: ${r.tests[0]?.stderr ?? r.compile?.message}`);
    }
    const stack = rlimitsFor({ wallMs: 1000, memoryLimitMb: 256 });
    assert.deepEqual(stack.filter((l) => l.name === 'stack' || l.name === 'as').map((l) => [l.name, l.soft / 2 ** 20]), [['as', 544], ['stack', 256]]);
  });

  it('memory above the limit is MLE even when the program ends well (peak RSS)', async () => {
    const code = '#include <bits/stdc++.h>\nint main(){ std::vector<char> v(300u<<20, 1); long s=0; for(size_t i=0;i<v.size();i+=4096) s+=v[i]; std::cout<<(s>0?3:0)<<"\\n"; }\n';
    const r = await run('cpp', code, problem('', '3\n', { memoryLimitMb: 256 }));
    assert.equal(r.verdict, 'MLE', r.tests[0]?.stderr);
    assert.match(r.tests[0].stderr, /memory limit exceeded: peak \d+ MB/);
  });

  it('limits as statements give them: 255.3 MB is rounded, 2,500,000 s is clamped, not overflowed', async () => {
    const r = await run('python3', 'a, b = map(int, input().split())\nprint(a + b)\n', problem('1 2\n', '3\n', { memoryLimitMb: 255.3, timeLimitMs: 2_500_000_000 }));
    assert.equal(r.verdict, 'AC', r.tests[0]?.stderr);
    assert.deepEqual([clampLimit(255.3, 16, 65536), clampLimit(2_500_000_000, 100, MAX_TIME_LIMIT_MS), clampLimit(Number.NaN, 100, MAX_TIME_LIMIT_MS)], [255, MAX_TIME_LIMIT_MS, MAX_TIME_LIMIT_MS]);
  });

  it('a correct 2 MB answer is AC: the stdout cap follows the expected output', async () => {
    const big = `${'x'.repeat(1023)}\n`.repeat(2048);
    const r = await run('python3', `import sys\nsys.stdout.write(${JSON.stringify(`${'x'.repeat(1023)}\n`)} * 2048)\n`, problem('', big));
    assert.equal(r.verdict, 'AC', r.tests[0]?.stderr);
    assert.equal(outputCapFor(1 << 20, [{ input: '', outputs: [big] }]), 2 * big.length + 64 * 1024);
    assert.equal(outputCapFor(1 << 20, [{ input: '', outputs: ['3\n'] }]), 1 << 20);
  });

  it('compiles have limits of their own and end as CE with one line: #include </dev/random>, include_bytes!("/dev/zero")', async () => {
    const random = await run('cpp', '#include </dev/random>\nint main(){}\n', problem('', ''));
    assert.equal(random.verdict, 'CE');
    assert.equal(random.compile!.message, `the compiler ran out of memory (limit ${COMPILE_MEMORY_MB} MB)`);
    const zero = await run('rust', 'fn main(){ let b = include_bytes!("/dev/zero"); println!("{}", b.len()); }\n', problem('', ''));
    assert.equal(zero.verdict, 'CE');
    assert.equal(zero.compile!.message, `the compiler ran out of memory (limit ${COMPILE_MEMORY_MB} MB)`);
  });

  it('a compile error that quotes "std::bad_alloc" or "MemoryError" from the source is the compiler\'s message, not out of memory', async () => {
    const cpp = await run('cpp', '#include <new>\nint main(){ try { } catch (std::bad_alloc& e) { undefined_name(); } }\n', problem('', ''));
    assert.equal(cpp.verdict, 'CE');
    assert.match(cpp.compile!.message, /undefined_name/);
    const py = await run('python3', 'raise MemoryError(\n', problem('', ''));
    assert.equal(py.verdict, 'CE');
    assert.match(py.compile!.message, /SyntaxError/);
  });

  describe('TLE decided on CPU time', () => {
    const p = { title: 't', statement: '', samples: [{ input: '', outputs: ['1\n'] }], asserts: [], style: { kind: 'stdio' as const }, timeLimitMs: 500, memoryLimitMb: 256 };

    it('a program past the limit in CPU time is TLE, said in CPU time, and may be kept', async () => {
      const r = await judge.judge({ code: 'while True:\n    pass\n', lang: 'python3', problem: p });
      assert.equal(r.verdict, 'TLE');
      assert.match(r.tests[0].stderr, /time limit exceeded \(500 ms\): \d+ ms of CPU time/);
      assert.equal(r.wallClockOnly, undefined);
    });

    it('a program stopped by the wall clock alone is run again before the TLE is believed, and the report is marked so it is not kept', async () => {
      const r = await judge.judge({ code: 'import time\ntime.sleep(30)\n', lang: 'python3', problem: p });
      assert.equal(r.verdict, 'TLE');
      assert.match(r.tests[0].stderr, /on the wall clock only: killed after \d+ ms with \d+ ms of CPU time, twice/);
      assert.equal(r.wallClockOnly, true);
    });
  });

  describe('memory outside the limits\' sight', () => {
    const p = (output: string): Problem => ({ title: 't', statement: '', samples: [{ input: '', outputs: [output] }], asserts: [], style: { kind: 'stdio' }, timeLimitMs: 5000, memoryLimitMb: 256 });

    it('memfd_create is not there in the sandbox: no memory file the limits cannot see', async () => {
      const code = '#include <sys/mman.h>\n#include <stdio.h>\n#include <errno.h>\nint main(){ int fd = memfd_create("x", 0); printf("%s\\n", fd < 0 && errno == ENOSYS ? "refused" : "held"); }\n';
      const r = await judge.judge({ code, lang: 'c', problem: p('refused\n') });
      assert.equal(r.verdict, judge.capabilities.isolation === 'namespaces' ? 'AC' : 'WA', r.tests[0]?.actual);
    });

    it('Node Buffers past the limit are MLE, not AC', async () => {
      const code = 'const bufs = []; for (let i = 0; i < 8; i++) bufs.push(Buffer.alloc(128 << 20, 1)); console.log(bufs.length);\n';
      const r = await judge.judge({ code, lang: 'javascript', problem: p('8\n') });
      assert.equal(r.verdict, 'MLE', `${r.tests[0]?.stderr} ${r.tests[0]?.memoryKb} KB`);
    });
  });
});
