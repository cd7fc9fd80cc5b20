import type { StepRef, PipelineListener, AgentTally } from '../events';
import { LlmError, type LlmClient } from '../llm';
import { FormatCounter, type Parsed } from '../parse';
import type { ReplyShape } from '../parse/grammar';
import type { AgentName, ChatMessage } from '../types';
import { AGENTS } from '../types';
import type { PromptName, PromptSet, PromptVars } from './prompts';

/** One agent call: which template, with what, and how its reply is read. */
export interface AgentCall<T> {
  step: StepRef;
  prompt: PromptName;
  vars: PromptVars;
  /** The reply's shape, for servers that can hold a reply to it (grammar.ts). */
  shape?: ReplyShape;
  parse(reply: string): Parsed<T>;
}

export interface CallPolicy {
  /** Extra calls when a reply is unusable (protocol: retry, then fall back). */
  formatRetries: number;
  /** Extra calls when a stream is cut mid-reply (the client already retried 429/5xx/refusals before the first token). */
  streamRetries: number;
  /** Temperature for format retries: the same prompt at temperature 0 would give the same broken reply. */
  retryTemperature: number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = { formatRetries: 1, streamRetries: 1, retryTemperature: 0.4 };

/** Runs agent calls against the endpoint, emitting events and keeping per-agent tallies. */
export class AgentRunner {
  private nextId = 1;
  readonly counter = new FormatCounter();
  readonly tallies: Record<AgentName, AgentTally> = Object.fromEntries(
    AGENTS.map((a) => [a, { calls: 0, promptTokens: 0, completionTokens: 0, ms: 0, formatRecovered: 0, formatUnrecovered: 0 }]),
  ) as Record<AgentName, AgentTally>;

  /** Replies received, and requests the server refused with an error status, over the whole run. */
  private replies = 0;
  private refusals = 0;

  constructor(
    private readonly llm: Pick<LlmClient, 'complete'> & Partial<Pick<LlmClient, 'promptFit'>>,
    private readonly prompts: PromptSet,
    private readonly emit: PipelineListener,
    private readonly policy: CallPolicy,
  ) {}

  /**
   * Returns the parsed value of the first usable reply, or the last fallback value (ok=false) once the
   * retries are spent. Throws LlmError for endpoint failures that retrying cannot fix.
   */
  async run<T>(call: AgentCall<T>, signal: AbortSignal, emit: PipelineListener = this.emit): Promise<Parsed<T>> {
    const agent = call.step.agent;
    let { vars, messages, note } = await this.fit(call, signal);
    let formatLeft = this.policy.formatRetries;
    let streamLeft = this.policy.streamRetries;
    let clipsLeft = MAX_CLIPS;
    for (let attempt = 1; ; attempt++) {
      const callId = `c${this.nextId++}`;
      const started = Date.now();
      emit({ type: 'agent-started', callId, step: call.step, model: '', attempt, messages, at: started, ...(note ? { note } : {}) });
      note = undefined;
      let completion;
      try {
        completion = await this.llm.complete({
          agent,
          messages,
          signal,
          onToken: (delta) => emit({ type: 'token', callId, delta }),
          sampling: attempt > 1 ? { temperature: this.policy.retryTemperature } : undefined,
          shape: call.shape,
        });
      } catch (err) {
        const e = err instanceof LlmError ? err : undefined;
        emit({ type: 'agent-failed', callId, step: call.step, error: err instanceof Error ? err.message : String(err), code: e?.code });
        if (e?.code === 'stream-cut' && streamLeft-- > 0) continue;
        // The prompt does not fit the server's context: what it quotes (plans, programs, outputs) is cut.
        if (e?.code === 'context' && clipsLeft-- > 0) {
          const clipped = clipLongest(vars);
          if (clipped) {
            vars = clipped;
            messages = this.prompts.render(call.prompt, vars);
            continue;
          }
        }
        if (!e || !isFailedReply(e)) throw err;
        // One failed reply of one agent (the server erred mid-reply, answered 5xx, or the prompt cannot
        // fit): a format failure like any unusable reply. Only a server that refuses every request (an
        // error status before any token, each time) ends the run; one that fails replies mid-stream does not.
        if (e.status !== undefined) this.refusals++;
        if (this.refusals >= REFUSING_SERVER && this.replies === 0) throw err;
        if (formatLeft-- > 0) continue;
        return this.fallback(call, callId, attempt, started, emit);
      }
      this.replies++;
      const tally = this.tallies[agent];
      tally.calls++;
      tally.promptTokens += completion.usage.promptTokens;
      tally.completionTokens += completion.usage.completionTokens;
      tally.ms += completion.ms;
      if (completion.constrained) tally.constrained = (tally.constrained ?? 0) + 1;
      const parsed = call.parse(completion.text);
      const issues = this.counter.add(agent, parsed.issues);
      // Tallied per reply, as the paper counts format failures: a reply is unrecovered when any issue was.
      if (issues.some((i) => !i.recovered) || !parsed.ok) tally.formatUnrecovered++;
      else if (issues.length) tally.formatRecovered++;
      emit({
        type: 'agent-finished', callId, step: call.step, model: completion.model, attempt, raw: completion.text,
        parsed: parsed.value, ok: parsed.ok, usage: completion.usage, ms: Date.now() - started, formatIssues: issues,
        constrained: completion.constrained, ...(completion.notice ? { notice: completion.notice } : {}),
      });
      if (parsed.ok || formatLeft-- <= 0) return parsed;
    }
  }

  /**
   * The call's prompt, cut where it quotes until it leaves the reply its room in the server's context
   * (known from /props or the engine) before anything is sent; `note` says what was cut, in one line.
   */
  private async fit<T>(call: AgentCall<T>, signal: AbortSignal): Promise<{ vars: PromptVars; messages: ChatMessage[]; note?: string }> {
    let vars = call.vars;
    let messages = this.prompts.render(call.prompt, vars);
    if (!this.llm.promptFit) return { vars, messages };
    const cut = new Set<string>();
    let context: number | undefined;
    for (let i = 0; i < MAX_FITS; i++) {
      const fit = await this.llm.promptFit({ agent: call.step.agent, messages, shape: call.shape, signal });
      context = fit.contextTokens;
      if (fit.excess <= 0) break;
      // Characters to cut, from the prompt's own characters per token, with a margin.
      const chars = messages.reduce((n, m) => n + m.content.length, 0);
      const clipped = clipChars(vars, Math.ceil((fit.excess * chars * 1.1) / Math.max(1, fit.promptTokens)) + 16);
      if (!clipped) break;
      vars = clipped.vars;
      for (const key of clipped.keys) cut.add(key);
      messages = this.prompts.render(call.prompt, vars);
    }
    return { vars, messages, ...(cut.size ? { note: clipNote([...cut], context) } : {}) };
  }

  /** The parser's fallback for a reply the server never completed, counted as unrecovered. */
  private fallback<T>(call: AgentCall<T>, callId: string, attempt: number, started: number, emit: PipelineListener): Parsed<T> {
    const agent = call.step.agent;
    const parsed = call.parse('');
    const issues = this.counter.add(agent, parsed.issues);
    this.tallies[agent].calls++;
    this.tallies[agent].formatUnrecovered++;
    emit({
      type: 'agent-finished', callId, step: call.step, model: '', attempt, raw: '', parsed: parsed.value, ok: false,
      usage: { promptTokens: 0, completionTokens: 0 }, ms: Date.now() - started, formatIssues: issues,
    });
    return { ...parsed, ok: false };
  }
}

/** Refused requests, with no reply received yet, that mean the server refuses every request. */
const REFUSING_SERVER = 3;
/** Times one call's prompt is cut to fit the context: before sending (measured), after a refusal. */
const MAX_FITS = 4;
const MAX_CLIPS = 3;
/** What a cut leaves of a quoted text, and what it says in its place. */
const CLIP_MARK = (n: number) => `\n[... ${n} characters cut to fit the model's context ...]\n`;

/** One agent's reply failed on the server's side, not the endpoint as a whole. */
function isFailedReply(e: LlmError): boolean {
  return e.code === 'context' || (e.retryable && (e.code === 'http' || e.code === 'stream-cut'));
}

/** Cut last: the statement itself and its samples. */
const STATEMENT_VARS = new Set(['problem', 'samples']);
const CLIPPABLE = 400;

/** What each quoted text is called in the line that says it was cut. */
const QUOTED: Record<string, string> = {
  code: 'the quoted program', plan: 'the quoted plan', report: 'the test report', algorithm: 'the algorithm notes',
  exemplar_description: "the exemplar's description", exemplar_planning: "the exemplar's plan", problem: 'the statement', samples: 'the samples',
};

/** "clipped the quoted program and the quoted plan to fit the 4096-token context" */
export function clipNote(keys: string[], contextTokens?: number): string {
  const names = keys.map((k) => QUOTED[k] ?? k);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return `clipped ${list} to fit the ${contextTokens ? `${contextTokens}-token ` : ''}context`;
}

/** What a cut keeps of a quoted text at least (its head and tail). */
const KEEP = 200;

/**
 * `vars` with at least `chars` characters cut from the middle of its quoted texts, longest first (the
 * statement and samples last), each keeping its head and tail and saying how much went; undefined
 * when nothing is long enough to cut.
 */
export function clipChars(vars: PromptVars, chars: number): { vars: PromptVars; keys: string[] } | undefined {
  const long = Object.entries(vars)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= CLIPPABLE)
    .sort((a, b) => Number(STATEMENT_VARS.has(a[0])) - Number(STATEMENT_VARS.has(b[0])) || b[1].length - a[1].length);
  const out = { ...vars };
  const keys: string[] = [];
  let left = chars;
  for (const [key, value] of long) {
    if (left <= 0) break;
    const mark = CLIP_MARK(0).length + 8;
    const keep = Math.max(KEEP, value.length - left - mark);
    if (keep >= value.length - mark) continue;
    const head = Math.ceil(keep / 2);
    out[key] = `${value.slice(0, head)}${CLIP_MARK(value.length - keep)}${value.slice(value.length - (keep - head))}`;
    left -= value.length - (out[key] as string).length;
    keys.push(key);
  }
  return keys.length ? { vars: out, keys } : undefined;
}

/**
 * `vars` with its longest quoted text (a plan, a program, an output; the statement only when nothing
 * else is long) cut to half, keeping its head and tail and saying how much went; undefined when nothing
 * is long enough to cut.
 */
export function clipLongest(vars: PromptVars): PromptVars | undefined {
  const long = Object.entries(vars)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= CLIPPABLE)
    .sort((a, b) => Number(STATEMENT_VARS.has(a[0])) - Number(STATEMENT_VARS.has(b[0])) || b[1].length - a[1].length);
  if (!long.length) return undefined;
  const [key, value] = long[0];
  const keep = Math.floor(value.length / 4);
  return { ...vars, [key]: `${value.slice(0, keep)}${CLIP_MARK(value.length - 2 * keep)}${value.slice(-keep)}` };
}
