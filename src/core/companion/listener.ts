import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ProblemError } from '../problem/error';
import { refusal } from './admission';
import { COMPANION_PORT } from './port';
import { readCompanionTask, type CompanionTask } from './task';

export { COMPANION_PORT };

/** A problem page's JSON is a few KB; anything past this is not one. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface CompanionListener {
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  port?: number;
  /** Loopback only by default: the browser runs on this machine. */
  host?: string;
  /** Handles one problem and says what became of it ("saved", "updated"); its rejection is answered 500 (and reported through `onError`). */
  onTask(task: CompanionTask): Promise<string | void>;
  onError?(message: string): void;
}

/** Sent on every answer, so a second window finds out that the port's holder is one of us (see holder.ts). */
export const LISTENER_HEADER = 'x-mapcoder-lite';

/**
 * Listens for Competitive Companion's POSTs. Resolves once listening; rejects with the listen error
 * (EADDRINUSE when another window or program holds the port). A request Companion would not send
 * (admission.ts) gets 403/415 before its body is read; a body that is not a Companion problem gets
 * 400; neither reaches the handler.
 */
export function listenForCompanion(opts: ListenOptions): Promise<CompanionListener> {
  const server: Server = createServer((req, res) => void handle(req, res, opts));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? COMPANION_PORT, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : (opts.port ?? COMPANION_PORT),
        close: () => new Promise((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ListenOptions): Promise<void> {
  const answer = (status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', [LISTENER_HEADER]: 'companion-listener' });
    res.end(`${text}\n`);
  };
  // a body left unread: close the connection after the answer instead of draining it
  const dropBody = (status: number, text: string) => {
    res.setHeader('connection', 'close');
    res.on('finish', () => req.destroy());
    answer(status, text);
  };
  const refused = refusal(req);
  if (refused) return dropBody(refused.status, refused.text);
  let body: string;
  try {
    body = await readBody(req);
  } catch (e) {
    return dropBody(413, (e as Error).message);
  }
  let task: CompanionTask;
  try {
    task = readCompanionTask(body);
  } catch (e) {
    return answer(400, e instanceof ProblemError ? e.message : 'Not a Competitive Companion problem');
  }
  try {
    answer(200, (await opts.onTask(task)) || 'saved');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    opts.onError?.(message);
    answer(500, message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        reject(new Error(`A problem is at most ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
