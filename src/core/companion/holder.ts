// Who holds the port we could not listen on, to say so once instead of fighting over it.
import { request } from 'node:http';
import { COMPANION_TOOL_PORTS } from './port';
import { LISTENER_HEADER } from './listener';

export type PortHolder =
  | { kind: 'ours' }
  | { kind: 'other'; likely?: string };

/** How long the probe waits for the holder's answer; a holder that does not answer is "another program". */
const PROBE_MS = 1500;

const CPH = 'Competitive Programming Helper (cph)';

/** cph answers any request with its pending submission, `{"empty":true}` when there is none. */
const looksLikeCph = (body: string) => /^\{"empty":(true|false)\b/.test(body);

/**
 * Asks the program on 127.0.0.1:`port` what it is with one GET: our own listener names itself in its
 * answer (another window, or `mapcoder-lite listen`), cph by its answer's shape; anything else is
 * another program, named when the port is one Companion has for a known tool.
 */
export function portHolder(port: number): Promise<PortHolder> {
  const byPort: PortHolder = { kind: 'other', ...(COMPANION_TOOL_PORTS.has(port) ? { likely: COMPANION_TOOL_PORTS.get(port) } : {}) };
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path: '/', timeout: PROBE_MS, agent: false }, (res) => {
      if (res.headers[LISTENER_HEADER]) {
        res.resume();
        return resolve({ kind: 'ours' });
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        if (body.length > 1024) req.destroy();
      });
      res.on('close', () => resolve(looksLikeCph(body) ? { kind: 'other', likely: CPH } : byPort));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      req.destroy();
      resolve(byPort);
    });
    req.end();
  });
}

/** One line for the user: who holds the port, and what to do instead of waiting for it. */
export function holderText(port: number, holder: PortHolder): string {
  if (holder.kind === 'ours') return `port ${port} is held by another MapCoder-Lite listener (another VS Code window or \`mapcoder-lite listen\`)`;
  return `port ${port} is held by another program${holder.likely ? `, likely ${holder.likely}` : ''}; choose another port and add it to Competitive Companion's custom ports`;
}
