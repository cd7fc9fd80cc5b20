// Whether anything answers at the endpoint, asked before an `auto` Solve: any HTTP answer counts (a 401
// or a 404 is a server, whose trouble the run reports as usual); a refused or silent port does not.
// vscode-free, tested against loopback servers.

const PROBE_MS = 3000;

export async function endpointAnswers(baseUrl: string, signal?: AbortSignal): Promise<boolean> {
  const timeout = AbortSignal.timeout(PROBE_MS);
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    await res.body?.cancel();
    return true;
  } catch {
    if (signal?.aborted) throw signal.reason;
    return false;
  }
}
