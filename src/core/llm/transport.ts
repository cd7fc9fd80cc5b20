import OpenAI from 'openai';
import { timerMs } from '../timer';
import type { EndpointConfig } from './config';
import { normalizeErrorBody } from './errors';

// The client's transport: the openai SDK set up for one endpoint (no retries of its own, no key from
// the environment, redirects kept within the endpoint's origin) and plain JSON requests beside it.

/** The Authorization header for the endpoint's key, when it has one. */
export function authHeaders(cfg: EndpointConfig): Record<string, string> {
  return cfg.apiKey ? { Authorization: `Bearer ${cfg.apiKey}` } : {};
}

/** The openai SDK for the endpoint: retries and time-outs are the client's, error bodies readable. */
export function endpointSdk(cfg: EndpointConfig): OpenAI {
  return new OpenAI({
    baseURL: cfg.baseUrl.replace(/\/+$/, ''),
    // The SDK insists on a key and would otherwise read OPENAI_API_KEY; without a configured key
    // the Authorization header is removed again below.
    apiKey: cfg.apiKey ?? 'unused',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    defaultHeaders: cfg.apiKey ? undefined : { Authorization: null },
    timeout: timerMs(cfg.requestTimeoutMs),
    maxRetries: 0,
    logLevel: 'off',
    fetch: fetchWithReadableErrors,
  });
}

/** GET `url`, or POST `body` as JSON, under the idle time-out. */
export async function getJson(cfg: EndpointConfig, url: string, signal?: AbortSignal, body?: unknown): Promise<unknown> {
  const headers = authHeaders(cfg);
  const timeout = AbortSignal.timeout(timerMs(cfg.idleTimeoutMs));
  const post = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } };
  const res = await fetch(url, { headers, ...post, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

/** fetch for the SDK: error bodies are rewritten into the OpenAI shape so their message survives. */
/** Redirects followed within one origin; the prompt (a problem statement) is never sent to another host. */
const MAX_REDIRECTS = 5;

async function fetchWithReadableErrors(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  let url = new URL(input instanceof Request ? input.url : input);
  let res = await fetch(url, { ...init, redirect: 'manual' });
  for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.has('location'); hops++) {
    const next = new URL(res.headers.get('location')!, url);
    if (next.origin !== url.origin || hops >= MAX_REDIRECTS) {
      const why = next.origin !== url.origin ? `to another host (${next.origin}); not followed, so nothing was sent there` : `more than ${MAX_REDIRECTS} times`;
      return new Response(JSON.stringify({ error: { message: `The server redirected the request ${why}` } }), { status: 421, headers: { 'content-type': 'application/json' } });
    }
    url = next;
    res = await fetch(url, { ...init, redirect: 'manual' });
  }
  if (res.status < 400) return res;
  const text = await res.text();
  const normalized = normalizeErrorBody(text);
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(normalized ? JSON.stringify(normalized) : text, { status: res.status, statusText: res.statusText, headers });
}
