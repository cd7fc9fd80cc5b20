// Problems that read and write named files (input.txt / output.txt, USACO's sort.in / sort.out): the
// test's input is written to that file in the program's folder, its answer read from the output file.
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../types';
import type { RunResult } from './run';

/** A file name a program may use in its own folder: no path, nothing hidden above it. */
export function safeFileName(name: string): boolean {
  return /^[\w][\w.+-]{0,99}$/.test(name) && name !== '.' && name !== '..';
}

/** The named files, where the problem has any (invalid names read as none). */
export function namedFiles(problem: Pick<Problem, 'io'>): { input?: string; output?: string } | undefined {
  const input = problem.io?.input && safeFileName(problem.io.input) ? problem.io.input : undefined;
  const output = problem.io?.output && safeFileName(problem.io.output) ? problem.io.output : undefined;
  return input || output ? { ...(input ? { input } : {}), ...(output ? { output } : {}) } : undefined;
}

/** The files to write before the run and the stdin it gets (nothing, when its input is a file). */
export function inputFiles(io: { input?: string } | undefined, input: string): { files: Record<string, string>; stdin: string } {
  return io?.input ? { files: { [io.input]: input }, stdin: '' } : { files: {}, stdin: input };
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text, { mode: 0o644 })));
}

/**
 * The run with its output read from the output file instead of stdout (at most `cap` bytes). A clean
 * run that wrote no such file has an empty output, and says so in stderr.
 */
export async function withOutputFile(r: RunResult, dir: string, name: string, cap: number): Promise<RunResult> {
  let fh;
  try {
    fh = await open(join(dir, name), 'r');
  } catch {
    return { ...r, stdout: '', stderr: `${r.stderr}${r.stderr && !r.stderr.endsWith('\n') ? '\n' : ''}[judge] the program wrote no ${name}` };
  }
  try {
    const buf = Buffer.alloc(cap + 1);
    const { bytesRead } = await fh.read(buf, 0, cap + 1, 0);
    const cut = bytesRead > cap;
    return { ...r, stdout: buf.subarray(0, Math.min(bytesRead, cap)).toString('utf8'), ...(cut ? { truncated: true, outputLimitExceeded: true } : {}) };
  } finally {
    await fh.close();
  }
}
