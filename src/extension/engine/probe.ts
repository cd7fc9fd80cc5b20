import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

// Whether anything answers at the endpoint, asked before an `auto` Solve: any HTTP answer counts (a 401
// or a 404 is a server, whose trouble the run reports as usual); a refused or silent port does not.
// On node:http rather than fetch: the extension host's thread would otherwise load Node's fetch
// implementation (~50 ms of compiling) on the Solve command's path; the run's own requests are made in
// its worker (run/core-worker.ts). vscode-free, tested against loopback servers.

const PROBE_MS = 3000;

export function endpointAnswers(baseUrl: string, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(`${baseUrl.replace(/\/+$/, '')}/models`);
    } catch {
      return resolve(false);
    }
    const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (!request) return resolve(false);
    const onAbort = () => {
      req.destroy();
      reject(signal!.reason);
    };
    const req = request(url, { method: 'GET', timeout: PROBE_MS }, (res) => {
      signal?.removeEventListener('abort', onAbort);
      res.destroy();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}
