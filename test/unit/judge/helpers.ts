import { readdirSync, readFileSync } from 'node:fs';
import type { JudgeRequest } from '../../../src/core/judge';
import type { Sample } from '../../../src/core/types';

/** State letter and process group of a live process; undefined when gone. Zombies count as gone. */
function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state ppid pgrp ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' || state === 'X' ? undefined : { state, pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

export function alive(pid: number): boolean {
  return procStat(pid) !== undefined;
}

/** Live processes in group `pgid`. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => procStat(pid)?.pgrp === pgid);
}

export function stdio(samples: Sample[], limits: { timeLimitMs?: number; memoryLimitMb?: number } = {}): JudgeRequest['problem'] {
  return { samples, asserts: [], style: { kind: 'stdio' }, ...limits };
}

export function functional(name: string, asserts: string[], timeLimitMs?: number): JudgeRequest['problem'] {
  return { samples: [], asserts, style: { kind: 'function', name }, timeLimitMs };
}

/** Polls until `probe` gives a value (not undefined); throws after `ms`. */
export async function waitFor<T>(probe: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
