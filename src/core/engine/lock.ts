import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './pid';

// One engine per user and machine: its host process holds <engineDir>/engine.json (pid, port, token,
// what it serves). The file is created whole with link(2), which fails when it exists, so two hosts
// starting at once cannot both win. A lock whose process is gone, or whose port does not answer, is
// stale and taken over. The folder is private to the user (0700) and the file 0600: it holds the token.

export interface EngineLock {
  pid: number;
  /** The host's own port (control routes; the endpoint itself for the product's engine). */
  port: number;
  token: string;
  kind: EngineKind;
  /** What it serves, as compared by a client that wants to share it (see specKey). */
  spec: string;
  startedAt: number;
}

export type EngineKind = 'node' | 'llama-server';

export const LOCK_FILE = 'engine.json';
export const LOG_FILE = 'engine.log';

export function lockPath(dir: string): string {
  return join(dir, LOCK_FILE);
}

export async function readLock(dir: string): Promise<EngineLock | undefined> {
  return parseLock(await readFile(lockPath(dir), 'utf8').catch(() => ''));
}

function parseLock(text: string): EngineLock | undefined {
  try {
    const l = JSON.parse(text) as EngineLock;
    return typeof l.pid === 'number' && typeof l.port === 'number' && typeof l.token === 'string' ? l : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock's host still runs: its process exists and something answers on its port. */
export async function lockIsLive(lock: EngineLock): Promise<boolean> {
  if (!isAlive(lock.pid)) return false;
  try {
    await fetch(`http://127.0.0.1:${lock.port}/health`, { signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

export type TakeResult = { taken: true } | { taken: false; holder: EngineLock };

/** Takes the lock for `mine`, over a stale one; gives the live holder otherwise. */
export async function takeLock(dir: string, mine: EngineLock): Promise<TakeResult> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = lockPath(dir);
  const temp = join(dir, `.engine.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, JSON.stringify(mine), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(temp, path);
        return { taken: true };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = await readLock(dir);
      if (holder && (await lockIsLive(holder))) return { taken: false, holder };
      await removeStale(dir, holder);
    }
    throw new Error(`cannot take the engine lock ${path}: it keeps changing`);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Moves a stale lock aside and removes it, unless what was moved is not the stale one (another host
 * replaced it meanwhile): that one is put back.
 */
async function removeStale(dir: string, stale: EngineLock | undefined): Promise<void> {
  const path = lockPath(dir);
  const aside = join(dir, `.engine.stale.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = parseLock(await readFile(aside, 'utf8').catch(() => ''));
  const same = stale ? moved?.pid === stale.pid && moved.startedAt === stale.startedAt : moved === undefined;
  if (!same) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Removes the lock if it is still ours. */
export async function dropLock(dir: string, mine: Pick<EngineLock, 'pid' | 'token'>): Promise<void> {
  const held = await readLock(dir);
  if (held && held.pid === mine.pid && held.token === mine.token) await rm(lockPath(dir), { force: true });
}
