import type { EndpointCheck } from './check';
import { LlmClient } from './client';
import type { Backend, EndpointConfig } from './config';

// When the configured endpoint does not answer, the server the user meant is usually on this machine on
// its product's default port. Each port is asked who it is: Ollama answers GET /api/version, the others
// name themselves in /v1/models `owned_by` (vLLM "vllm", llama.cpp "llamacpp", SGLang "sglang",
// LM Studio "organization_owner").

export interface UsualPort {
  port: number;
  product: string;
}

export const USUAL_PORTS: readonly UsualPort[] = [
  { port: 8000, product: 'vLLM' },
  { port: 8080, product: 'llama.cpp' },
  { port: 11434, product: 'Ollama' },
  { port: 1234, product: 'LM Studio' },
  { port: 30000, product: 'SGLang' },
];

export interface FoundServer {
  /** The OpenAI-compatible base URL to configure. */
  baseUrl: string;
  backend: Backend;
  /** Who answered, as a person would name it. */
  product: string;
  models: string[];
}

const OWNERS: Record<string, { product: string; backend: Backend }> = {
  vllm: { product: 'vLLM', backend: 'vllm' },
  llamacpp: { product: 'llama.cpp', backend: 'llamacpp' },
  sglang: { product: 'SGLang', backend: 'openai' },
  organization_owner: { product: 'LM Studio', backend: 'openai' },
};

export interface FindOptions {
  host?: string;
  ports?: readonly number[];
  /** Per request; a port that holds the connection open longer counts as nothing there. */
  timeoutMs?: number;
  /** Base URLs not to report (the one that was just checked). */
  except?: readonly string[];
  signal?: AbortSignal;
}

/** The model servers answering on the usual local ports, in the order of `ports`. */
export async function findLocalServers(opts: FindOptions = {}): Promise<FoundServer[]> {
  const host = opts.host ?? '127.0.0.1';
  const except = new Set((opts.except ?? []).map(normalise));
  const ports = (opts.ports ?? USUAL_PORTS.map((p) => p.port)).filter((port) => !except.has(normalise(`http://${host}:${port}/v1`)));
  const found = await Promise.all(ports.map((port) => identify(`http://${host}:${port}`, opts.timeoutMs ?? 1500, opts.signal)));
  return found.filter((f): f is FoundServer => f !== undefined);
}

export interface CheckedServer {
  server: FoundServer;
  /** The found server checked with the user's agents (their adapters, or their plain model). */
  check: EndpointCheck;
}

/** The servers on `ports` other than the configured one, each checked as `cfg` would use it. */
export async function findAndCheck(cfg: EndpointConfig, ports: readonly number[], signal?: AbortSignal): Promise<CheckedServer[]> {
  const servers = await findLocalServers({ ports, except: [cfg.baseUrl], signal });
  return Promise.all(servers.map(async (server) => ({ server, check: await new LlmClient({ ...cfg, baseUrl: server.baseUrl, backend: server.backend }).check(signal) })));
}

async function identify(origin: string, timeoutMs: number, signal?: AbortSignal): Promise<FoundServer | undefined> {
  const get = (path: string) => getJson(`${origin}${path}`, timeoutMs, signal);
  const [version, list] = await Promise.all([get('/api/version'), get('/v1/models')]);
  const data: { id?: unknown; owned_by?: unknown }[] = Array.isArray(list?.data) ? list.data : [];
  const models = data.map((m) => String(m.id));
  if (typeof version?.version === 'string') return { baseUrl: `${origin}/v1`, backend: 'ollama', product: `Ollama ${version.version}`, models };
  if (!list || !Array.isArray(list.data)) return undefined;
  const owner = OWNERS[String(data[0]?.owned_by ?? '')] ?? { product: 'an OpenAI-compatible server', backend: 'openai' as Backend };
  return { baseUrl: `${origin}/v1`, ...owner, models };
}

async function getJson(url: string, timeoutMs: number, signal?: AbortSignal): Promise<any> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
    if (!res.ok) return undefined;
    return await res.json();
  } catch {
    if (signal?.aborted) throw signal.reason;
    return undefined;
  }
}

function normalise(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname === 'localhost' || u.hostname === '[::1]' ? '127.0.0.1' : u.hostname;
    return `${host}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return url;
  }
}
