// The judge against the floor: the bare cost of the same work from a shell (compile once, then run
// the program on each test one after the other), measured the same way (wall time seen from Node).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Judge, type Isolation, type JudgeRequest } from '../src/core/judge';
import type { Lang, Problem, Sample } from '../src/core/types';
import { defaultDataDir } from '../src/eval/datasets/files';
import { median } from './stats';

export interface JudgeCase {
  name: string;
  lang: Lang;
  code: string;
  problem: JudgeRequest['problem'];
  /** What the floor runs: a shell script given the work dir with the source written in it. */
  floor: (dir: string) => { setup?: string; runs: string };
}

export interface JudgeRow {
  name: string;
  lang: Lang;
  tests: number;
  passed: number;
  /** First judge of the program: compile (or syntax check) and tests. */
  coldMs: number;
  /** Second judge of the same program on a judge that has seen it. */
  warmMs: number;
  /** Warm, one process at a time. */
  warmSerialMs: number;
  /** Compile (when there is one) and every run, one after the other, from a shell. */
  floorMs: number;
  /** Only the runs. */
  floorRunsMs: number;
  /** Whether the second judge reported its build as cached. */
  secondCached: boolean;
  concurrency: number;
  /** `auto`: the namespace sandbox where it works (the default); `off`: rlimits and process-group kill only. */
  isolation: 'auto' | 'off';
  /** What `auto` gave on this machine. */
  contained: Isolation;
}

/** The fetched benchmarks (`mapcoder-lite data fetch`): MAPCODER_DATA_DIR, else the user's cache. */
export function dataDir(): string {
  return defaultDataDir();
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(dataDir(), file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

/** Deterministic pseudo-random inputs (a linear congruential generator) so every run judges the same tests. */
function kadaneSamples(n: number, size: number): Sample[] {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: n }, () => {
    const a = Array.from({ length: size }, () => (next() % 2001) - 1000);
    let best = a[0];
    let cur = a[0];
    for (const x of a.slice(1)) {
      cur = Math.max(x, cur + x);
      best = Math.max(best, cur);
    }
    return { input: `${size}\n${a.join(' ')}\n`, outputs: [`${best}\n`] };
  });
}

const PY_KADANE = 'import sys\ndata = sys.stdin.buffer.read().split()\nn = int(data[0])\na = list(map(int, data[1:1 + n]))\nbest = cur = a[0]\nfor x in a[1:]:\n    cur = max(x, cur + x)\n    best = max(best, cur)\nprint(best)\n';
const CPP_KADANE = '#include <bits/stdc++.h>\nint main(){int n; if(!(std::cin>>n)) return 0; long long best=LLONG_MIN, cur=0; for(int i=0;i<n;i++){long long x; std::cin>>x; cur = i==0 ? x : std::max(x, cur+x); best = std::max(best, cur);} std::cout<<best<<"\\n";}\n';
const JAVA_KADANE = 'import java.io.*;\nimport java.util.*;\npublic class Main { public static void main(String[] a) throws IOException { BufferedReader r = new BufferedReader(new InputStreamReader(System.in)); int n = Integer.parseInt(r.readLine().trim()); StringTokenizer t = new StringTokenizer(r.readLine()); long best = Long.MIN_VALUE, cur = 0; for (int i = 0; i < n; i++) { long x = Long.parseLong(t.nextToken()); cur = i == 0 ? x : Math.max(x, cur + x); best = Math.max(best, cur); } System.out.println(best); } }\n';

const stdio = (samples: Sample[]): Problem => ({ title: '', statement: '', samples, asserts: [], style: { kind: 'stdio' }, timeLimitMs: 5000 });

/** The interpreter `python3` starts from a shell here (a launcher such as a pyenv shim resolved). */
function pythonExe(): string {
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

const shellLoop = (n: number, cmd: string) => `for i in $(seq 0 ${n - 1}); do ${cmd} < in$i.txt > /dev/null; done`;

export function judgeCases(n: number): JudgeCase[] {
  const samples = kadaneSamples(n, 1000);
  const py = pythonExe();
  const cases: JudgeCase[] = [
    { name: `stdio Kadane, ${n} tests`, lang: 'python3', code: PY_KADANE, problem: stdio(samples),
      floor: () => ({ runs: shellLoop(n, `${py} -B main.py`) }) },
    { name: `stdio Kadane, ${n} tests`, lang: 'cpp', code: CPP_KADANE, problem: stdio(samples),
      floor: () => ({ setup: 'g++ -O2 -std=c++17 -pipe -o main main.cpp', runs: shellLoop(n, './main') }) },
  ];
  if (spawnSync('javac', ['-version']).status === 0) {
    cases.push({ name: `stdio Kadane, ${n} tests`, lang: 'java', code: JAVA_KADANE, problem: stdio(samples),
      floor: () => ({ setup: 'javac -encoding UTF-8 -d . Main.java', runs: shellLoop(n, 'java -Xmx256m -Xss64m -XX:+UseSerialGC -cp . Main') }) });
  }
  // Canonical HumanEval solutions with the extended tests (HumanEval-ET): one process runs all asserts,
  // so the floor is the solution followed by its asserts (a failing one does not stop the rest), run once.
  const he = existsSync(join(dataDir(), 'HumanEvalET.jsonl'))
    ? readJsonl<{ task_id: string; prompt: string; canonical_solution: string; entry_point: string; test_case_list: string[] }>('HumanEvalET.jsonl')
    : [];
  for (const t of he.filter((_, i) => [0, 12, 53, 120].includes(i))) {
    const code = t.prompt + t.canonical_solution;
    cases.push({
      name: `${t.task_id} canonical, HumanEval-ET asserts`, lang: 'python3', code,
      problem: { samples: [], asserts: t.test_case_list, style: { kind: 'function', name: t.entry_point }, timeLimitMs: 5000 },
      floor: (dir) => {
        writeFileSync(join(dir, 'all.py'), `${code}\n${guarded(t.test_case_list)}`);
        return { runs: `${py} -B all.py > /dev/null` };
      },
    });
  }
  const mbpp = existsSync(join(dataDir(), 'MBPP.jsonl')) ? readJsonl<{ task_id: number; code: string; test_list: string[] }>('MBPP.jsonl') : [];
  for (const t of mbpp.slice(10, 12)) {
    const name = /def\s+(\w+)/.exec(t.code)?.[1] ?? 'f';
    cases.push({
      name: `MBPP/${t.task_id} reference, ${t.test_list.length} asserts`, lang: 'python3', code: t.code,
      problem: { samples: [], asserts: t.test_list, style: { kind: 'function', name }, timeLimitMs: 5000 },
      floor: (dir) => {
        writeFileSync(join(dir, 'all.py'), `${t.code}\n${guarded(t.test_list)}`);
        return { runs: `${py} -B all.py > /dev/null` };
      },
    });
  }
  return cases;
}

function guarded(asserts: string[]): string {
  return asserts.map((a) => `try:\n${a.split('\n').map((l) => `    ${l}`).join('\n')}\nexcept Exception:\n    pass\n`).join('');
}

/** Wall time of a shell script, seen from Node. */
function shellMs(script: string, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script], { cwd, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`floor script failed: ${script}`);
  return performance.now() - t0;
}

function floorOf(c: JudgeCase): { floorMs: number; floorRunsMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  try {
    const file = c.lang === 'python3' ? 'main.py' : c.lang === 'cpp' ? 'main.cpp' : 'Main.java';
    writeFileSync(join(dir, file), c.code);
    c.problem.samples.forEach((s, i) => writeFileSync(join(dir, `in${i}.txt`), s.input));
    const { setup, runs } = c.floor(dir);
    const setupMs = setup ? shellMs(setup, dir) : 0;
    const floorRunsMs = shellMs(runs, dir);
    return { floorMs: setupMs + floorRunsMs, floorRunsMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
}

async function measure(c: JudgeCase, concurrency: number, isolation: 'auto' | 'off'): Promise<JudgeRow> {
  const judge = new Judge({ concurrency, isolation });
  const serial = new Judge({ concurrency: 1, isolation });
  try {
    const req = { code: c.code, lang: c.lang, problem: c.problem };
    const [first, coldMs] = await timed(() => judge.judge(req));
    const [second, warmMs] = await timed(() => judge.judge(req));
    await serial.judge(req);
    const [, warmSerialMs] = await timed(() => serial.judge(req));
    return {
      name: c.name, lang: c.lang, tests: first.total, passed: first.passed, coldMs, warmMs, warmSerialMs,
      ...floorOf(c), secondCached: second.compile?.cached === true, concurrency, isolation,
      contained: judge.capabilities.isolation,
    };
  } finally {
    await judge.dispose();
    await serial.dispose();
  }
}

/** Each case `reps` times; per figure the median. */
export async function benchJudge(n: number, reps: number, log: (s: string) => void = () => undefined): Promise<JudgeRow[]> {
  const concurrency = availableParallelism();
  const rows: JudgeRow[] = [];
  for (const [c, isolation] of judgeCases(n).flatMap((c) => (['auto', 'off'] as const).map((i) => [c, i] as const))) {
    const runs: JudgeRow[] = [];
    for (let r = 0; r < reps; r++) runs.push(await measure(c, concurrency, isolation));
    const mid = (k: keyof JudgeRow) => median(runs.map((x) => x[k] as number));
    const row: JudgeRow = {
      ...runs[0], coldMs: mid('coldMs'), warmMs: mid('warmMs'), warmSerialMs: mid('warmSerialMs'), floorMs: mid('floorMs'),
      floorRunsMs: mid('floorRunsMs'), secondCached: runs.every((x) => x.secondCached),
    };
    log(`  ${row.lang} ${row.name} (isolation ${isolation}): warm ${Math.round(row.warmMs)} ms, floor runs ${Math.round(row.floorRunsMs)} ms`);
    rows.push(row);
  }
  return rows;
}
