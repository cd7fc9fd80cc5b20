import type { ParseArgsConfig } from 'node:util';
import { ENDPOINT_OPTIONS, endpointConfig, UsageError } from '../cli/args';
import { LlmClient, type Completion, type CompletionRequest, type EndpointConfig } from '../core/llm';

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

/** The role's model names for messages: the plain model, or the four adapters. */
export function modelLabel(cfg: EndpointConfig): string {
  return cfg.plainModel ?? Object.entries(cfg.models).map(([a, m]) => `${a}=${m}`).join(' ');
}

export type Llm = Pick<LlmClient, 'complete'>;

/** Spreads requests over several endpoints of one role, one after the other in turn. */
export class RoundRobinLlm implements Llm {
  private next = 0;
  constructor(private readonly clients: readonly Llm[]) {
    if (!clients.length) throw new RangeError('RoundRobinLlm needs at least one client');
  }

  static of(configs: readonly EndpointConfig[]): RoundRobinLlm {
    return new RoundRobinLlm(configs.map((c) => new LlmClient(c)));
  }

  complete(req: CompletionRequest): Promise<Completion> {
    const client = this.clients[this.next];
    this.next = (this.next + 1) % this.clients.length;
    return client.complete(req);
  }
}

/** The student pipeline with the teacher as its debugging agent (collect --debug-from-student). */
export function debuggingBy(teacher: Llm, student: Llm): Llm {
  return { complete: (req) => (req.agent === 'debugging' ? teacher : student).complete(req) };
}

/** Every request with `text` appended to its last user message as one more paragraph. */
export function withFeedback(llm: Llm, text: string): Llm {
  return {
    complete: (req) => {
      const messages = req.messages.slice();
      const last = messages.map((m) => m.role).lastIndexOf('user');
      messages[last] = { ...messages[last], content: `${messages[last].content}\n\n${text}` };
      return llm.complete({ ...req, messages });
    },
  };
}
