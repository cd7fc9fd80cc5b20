import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { download, type DownloadProgress } from './download';
import { hubEndpoint, listRepo, pickQuant, resolveUrl, type HubFile } from './hf';
import { cachePath, describeSource, SourceError, type ModelSource } from './source';

// A model or adapter source to a file on this machine: a path as it is, anything else from the cache
// (models dir) or downloaded into it. A cached file is used without asking the network.

export interface LocateOptions {
  /** The models cache (paths.modelsDir()). */
  dir: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
}

/** The local path of `source` (a split model: its first part), downloading what is missing. */
export async function locate(source: ModelSource, opts: LocateOptions): Promise<string> {
  switch (source.kind) {
    case 'file': {
      const s = await stat(source.path).catch(() => undefined);
      if (!s) throw new SourceError(`${source.path} does not exist`);
      if (!s.isFile()) throw new SourceError(`${source.path} is not a file`);
      return source.path;
    }
    case 'url': {
      const dest = cachePath(opts.dir, source);
      await download({ url: source.url, dest, sha256: source.sha256, label: describeSource(source) }, opts);
      return dest;
    }
    case 'hf':
      return locateHf(source, opts);
  }
}

async function locateHf(source: Extract<ModelSource, { kind: 'hf' }>, opts: LocateOptions): Promise<string> {
  const env = opts.env ?? process.env;
  const endpoint = hubEndpoint(env);
  const headers: Record<string, string> = env.HF_TOKEN ? { authorization: `Bearer ${env.HF_TOKEN}` } : {};
  let files: HubFile[];
  if (source.file) {
    const dest = cachePath(opts.dir, source);
    if (await isFile(dest)) return dest;
    const listing = await listRepo(endpoint, source.repo, headers, opts.signal);
    const entry = listing.find((f) => f.path === source.file);
    if (!entry) throw new SourceError(`hf:${source.repo} has no file ${source.file}`);
    const split = /-(\d{5})-of-(\d{5})\.gguf$/i.exec(entry.path);
    files = split ? listing.filter((f) => f.path.replace(/-\d{5}-of-/i, '-') === entry.path.replace(/-\d{5}-of-/i, '-')) : [entry];
  } else {
    const cached = pickQuant(await cachedFiles(cachePath(opts.dir, source, '')), source.repo, source.quant);
    if (typeof cached !== 'string') return cachePath(opts.dir, source, cached[0].path);
    const picked = pickQuant(await listRepo(endpoint, source.repo, headers, opts.signal), source.repo, source.quant);
    if (typeof picked === 'string') throw new SourceError(picked);
    files = picked;
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  for (const f of files) {
    await download(
      { url: resolveUrl(endpoint, source.repo, f.path), dest: cachePath(opts.dir, source, f.path), size: f.size, sha256: f.sha256, headers, label: `hf:${source.repo}/${f.path}` },
      opts,
    );
  }
  return cachePath(opts.dir, source, files[0].path);
}

/** Complete files under `root`, as repository paths (partial downloads and locks left out). */
async function cachedFiles(root: string): Promise<HubFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && !/\.(partial|lock)$/.test(e.name))
    .map((e) => ({ path: relative(root, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(sep).join('/') }));
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
