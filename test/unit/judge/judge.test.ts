import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Judge } from '../../../src/core/judge';
import type { Lang, Verdict } from '../../../src/core/types';
import { alive, groupMembers, stdio, waitFor } from './helpers';

const SUM = stdio([{ input: '1 2\n', outputs: ['3'] }, { input: '10 20\n', outputs: ['30'] }], { timeLimitMs: 300, memoryLimitMb: 64 });
// The memory cases get CPU time to spare: on a loaded machine, a runtime's start and the page faults of
// filling 64 MB took past 300 ms of CPU, and the run ended TLE before it ran out of memory.
const SUM_ROOMY = { ...SUM, timeLimitMs: 3000 };

/** For each language, a program per verdict on SUM, and what its stderr (or compiler message) must show. */
const PROGRAMS: Partial<Record<Lang, Array<{ verdict: Verdict; code: string; shows?: RegExp }>>> = {
  cpp: [
    { verdict: 'AC', code: '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);}' },
    { verdict: 'WA', code: '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b+1);}' },
    { verdict: 'TLE', code: 'int main(){ volatile unsigned long x = 0; for(;;) x++; }', shows: /time limit exceeded/ },
    { verdict: 'RE', code: '#include <cstdio>\n#include <cstdlib>\nint main(){ fprintf(stderr, "about to crash\\n"); abort(); }', shows: /about to crash[\s\S]*SIGABRT/ },
    { verdict: 'MLE', code: '#include <vector>\nint main(){ std::vector<std::vector<int>> v; for(;;) v.emplace_back(1<<20, 1); }', shows: /bad_alloc/ },
    { verdict: 'CE', code: 'int main(){ return undeclared_name; }', shows: /main\.cpp:1:[\s\S]*undeclared_name/ },
  ],
  python3: [
    { verdict: 'AC', code: 'a, b = map(int, input().split())\nprint(a + b)' },
    { verdict: 'WA', code: 'a, b = map(int, input().split())\nprint(a - b)' },
    { verdict: 'TLE', code: 'while True:\n    pass', shows: /time limit exceeded/ },
    { verdict: 'RE', code: 'raise ValueError("bad input here")', shows: /ValueError: bad input here/ },
    { verdict: 'MLE', code: 'a = []\nwhile True:\n    a.append(bytearray(10**6))', shows: /MemoryError/ },
    { verdict: 'CE', code: 'def f(:\n    pass', shows: /SyntaxError/ },
  ],
  java: [
    { verdict: 'AC', code: 'import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }' },
    { verdict: 'WA', code: 'import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() * s.nextLong()); } }' },
    { verdict: 'TLE', code: 'public class Main { public static void main(String[] a) { long x = 0; while (true) x++; } }', shows: /time limit exceeded/ },
    { verdict: 'RE', code: 'public class Main { public static void main(String[] a) { throw new IllegalStateException("broken"); } }', shows: /IllegalStateException: broken/ },
    { verdict: 'MLE', code: 'import java.util.*;\npublic class Main { public static void main(String[] a) { List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1 << 20]); } }', shows: /OutOfMemoryError/ },
    { verdict: 'CE', code: 'public class Main { public static void main(String[] a) { int x = "text"; } }', shows: /incompatible types/ },
  ],
};

describe('judge/Judge on stdio programs', function () {
  this.timeout(60_000);
  let workRoot: string;
  let judge: Judge;
  // For tests whose programs write outside their directory or report their pids: outside the sandbox
  // (sandbox.ts; the hostile tests cover it), so this is the rlimits-only path.
  let plain: Judge;
  before(() => {
    workRoot = mkdtempSync(join(tmpdir(), 'judge-test-'));
    judge = new Judge({ workRoot, concurrency: 2 });
    plain = new Judge({ workRoot, concurrency: 2, isolation: 'off' });
  });
  after(async () => {
    await Promise.all([judge.dispose(), plain.dispose()]);
    rmSync(workRoot, { recursive: true, force: true });
  });

  for (const [lang, programs] of Object.entries(PROGRAMS) as Array<[Lang, NonNullable<(typeof PROGRAMS)[Lang]>]>) {
    for (const p of programs) {
      it(`${lang}: ${p.verdict}`, async () => {
        const r = await judge.judge({ code: p.code, lang, problem: p.verdict === 'MLE' ? SUM_ROOMY : SUM });
        assert.equal(r.verdict, p.verdict, JSON.stringify(r, null, 1).slice(0, 3000));
        assert.equal(r.total, 2);
        assert.equal(r.passed, p.verdict === 'AC' ? 2 : 0);
        assert.deepEqual(r.tests.map((t) => t.verdict), [p.verdict, p.verdict]);
        assert.deepEqual(r.tests.map((t) => t.index), [0, 1]);
        assert.deepEqual(r.tests.map((t) => t.input), ['1 2\n', '10 20\n']);
        if (p.verdict === 'CE') {
          assert.equal(r.compile?.ok, false);
          assert.match(r.compile!.message, p.shows!);
          assert.ok(!r.compile!.message.includes(workRoot), 'compiler paths are relative to the build dir');
        } else {
          assert.equal(r.compile?.ok, true);
          if (p.shows) assert.match(r.tests[0].stderr, p.shows);
          assert.ok(Buffer.byteLength(r.tests[0].stderr) <= 2048 + 200);
        }
        if (p.verdict === 'WA') assert.notEqual(r.tests[0].actual.trim(), '3');
      });
    }
  }

  it('java: runs a public class that is not Main', async () => {
    const code = 'import java.io.*;\npublic class SumOfTwo {\n  public static void main(String[] args) throws IOException {\n    String[] p = new BufferedReader(new InputStreamReader(System.in)).readLine().trim().split(" ");\n    System.out.println(Long.parseLong(p[0]) + Long.parseLong(p[1]));\n  }\n}';
    const r = await judge.judge({ code, lang: 'java', problem: SUM });
    assert.equal(r.verdict, 'AC', JSON.stringify(r));
  });

  it('rust: compiles and passes', async () => {
    const code = 'use std::io::*;\nfn main() { let mut s = String::new(); stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] + v[1]); }';
    const r = await judge.judge({ code, lang: 'rust', problem: stdio(SUM.samples) });
    assert.equal(r.verdict, 'AC', JSON.stringify(r));
  });

  it('c and javascript: pass', async () => {
    const c = await judge.judge({ code: '#include <stdio.h>\nint main(void){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);return 0;}', lang: 'c', problem: SUM });
    assert.equal(c.verdict, 'AC', JSON.stringify(c));
    const js = await judge.judge({ code: 'const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);', lang: 'javascript', problem: stdio(SUM.samples) });
    assert.equal(js.verdict, 'AC', JSON.stringify(js));
  });

  it('javascript: a heap that grows without bound is MLE', async () => {
    const r = await judge.judge({ code: 'const a = [];\nfor (;;) a.push(new Array(1e6).fill(1));', lang: 'javascript', problem: stdio([{ input: '', outputs: ['0'] }], { memoryLimitMb: 64 }) });
    assert.equal(r.verdict, 'MLE', JSON.stringify(r).slice(0, 2000));
  });

  it('javascript: a syntax error is CE', async () => {
    const r = await judge.judge({ code: 'console.log(1 +);', lang: 'javascript', problem: SUM });
    assert.equal(r.verdict, 'CE');
    assert.match(r.compile!.message, /SyntaxError/);
  });

  it('compares floats within the tolerance', async () => {
    const problem = stdio([{ input: '1 3\n', outputs: ['0.333333333'] }, { input: '2 3\n', outputs: ['0.6666667'] }]);
    const code = 'a, b = map(int, input().split())\nprint(f"{a / b:.7f}")';
    assert.equal((await judge.judge({ code, lang: 'python3', problem })).verdict, 'AC');
    const coarse = 'a, b = map(int, input().split())\nprint(f"{a / b:.3f}")';
    assert.equal((await judge.judge({ code: coarse, lang: 'python3', problem })).verdict, 'WA');
  });

  it('accepts any of several outputs, yes/YES, and ignores stderr', async () => {
    const problem = stdio([
      { input: 'any\n', outputs: ['1 2', '2 1'] },
      { input: 'yes\n', outputs: ['YES'] },
    ]);
    const code = 'import sys\nline = input()\nprint("debug output", file=sys.stderr)\nprint("2 1" if line == "any" else "yes")';
    const r = await judge.judge({ code, lang: 'python3', problem });
    assert.equal(r.verdict, 'AC', JSON.stringify(r));
    assert.match(r.tests[0].stderr, /debug output/);
  });

  it('cuts a program that prints without end and kills it', async () => {
    const capped = new Judge({ workRoot, outputCapBytes: 64 * 1024 });
    try {
      const r = await capped.judge({ code: 'while True:\n    print("spam" * 100)', lang: 'python3', problem: stdio([{ input: '', outputs: ['1'] }], { timeLimitMs: 5000 }) });
      assert.equal(r.verdict, 'WA');
      assert.equal(r.tests[0].truncated, true);
      assert.equal(Buffer.byteLength(r.tests[0].actual), 64 * 1024);
      assert.match(r.tests[0].stderr, /output limit exceeded/);
    } finally {
      await capped.dispose();
    }
  });

  it('compiles once: the second judge of the same code hits the cache', async () => {
    const code = '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b); /* cache */ }';
    const compiles: boolean[] = [];
    const first = await judge.judge({ code, lang: 'cpp', problem: SUM, onCompile: (c) => compiles.push(c.cached) });
    const second = await judge.judge({ code, lang: 'cpp', problem: SUM, onCompile: (c) => compiles.push(c.cached) });
    assert.deepEqual(compiles, [false, true]);
    assert.equal(first.compile?.cached, false);
    assert.equal(second.compile?.cached, true);
    assert.equal(second.verdict, 'AC');
  });

  it('concurrent judges of the same code share one compile', async () => {
    const code = '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b); /* shared */ }';
    const reports = await Promise.all([1, 2, 3].map(() => judge.judge({ code, lang: 'cpp', problem: SUM })));
    assert.deepEqual(reports.map((r) => r.compile?.cached).sort(), [false, true, true]);
    assert.ok(reports.every((r) => r.verdict === 'AC'));
  });

  it('a compile aborted by one judge is redone for another judge of the same code', async () => {
    const code = '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b); /* aborted */ }';
    const ac = new AbortController();
    const first = judge.judge({ code, lang: 'cpp', problem: SUM, signal: ac.signal });
    const second = judge.judge({ code, lang: 'cpp', problem: SUM });
    ac.abort();
    await assert.rejects(first, (e: Error) => e.name === 'AbortError');
    const r = await second;
    assert.equal(r.verdict, 'AC', JSON.stringify(r));
  });

  it('a cached compile error stays a compile error', async () => {
    const code = 'int main() { oops }';
    await judge.judge({ code, lang: 'cpp', problem: SUM });
    const again = await judge.judge({ code, lang: 'cpp', problem: SUM });
    assert.equal(again.verdict, 'CE');
    assert.equal(again.compile?.cached, true);
    assert.match(again.compile!.message, /oops/);
  });

  it('runs samples at the same time, never more than `concurrency`', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'judge-overlap-'));
    try {
      // Each run registers itself, then watches for up to `seconds` how many runs are registered at once.
      // `leave`: unregister at the end, so the count is of runs alive at the same time.
      const program = (want: number, seconds: number, leave: boolean) => `import os, time\nd = ${JSON.stringify(shared)}\nmine = os.path.join(d, str(os.getpid()))\nopen(mine, "w").close()\nseen = 0\nend = time.time() + ${seconds}\nwhile time.time() < end:\n    seen = max(seen, len(os.listdir(d)))\n    if seen >= ${want}: break\n    time.sleep(0.01)\n${leave ? 'os.remove(mine)' : ''}\nprint(seen)`;
      const samples = [0, 1].map(() => ({ input: '', outputs: ['2'] }));
      const two = new Judge({ workRoot, concurrency: 2, isolation: 'off' });
      const one = new Judge({ workRoot, concurrency: 1, isolation: 'off' });
      try {
        const together = await two.judge({ code: program(2, 5, false), lang: 'python3', problem: stdio(samples, { timeLimitMs: 8000 }) });
        assert.equal(together.verdict, 'AC', JSON.stringify(together.tests.map((t) => t.actual)));
        rmSync(shared, { recursive: true, force: true });
        mkdirSync(shared);
        const alone = await one.judge({ code: program(3, 0.3, true), lang: 'python3', problem: stdio([...samples, { input: '', outputs: ['1'] }], { timeLimitMs: 8000 }) });
        assert.deepEqual(alone.tests.map((t) => t.actual.trim()), ['1', '1', '1']);
      } finally {
        await Promise.all([two.dispose(), one.dispose()]);
      }
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('calls onTest for every test and returns results in test order', async () => {
    const samples = [5, 1, 3, 2].map((n) => ({ input: `${n}\n`, outputs: [`${n * 2}`] }));
    const seen: number[] = [];
    const code = 'import time\nn = int(input())\ntime.sleep(n / 50)\nprint(n * 2)';
    const r = await judge.judge({ code, lang: 'python3', problem: stdio(samples), onTest: (t) => seen.push(t.index) });
    assert.equal(r.verdict, 'AC');
    assert.deepEqual(seen.slice().sort(), [0, 1, 2, 3]);
    assert.deepEqual(r.tests.map((t) => t.input), samples.map((s) => s.input));
  });

  it('measures CPU time and peak memory of stdio tests where it runs them as a batch', async function () {
    if (process.platform !== 'linux') this.skip();
    const code = '#include <cstdio>\n#include <cstring>\n#include <cstdlib>\nint main(){ size_t n = 40u << 20; char *p = (char *)malloc(n); memset(p, 1, n); volatile unsigned long x = 0; for (unsigned long i = 0; i < 200000000UL; i++) x += p[i % n]; printf("%d\\n", (int)(x & 1)); }';
    const r = await judge.judge({ code, lang: 'cpp', problem: stdio([{ input: '', outputs: ['0'] }], { timeLimitMs: 5000, memoryLimitMb: 256 }) });
    const [t] = r.tests;
    assert.ok((t.memoryKb ?? 0) >= 40 * 1024, `${t.memoryKb} KB`);
    assert.ok((t.cpuMs ?? 0) > 0 && (t.cpuMs ?? 0) <= t.timeMs + 50, `${t.cpuMs} ms CPU, ${t.timeMs} ms wall`);
  });

  it('starts waiting judges smallest priority first', async () => {
    const one = new Judge({ workRoot, concurrency: 1, isolation: 'off' });
    try {
      const order: string[] = [];
      const slow = one.judge({ code: 'import time\ntime.sleep(0.3)\nprint(1)', lang: 'python3', problem: stdio([{ input: '', outputs: ['1'] }]) });
      const waiting = ['later', 'sooner'].map((name, i) => one.judge({
        code: `print("${name}")`, lang: 'python3', problem: stdio([{ input: '', outputs: [name] }]), priority: () => 1 - i, onTest: () => order.push(name),
      }));
      await Promise.all([slow, ...waiting]);
      assert.deepEqual(order, ['sooner', 'later']);
    } finally {
      await one.dispose();
    }
  });

  it('does not pass the parent environment to candidates', async () => {
    process.env.MAPCODER_TEST_SECRET_KEY = 'sk-should-not-leak';
    try {
      const code = 'import os\nprint(os.environ.get("MAPCODER_TEST_SECRET_KEY", "none"), os.environ["HOME"] == os.getcwd())';
      const r = await judge.judge({ code, lang: 'python3', problem: stdio([{ input: '', outputs: ['none True'] }]) });
      assert.equal(r.verdict, 'AC', r.tests[0].actual);
    } finally {
      delete process.env.MAPCODER_TEST_SECRET_KEY;
    }
  });

  it('kills the forked children of a program on the time limit', async () => {
    const pidFile = join(workRoot, 'tle-fork.pids');
    const code = `import os, time\npid = os.fork()\nif pid == 0:\n    while True: time.sleep(1)\nopen(${JSON.stringify(pidFile)}, "w").write(f"{os.getpid()} {pid}")\nwhile True: pass`;
    const r = await plain.judge({ code, lang: 'python3', problem: stdio([{ input: '', outputs: ['x'] }]) });
    assert.equal(r.verdict, 'TLE');
    const [parent, child] = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    await waitFor(() => (alive(parent) || alive(child) ? undefined : true), 'the processes to die', 2000);
    assert.deepEqual(groupMembers(parent), []);
  });

  it('abort mid-run kills every running program and its children, and rejects with AbortError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'judge-abort-'));
    try {
      const code = `import os, sys, subprocess, time\nchild = subprocess.Popen(["sleep", "60"])\nopen(os.path.join(${JSON.stringify(dir)}, str(os.getpid())), "w").write(str(child.pid))\ntime.sleep(60)`;
      const ac = new AbortController();
      const running = plain.judge({ code, lang: 'python3', problem: stdio([0, 1].map(() => ({ input: '', outputs: [''] })), { timeLimitMs: 60_000 }), signal: ac.signal });
      const pids = await waitFor(() => {
        const files = readdirSync(dir);
        return files.length === 2 && files.every((f) => readFileSync(join(dir, f), 'utf8') !== '') ? files : undefined;
      }, 'both programs to start');
      ac.abort();
      await assert.rejects(running, (e: Error) => e.name === 'AbortError');
      for (const f of pids) {
        const [parent, child] = [Number(f), Number(readFileSync(join(dir, f), 'utf8'))];
        assert.ok(!alive(parent), `program ${parent} is gone`);
        await waitFor(() => (alive(child) ? undefined : true), `its child ${child} to die`, 2000);
        assert.deepEqual(groupMembers(parent), []);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dispose removes its temp dir and later judges are refused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'judge-dispose-'));
    const j = new Judge({ workRoot: root });
    await j.judge({ code: 'print(3)', lang: 'python3', problem: stdio([{ input: '', outputs: ['3'] }]) });
    assert.equal(readdirSync(root).length, 1);
    await j.dispose();
    assert.deepEqual(readdirSync(root), []);
    await assert.rejects(j.judge({ code: 'print(3)', lang: 'python3', problem: stdio([]) }));
    rmSync(root, { recursive: true, force: true });
    assert.ok(!existsSync(root));
  });
});
