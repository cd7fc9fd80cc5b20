import type { AgentName } from '../types';
import { sameModel } from './backends';
import type { ServerLimits } from './context';
import type { EndpointConfig } from './config';
import { authMessage, faultOf, LlmError, missingModelMessage, seconds, times, unreachableMessage, type Fault } from './errors';
import type { AttemptGuard } from './guard';
import { isTransient } from './retry';

// A request's failure in words: what a failed attempt was, and the one-sentence LlmError it becomes
// once it is not retried (the message names the agent, the endpoint and the setting to change).

/** A failed attempt, before deciding whether to retry it. */
export class AttemptFailure {
  constructor(
    readonly fault: Fault,
    /** Reply characters received before it failed: retrying after any would duplicate tokens. */
    readonly chars: number,
  ) {}
}

/** What a failure's message names: the agent (or, for a list, its label), the model asked for, the attempts made. */
export interface FailureContext {
  agent?: AgentName;
  label?: string;
  model?: string;
  attempts: number;
  signal?: AbortSignal;
}

/** The server's model names, asked when a 404 may mean a missing model or adapter. */
type ListModels = (signal?: AbortSignal) => Promise<string[]>;

export function cancelledError(cfg: EndpointConfig, agent?: AgentName): LlmError {
  return new LlmError('cancelled', `The request to ${agent ? `'${agent}'` : cfg.baseUrl} was cancelled.`, { agent });
}

export function contextError(agent: AgentName, promptTokens: number, limits: ServerLimits, server?: string): LlmError {
  const window = limits.contextTokens ? `the server's context of ${limits.contextTokens} tokens per request` : 'the server\'s context';
  return new LlmError(
    'context',
    `The prompt for '${agent}' (about ${promptTokens} tokens) leaves no room for a reply in ${window}${server ? ` (${server})` : ''}.`,
    { agent, retryable: true },
  );
}

/** The user-facing error for a failure that will not be retried here. */
export async function failureError(cfg: EndpointConfig, listModels: ListModels, failure: AttemptFailure, ctx: FailureContext): Promise<LlmError> {
  const { fault, chars } = failure;
  const { agent, attempts } = ctx;
  const url = cfg.baseUrl;
  const who = agent ? `'${agent}'` : (ctx.label ?? 'the server');
  const opts = { agent };
  const often = attempts > 1 ? ` ${times(attempts)}` : '';
  switch (fault.kind) {
    case 'aborted': {
      const { reason } = fault;
      if (reason === 'cancelled') return cancelledError(cfg, agent);
      if (reason === 'idle') {
        return new LlmError(
          'idle-timeout',
          `No ${agent ? 'token' : 'answer'} for ${seconds(cfg.idleTimeoutMs)} from ${who} at ${url}: the request was abandoned (idle time-out; raise ${cfg.knobs?.idleTimeout ?? 'the idle time-out'}).`,
          opts,
        );
      }
      return new LlmError(
        'timeout',
        `${capitalize(who)} at ${url} did not finish within ${seconds(cfg.requestTimeoutMs)}: the request was abandoned (time-out; raise ${cfg.knobs?.requestTimeout ?? 'the request time-out'}).`,
        opts,
      );
    }
    case 'connect':
      return new LlmError('unreachable', unreachableMessage(url, fault.errno), opts);
    case 'broken':
      return chars > 0
        ? new LlmError('stream-cut', `The stream from ${who} was cut after ${chars} characters.`, { ...opts, retryable: true })
        : new LlmError('stream-cut', `The connection to ${url} broke before ${who} answered${often}; giving up (${fault.detail}).`, opts);
    case 'malformed':
      return new LlmError(
        'bad-response',
        `The server at ${url} did not answer ${who} with an OpenAI-style reply (${fault.detail}); check that the endpoint URL points at an OpenAI-compatible /v1 API.`,
        opts,
      );
    case 'status':
      return statusError(cfg, listModels, fault, ctx, who);
    case 'foreign':
      throw fault.error;
  }
}

async function statusError(
  cfg: EndpointConfig, listModels: ListModels, fault: Extract<Fault, { kind: 'status' }>, ctx: FailureContext, who: string,
): Promise<LlmError> {
  const { status, message } = fault;
  const url = cfg.baseUrl;
  const opts = { agent: ctx.agent, status };
  if (status === undefined) {
    return new LlmError('http', `The server reported an error in the middle of ${who}'s reply: ${message}`, { ...opts, retryable: true });
  }
  if (status === 401 || status === 403) return new LlmError('auth', authMessage(url, status, !!cfg.apiKey), opts);
  const often = ctx.attempts > 1 ? ` ${times(ctx.attempts)}` : '';
  if (status === 429) {
    return new LlmError('rate-limited', `The server rate-limited ${who} (429)${often}; giving up.`, { ...opts, retryable: true });
  }
  if (status === 404 && ctx.agent && ctx.model) {
    const have = await listModels(ctx.signal).catch(() => undefined);
    if (have && !have.some((h) => sameModel(cfg.backend, ctx.model!, h))) {
      const agentToFix = cfg.plainModel ? undefined : ctx.agent;
      return new LlmError('adapter-missing', missingModelMessage(cfg.backend, ctx.model, have, agentToFix), opts);
    }
  }
  if (status === 404) {
    return new LlmError('http', `The server at ${url} answered 404 for ${who} (${message}); is the endpoint URL right (it usually ends in /v1)?`, opts);
  }
  if (isTransient(status)) {
    return new LlmError('http', `The server answered ${status}${often} for ${who}; giving up (${message}).`, { ...opts, retryable: true });
  }
  return new LlmError('http', `The server refused the request for ${who} (${status}: ${message}).`, opts);
}

/** Our own stop (cancel, time-outs) explains whatever error the SDK or fetch raised because of it. */
export function faultFor(err: unknown, guard: AttemptGuard): Fault {
  const reason = guard.reason;
  return reason && reason !== 'done' ? { kind: 'aborted', reason } : faultOf(err);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
