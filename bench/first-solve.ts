// The first Solve's weight on the editor: work on the extension host's thread between the command
// and the first agent call, which stops every extension in the window while it runs. The steps of
// RunLifecycle.start (first-solve-entry.ts), bundled as esbuild.mjs bundles the extension, run in a
// fresh Node process against the scripted server: with a fresh judge cache (the C helper not built yet)
// and warm (built by an earlier process). Event-loop utilisation gives the busy time, the loop-delay
// histogram the longest single block.
import * as esbuild from 'esbuild';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startScriptedServer } from '../test/fixtures/llm-server/server';
import { median } from './stats';

const ROOT = resolve(__dirname, '..');

export interface FirstSolveRun {
  /** The main thread's CPU time from the command to the first chat request: the synchronous work's cost. */
  cpuMs: number;
  /** Event loop busy (synchronous work) from the command to the first chat request. */
  activeMs: number;
  /** The longest single stretch of it. */
  longestMs: number;
  /** Commands run with spawnSync and the like in the window (each blocks until its process exits). */
  blockingSpawns: string[];
  /** Wall time from the command to the first chat request (the helper build and probes run meanwhile). */
  wallMs: number;
}

export interface FirstSolveFigures {
  reps: number;
  /** The machine's load average at the start and the end (the wall-time figures stretch with it). */
  load: [number, number];
  fresh: FirstSolveRun;
  warm: FirstSolveRun;
}

const mid = (runs: FirstSolveRun[]): FirstSolveRun => ({
  cpuMs: median(runs.map((r) => r.cpuMs)), activeMs: median(runs.map((r) => r.activeMs)), longestMs: median(runs.map((r) => r.longestMs)), wallMs: median(runs.map((r) => r.wallMs)),
  blockingSpawns: [...new Set(runs.flatMap((r) => r.blockingSpawns))],
});

export async function benchFirstSolve(reps: number, log: (s: string) => void): Promise<FirstSolveFigures> {
  const load = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'bench-first-solve-'));
  const server = await startScriptedServer({ handler: () => ({ text: 'no reply needed' }) });
  try {
    // The layout of the packaged extension: dist/ with the helper's files beside the bundle, prompts/ above it.
    const dist = join(dir, 'dist');
    await esbuild.build({
      entryPoints: { 'first-solve': join(__dirname, 'first-solve-entry.ts'), 'core-worker': join(ROOT, 'src/extension/run/core-worker.ts') }, outdir: dist, bundle: true,
      platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent',
    });
    cpSync(join(ROOT, 'src/core/judge/helper'), join(dist, 'helper'), { recursive: true });
    symlinkSync(join(ROOT, 'prompts'), join(dir, 'prompts'));
    const once = async (cache: string): Promise<FirstSolveRun> => {
      const { stdout } = await promisify(execFile)(process.execPath, [join(dist, 'first-solve.js'), server.url, join(dir, 'prompts')], {
        env: { ...process.env, TMPDIR: cache }, timeout: 120_000,
      });
      return JSON.parse(stdout.trim().split('\n').pop()!) as FirstSolveRun;
    };
    const fresh: FirstSolveRun[] = [];
    const warm: FirstSolveRun[] = [];
    for (let i = 0; i < reps; i++) {
      const cache = mkdtempSync(join(dir, 'cache-'));
      fresh.push(await once(cache));
      warm.push(await once(cache));
      log(`  rep ${i + 1}: fresh ${JSON.stringify(fresh[i])}, warm ${JSON.stringify(warm[i])}`);
    }
    return { reps, load: [load, loadavg()[0]], fresh: mid(fresh), warm: mid(warm) };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
