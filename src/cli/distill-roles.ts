import type { ParseArgsConfig } from 'node:util';
import type { EndpointConfig } from '../core/llm';
import { ENDPOINT_OPTIONS, endpointConfig, UsageError } from './args';

// The teacher, the student and the supervisor are three endpoint settings. Each takes the ordinary
// endpoint flags under its own prefix (--teacher-endpoint, --student-adapter AGENT=NAME, ...), read by
// the same endpointConfig as every other command. A role's --*-endpoint may list several URLs,
// comma-separated: its requests go round-robin over them.

export type Role = 'teacher' | 'student' | 'supervisor';

type EndpointOption = keyof typeof ENDPOINT_OPTIONS;
const OPTION_NAMES = Object.keys(ENDPOINT_OPTIONS) as EndpointOption[];

/** The endpoint flags of one role, for parseArgs. */
export function roleOptions(role: Role): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(OPTION_NAMES.map((name) => [`${role}-${name}`, ENDPOINT_OPTIONS[name]]));
}

/** One EndpointConfig per URL of the role's --ROLE-endpoint (or MAPCODER_ENDPOINT / the default). */
export function roleEndpoints(values: Record<string, unknown>, role: Role, env: NodeJS.ProcessEnv = process.env): EndpointConfig[] {
  const own = Object.fromEntries(OPTION_NAMES.map((name) => [name, values[`${role}-${name}`]]));
  let cfg: EndpointConfig;
  try {
    cfg = endpointConfig(own, env);
  } catch (e) {
    // endpointConfig names the flags without the prefix; name the one the user typed.
    if (e instanceof UsageError) throw new UsageError(e.message.replace(/--([a-z-]+)/g, (m, flag: string) => (OPTION_NAMES.includes(flag as EndpointOption) ? `--${role}-${flag}` : m)));
    throw e;
  }
  const urls = cfg.baseUrl.split(',').map((u) => u.trim()).filter(Boolean);
  if (!urls.length) throw new UsageError(`--${role}-endpoint names no URL`);
  return urls.map((baseUrl) => ({ ...cfg, baseUrl }));
}
