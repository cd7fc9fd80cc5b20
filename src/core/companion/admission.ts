// Which requests the listener takes: only what Competitive Companion sends. Its background script
// POSTs `Content-Type: application/json` to http://localhost:<port>/ with the extension's own origin
// (chrome-extension://, moz-extension://) or none. A web page can reach localhost too, so:
// - a page's `Origin` (http:, https:, file:, "null") is refused, which covers a cross-origin
//   `text/plain` form post and a DNS-rebinding page (its POSTs carry its origin);
// - any other Content-Type is refused, and a JSON post from a page needs a CORS preflight, which
//   gets 403 with no CORS headers, so the browser never sends the post;
// - a Host that is not a loopback name is refused (a rebound name reaching us).
import type { IncomingMessage } from 'node:http';

export interface Refusal {
  status: 403 | 405 | 415;
  text: string;
}

const EXTENSION_ORIGIN = /^(chrome|moz|safari-web|ms-browser)-extension:\/\//i;
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i;

/** Why the request is refused, or undefined when it is what Competitive Companion sends. */
export function refusal(req: Pick<IncomingMessage, 'method' | 'headers'>): Refusal | undefined {
  const origin = req.headers.origin;
  if (req.method === 'OPTIONS') {
    return { status: 403, text: `Refused: a browser preflight${origin ? ` from ${origin}` : ''}. Only the Competitive Companion extension sends problems here, and it needs none.` };
  }
  if (req.method !== 'POST') return { status: 405, text: 'Competitive Companion POSTs problems here.' };
  if (origin !== undefined && !EXTENSION_ORIGIN.test(origin)) {
    return { status: 403, text: `Refused: a request from the web page ${origin}. Only the Competitive Companion extension sends problems here.` };
  }
  const host = req.headers.host;
  if (host !== undefined && !LOOPBACK_HOST.test(host)) {
    return { status: 403, text: `Refused: the request was addressed to ${host}, not to this machine's loopback address.` };
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    return { status: 415, text: `Refused: Content-Type ${type || '(none)'}; Competitive Companion sends application/json.` };
  }
  return undefined;
}
