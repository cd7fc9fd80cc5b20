// The cost of one sandboxed run, per way of building the sandbox: our helper (one spawn per run, and
// per test inside a batch) and bubblewrap with the closest flags it has
// (new namespaces, read-only root, private /tmp and /run, minimal /dev, no capabilities), and the batch's
// per-test cost with control groups. Each runs `true`.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupSpec, judgeCgroups } from '../src/core/judge/cgroup';
import { judgeCacheDir, sandboxArgv, sandboxPaths } from '../src/core/judge/sandbox';
import { batchArgs, buildHelper } from '../src/core/judge/sandbox-helper';

export interface SandboxRow {
  wrapper: string;
  /** Median wall time of one run of `true`, spawn included. */
  msPerRun: number;
  runs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeRuns(argv: string[], cwd: string, runs: number, input?: string): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { cwd, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${argv[0]} failed (${r.status}): ${r.stderr}`);
  }
  return times;
}

function bwrapArgv(cwd: string): string[] | undefined {
  if (spawnSync('bwrap', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  return ['bwrap', '--unshare-all', '--die-with-parent', '--new-session', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev',
    '--tmpfs', '/tmp', '--tmpfs', '/run', '--bind', cwd, cwd, '--chdir', cwd, '--cap-drop', 'ALL',
    ...(process.getuid?.() === 0 ? ['--uid', '65534', '--gid', '65534'] : []), 'true'];
}

export function benchSandboxes(runs: number, batchTests = 20): SandboxRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'mcl-bench-sandbox-'));
  chmodSync(dir, 0o755);
  try {
    const rows: SandboxRow[] = [{ wrapper: 'none (plain spawn)', msPerRun: median(timeRuns(['true'], dir, runs)), runs }];
    const paths = sandboxPaths(dir, process.env);
    const helper = buildHelper(judgeCacheDir());
    if (helper) {
      rows.push({ wrapper: 'helper, one run', msPerRun: median(timeRuns(sandboxArgv(['true'], paths, { wallMs: 5000 }, { helper }), dir, runs)), runs });
      const perTest = (cgroups: string) => {
        const batch = [helper, ...batchArgs({ isolate: true, cwd: dir, hide: paths.hide, keep: paths.keep, cgroups, wallMs: 5000, cap: 1024, tests: batchTests, program: ['true'] })];
        return median(timeRuns(batch, dir, Math.max(3, Math.round(runs / 4)), '0\n'.repeat(batchTests))) / batchTests;
      };
      rows.push({ wrapper: `helper, per test in a batch of ${batchTests}`, msPerRun: perTest(''), runs: batchTests });
      // Each test in control groups of its own (made, joined, read and removed), where the judge may make them.
      const groups = judgeCgroups(helper);
      if (groups) rows.push({ wrapper: `helper, per test in a batch of ${batchTests}, with cgroup v${groups.version}`, msPerRun: perTest(cgroupSpec(groups, 256)), runs: batchTests });
    }
    const bwrap = bwrapArgv(dir);
    if (bwrap) rows.push({ wrapper: 'bubblewrap', msPerRun: median(timeRuns(bwrap, dir, runs)), runs });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
