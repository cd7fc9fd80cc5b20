import { causeOf } from './download';
import { SourceError } from './source';

// The Hugging Face hub's shape, as far as the engine needs it: a repository's file tree with sizes and
// LFS checksums (GET /api/models/OWNER/REPO/tree/main?recursive=true) and a file's download URL
// (/OWNER/REPO/resolve/main/PATH). HF_ENDPOINT moves it (a mirror, or the tests' loopback server).

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';
/** The quantization `hf:owner/repo` means (node-llama-cpp's default too). */
export const DEFAULT_QUANT = 'Q4_K_M';

export interface HubFile {
  /** Path inside the repository. */
  path: string;
  size?: number;
  /** The LFS object's sha256, where the hub gives one. */
  sha256?: string;
}

export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || DEFAULT_HF_ENDPOINT).replace(/\/+$/, '');
}

export function resolveUrl(endpoint: string, repo: string, path: string): string {
  return `${endpoint}/${repo}/resolve/main/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The repository's files, from the hub's tree listing. */
export async function listRepo(endpoint: string, repo: string, headers: Record<string, string>, signal?: AbortSignal): Promise<HubFile[]> {
  const url = `${endpoint}/api/models/${repo}/tree/main?recursive=true`;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new SourceError(`cannot reach ${endpoint} to list hf:${repo} (${causeOf(e)})`);
  }
  if (res.status === 401 || res.status === 403) throw new SourceError(`hf:${repo} is gated or private (${res.status}): accept its terms on the hub and set HF_TOKEN`);
  if (res.status === 404) throw new SourceError(`hf:${repo} does not exist on ${endpoint}`);
  if (!res.ok) throw new SourceError(`${endpoint} answered ${res.status} listing hf:${repo}`);
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (!Array.isArray(body)) throw new SourceError(`${endpoint} did not list hf:${repo} as a file tree`);
  return body
    .filter((e): e is { type: string; path: string; size?: unknown; lfs?: { oid?: unknown; sha256?: unknown } } => e?.type === 'file' && typeof e.path === 'string')
    .map((e) => {
      const sha = e.lfs?.oid ?? e.lfs?.sha256;
      return {
        path: e.path,
        ...(typeof e.size === 'number' ? { size: e.size } : {}),
        ...(typeof sha === 'string' && /^[0-9a-f]{64}$/i.test(sha) ? { sha256: sha.toLowerCase() } : {}),
      };
    });
}

const SPLIT = /-(\d{5})-of-(\d{5})\.gguf$/i;

/**
 * The files of the model (one, or the parts of a split one: llama.cpp loads the first and finds the
 * rest beside it) `quant` names among `files` (a hub listing or the cache's own), or why none.
 * Projectors (mmproj) are never the model. Without a quant: Q4_K_M, else the only model there is.
 */
export function pickQuant(files: HubFile[], repo: string, quant?: string): HubFile[] | string {
  const ggufs = files.filter((f) => /\.gguf$/i.test(f.path) && !/mmproj/i.test(f.path.split('/').pop()!));
  const groups = new Map<string, HubFile[]>();
  for (const f of ggufs) {
    const key = f.path.replace(SPLIT, '.gguf');
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const complete = [...groups.entries()].filter(([, parts]) => {
    const m = SPLIT.exec(parts[0].path);
    return !m || parts.length === Number(m[2]);
  });
  const named = (q: string) => {
    const want = new RegExp(`(^|[-_./])${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.gguf$|-\\d{5}-of-)`, 'i');
    return complete.filter(([key]) => want.test(key.split('/').pop()!));
  };
  let hits = named(quant ?? DEFAULT_QUANT);
  if (!quant && hits.length === 0 && complete.length === 1) hits = complete;
  if (hits.length === 1) return [...hits[0][1]].sort((a, b) => a.path.localeCompare(b.path));
  const names = complete.map(([key]) => key.split('/').pop()!).slice(0, 12).join(', ');
  if (hits.length > 1) return `hf:${repo}:${quant ?? DEFAULT_QUANT} matches ${hits.length} models (${hits.map(([k]) => k).join(', ')}): name the file, hf:${repo}/FILE.gguf`;
  if (complete.length === 0) return `hf:${repo} holds no GGUF model`;
  return `hf:${repo} has no ${quant ?? DEFAULT_QUANT} model; it has: ${names}`;
}
