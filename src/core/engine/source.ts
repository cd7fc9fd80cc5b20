import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';

// A model or adapter as users give it: a GGUF path, an https:// URL, or the hub forms node-llama-cpp
// users know (`hf:owner/repo:quant`, `hf:owner/repo/path/file.gguf`, `hf:owner/repo` for its Q4_K_M).

export type ModelSource =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string; sha256?: string }
  | { kind: 'hf'; repo: string; quant?: string; file?: string };

export class SourceError extends Error {
  override name = 'SourceError';
}

const REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SHA256 = /^[0-9a-f]{64}$/i;

/** Reads `spec`; relative paths resolve against `cwd`, `~/` against the home folder. */
export function parseSource(spec: string, cwd = process.cwd()): ModelSource {
  const s = spec.trim();
  if (!s) throw new SourceError('an empty model name');
  if (/^hf:/i.test(s)) return parseHf(s.slice(3), spec);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return parseUrl(s);
  const path = s === '~' || s.startsWith('~/') ? join(homedir(), s.slice(1)) : s;
  return { kind: 'file', path: isAbsolute(path) ? path : resolve(cwd, path) };
}

function parseHf(rest: string, spec: string): ModelSource {
  const [path, quant, extra] = rest.split(':');
  const parts = path.split('/').filter(Boolean);
  const repo = parts.slice(0, 2).join('/');
  if (extra !== undefined || !REPO.test(repo) || parts.some((p) => p === '..' || p === '.')) {
    throw new SourceError(`"${spec}" is not a hub model: use hf:owner/repo:QUANT (e.g. hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M) or hf:owner/repo/file.gguf`);
  }
  if (parts.length > 2) {
    if (quant !== undefined) throw new SourceError(`"${spec}": give a file or a quantization, not both`);
    const file = parts.slice(2).join('/');
    if (!/\.gguf$/i.test(file)) throw new SourceError(`"${spec}": the file must be a .gguf`);
    return { kind: 'hf', repo, file };
  }
  if (quant !== undefined && !/^[A-Za-z0-9_.-]+$/.test(quant)) throw new SourceError(`"${spec}": "${quant}" is not a quantization name (e.g. Q4_K_M)`);
  return { kind: 'hf', repo, ...(quant ? { quant } : {}) };
}

function parseUrl(s: string): ModelSource {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new SourceError(`"${s}" is not a URL`);
  }
  // Plain http only from this machine (a local mirror, the tests): a model fetched over the network is code.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SourceError(`"${s}": models are downloaded over https:// (plain http:// only from 127.0.0.1)`);
  }
  const sha = /^#?sha256=(.+)$/i.exec(url.hash)?.[1];
  if (url.hash && !sha) throw new SourceError(`"${s}": the only fragment understood is #sha256=HEX`);
  if (sha && !SHA256.test(sha)) throw new SourceError(`"${s}": #sha256= takes 64 hex digits`);
  url.hash = '';
  return { kind: 'url', url: url.href, ...(sha ? { sha256: sha.toLowerCase() } : {}) };
}

/** Where a downloaded file of `source` lives in the cache `dir`. */
export function cachePath(dir: string, source: Exclude<ModelSource, { kind: 'file' }>, file?: string): string {
  if (source.kind === 'hf') return join(dir, 'hf', ...source.repo.split('/'), ...(file ?? source.file ?? '').split('/'));
  const name = basename(new URL(source.url).pathname) || 'model.gguf';
  return join(dir, 'url', createHash('sha256').update(source.url).digest('hex').slice(0, 16), name);
}

/** The spec as one line for messages and for comparing two engines' models. */
export function describeSource(source: ModelSource): string {
  switch (source.kind) {
    case 'file': return source.path;
    case 'url': return source.url;
    case 'hf': return `hf:${source.repo}${source.file ? `/${source.file}` : source.quant ? `:${source.quant}` : ''}`;
  }
}
