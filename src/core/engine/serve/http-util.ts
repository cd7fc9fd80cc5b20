import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Small pieces of the engine's HTTP surface, shaped as llama-server answers: errors as
// {"error": {"code", "message", "type"}}, the bearer token on every route but /health.

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string, type: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { error: { code: status, message, type, ...extra } });
}

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function authorized(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1].trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The request body as JSON, at most `limit` bytes; undefined with a 4xx already sent otherwise. */
export async function readJson(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      sendError(res, 413, `the request body is larger than ${limit} bytes`, 'invalid_request_error');
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  sendError(res, 400, 'the request body is not a JSON object', 'invalid_request_error');
  return undefined;
}
