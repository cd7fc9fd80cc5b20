import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatBytes } from './gguf';
import { isAlive } from './pid';

// One file from the network into the models cache: resumed with HTTP Range after an interruption,
// refused before it starts when the disk cannot hold it, checked for size and sha256 (where the host
// gives one) before it takes its final name. Until then it is NAME.partial, which nothing loads.

export interface DownloadRequest {
  url: string;
  dest: string;
  /** Expected size and sha256 (from the hub's listing or a #sha256= fragment), checked at the end. */
  size?: number;
  sha256?: string;
  /** Sent to the URL's own host only, never after a redirect to another (a hub token). */
  headers?: Record<string, string>;
  /** The file as the user knows it, for messages. */
  label: string;
  /** Where to put it instead when the disk is full (default: the models cache's variable). */
  diskHint?: string;
}

export interface DownloadProgress {
  label: string;
  received: number;
  total?: number;
}

/** `unreachable`: no connection to the host at all (offline, or a wrong mirror); `failed`: the transfer went wrong. */
export type DownloadFailure = 'failed' | 'unreachable' | 'cancelled' | 'checksum' | 'disk' | 'busy';

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(message: string, readonly kind: DownloadFailure) {
    super(message);
  }
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Free bytes where the file goes (tests stand in a full disk). */
  freeBytes?: (dir: string) => Promise<number>;
}

/** Room kept free beyond the file itself. */
const DISK_MARGIN = 64 * 1024 * 1024;
const PROGRESS_EVERY_MS = 250;
const MAX_REDIRECTS = 10;

async function freeBytesAt(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Downloads `req.url` to `req.dest` unless it is there already. */
export async function download(req: DownloadRequest, opts: DownloadOptions = {}): Promise<void> {
  if (await exists(req.dest)) return;
  await mkdir(dirname(req.dest), { recursive: true });
  const partial = `${req.dest}.partial`;
  const release = await lock(`${partial}.lock`, req.label);
  try {
    if (await exists(req.dest)) return;
    await fetchInto(req, partial, opts);
    await rename(partial, req.dest);
  } finally {
    await release();
  }
}

async function fetchInto(req: DownloadRequest, partial: string, opts: DownloadOptions): Promise<void> {
  const { signal } = opts;
  let have = (await stat(partial).catch(() => undefined))?.size ?? 0;
  if (req.size !== undefined && have > req.size) {
    await rm(partial, { force: true });
    have = 0;
  }
  let res = await get(req, have, signal);
  let start = 0;
  let total = req.size;
  if (res.status === 416 || (res.status === 206 && rangeStart(res) !== have)) {
    // The partial file does not fit what the server has now: start over.
    await res.body?.cancel();
    await rm(partial, { force: true });
    have = 0;
    res = await get(req, 0, signal);
  }
  if (res.status === 206) {
    start = have;
    total ??= rangeTotal(res);
  } else if (res.status === 200) {
    const length = Number(res.headers.get('content-length') ?? NaN);
    total ??= Number.isFinite(length) ? length : undefined;
  } else {
    await res.body?.cancel();
    throw new DownloadError(`${req.label}: ${new URL(req.url).host} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, 'failed');
  }
  if (total !== undefined) {
    const free = await (opts.freeBytes ?? freeBytesAt)(dirname(partial));
    const need = total - start;
    if (free < need + DISK_MARGIN) {
      await res.body?.cancel();
      throw new DownloadError(`${req.label} needs ${formatBytes(need)} in ${dirname(partial)}, which has ${formatBytes(free)} free (${req.diskHint ?? 'set MAPCODER_MODELS_DIR to another disk'})`, 'disk');
    }
  }
  const hash = req.sha256 ? createHash('sha256') : undefined;
  if (hash && start > 0) await hashFile(partial, hash);
  const out = await open(partial, start > 0 ? 'a' : 'w');
  let received = start;
  let last = 0;
  const progress = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    opts.onProgress?.({ label: req.label, received, total });
  };
  try {
    progress(true);
    if (!res.body) throw new Error('no body');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await out.write(chunk);
      hash?.update(chunk);
      received += chunk.length;
      progress(false);
    }
    progress(true);
  } catch (e) {
    if (signal?.aborted) throw new DownloadError(`${req.label}: download cancelled at ${percent(received, total)}; the next run resumes it`, 'cancelled');
    throw new DownloadError(`${req.label}: the download broke at ${percent(received, total)} (${causeOf(e)}); the next run resumes it`, 'failed');
  } finally {
    await out.close();
  }
  if (total !== undefined && received !== total) {
    if (received > total) await rm(partial, { force: true });
    throw new DownloadError(`${req.label}: got ${formatBytes(received)} of ${formatBytes(total)}; the next run ${received > total ? 'starts over' : 'resumes it'}`, 'failed');
  }
  const digest = hash?.digest('hex');
  if (digest && digest !== req.sha256) {
    await rm(partial, { force: true });
    throw new DownloadError(`${req.label}: checksum mismatch (sha256 ${digest}, expected ${req.sha256}); the file was removed`, 'checksum');
  }
}

/** GET with Range from `from`, following redirects; headers go to the first host only. */
async function get(req: DownloadRequest, from: number, signal?: AbortSignal): Promise<Response> {
  let url = new URL(req.url);
  const origin = url.origin;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { ...(url.origin === origin ? req.headers : {}), ...(from > 0 ? { range: `bytes=${from}-` } : {}) };
    let res: Response;
    try {
      res = await fetch(url, { headers, signal, redirect: 'manual' });
    } catch (e) {
      if (signal?.aborted) throw new DownloadError(`${req.label}: download cancelled`, 'cancelled');
      throw new DownloadError(`${req.label}: cannot reach ${url.host} (${causeOf(e)})`, 'unreachable');
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return res;
    await res.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new DownloadError(`${req.label}: more than ${MAX_REDIRECTS} redirects`, 'failed');
    url = new URL(location, url);
    if (url.protocol !== 'https:' && url.protocol !== new URL(req.url).protocol) throw new DownloadError(`${req.label}: redirected to ${url.protocol}// ; refused`, 'failed');
  }
}

function rangeStart(res: Response): number | undefined {
  const m = /bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : undefined;
}

function rangeTotal(res: Response): number | undefined {
  const m = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : undefined;
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** An exclusive lock file holding our pid; one whose holder is gone is taken over. */
async function lock(path: string, label: string): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      if (holder && isAlive(holder)) throw new DownloadError(`${label} is being downloaded by another process (pid ${holder})`, 'busy');
      await rm(path, { force: true });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

function percent(received: number, total?: number): string {
  return total ? `${Math.floor((received / total) * 100)} %` : formatBytes(received);
}

/** The network error's own reason (ECONNREFUSED, ...) rather than fetch's "fetch failed". */
export function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
