// Whether a text can be an endpoint's base URL, said once for the CLI's --endpoint and the editor's
// `mapcoderLite.endpoint` (each puts its own name in front of the reason).

/** Why `value` cannot be a base URL (undefined when it can); a missing scheme is the usual slip. */
export function endpointUrlProblem(value: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
  if (!scheme) return `"${value}" has no scheme: add http:// (http://${value})`;
  if (!/^https?$/i.test(scheme)) return `"${value}": use http:// or https://, not ${scheme}://`;
  try {
    new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  return undefined;
}
