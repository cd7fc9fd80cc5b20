import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Problem } from '../../../src/core/types';
import { waitFor } from '../judge/helpers';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'hostile');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A unique string to put in paths, so processes and files of one test run can be found again. */
export function marker(): string {
  return `mcl-hostile-${randomBytes(5).toString('hex')}`;
}

/** Live processes (zombies have no cmdline) whose command line contains `mark`, this process excluded. */
export function processesWith(mark: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(mark)) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}


/** Waits until no process carries `mark` (processes being torn down may take a moment). */
export function noneLeft(mark: string, ms = 10_000): Promise<true> {
  return waitFor(() => (processesWith(mark).length === 0 ? true : undefined), `processes with ${mark} to die`, ms);
}

export function stdioProblem(input: string, output: string, limits: { timeLimitMs?: number; memoryLimitMb?: number } = {}): Problem {
  return {
    title: 'hostile', statement: '', samples: [{ input, outputs: [output] }], asserts: [], style: { kind: 'stdio' },
    timeLimitMs: limits.timeLimitMs ?? 1000, memoryLimitMb: limits.memoryLimitMb ?? 256,
  };
}

/** A TCP listener on 127.0.0.1 that counts the connections it accepts. */
export async function listener(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server: Server = createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, accepted: () => accepted, close: () => new Promise((r) => server.close(() => r())) };
}
