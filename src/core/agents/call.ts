import type { StepRef, PipelineListener, AgentTally } from '../events';
import { LlmError, type LlmClient } from '../llm';
import { FormatCounter, type Parsed } from '../parse';
import type { AgentName } from '../types';
import { AGENTS } from '../types';
import type { PromptName, PromptSet, PromptVars } from './prompts';

/** One agent call: which template, with what, and how its reply is read. */
export interface AgentCall<T> {
  step: StepRef;
  prompt: PromptName;
  vars: PromptVars;
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

  constructor(
    private readonly llm: Pick<LlmClient, 'complete'>,
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
    const messages = this.prompts.render(call.prompt, call.vars);
    let formatLeft = this.policy.formatRetries;
    let streamLeft = this.policy.streamRetries;
    for (let attempt = 1; ; attempt++) {
      const callId = `c${this.nextId++}`;
      const started = Date.now();
      emit({ type: 'agent-started', callId, step: call.step, model: '', attempt, messages, at: started });
      let completion;
      try {
        completion = await this.llm.complete({
          agent,
          messages,
          signal,
          onToken: (delta) => emit({ type: 'token', callId, delta }),
          sampling: attempt > 1 ? { temperature: this.policy.retryTemperature } : undefined,
        });
      } catch (err) {
        const e = err instanceof LlmError ? err : undefined;
        emit({ type: 'agent-failed', callId, step: call.step, error: err instanceof Error ? err.message : String(err), code: e?.code });
        if (e?.code === 'stream-cut' && streamLeft-- > 0) continue;
        throw err;
      }
      const tally = this.tallies[agent];
      tally.calls++;
      tally.promptTokens += completion.usage.promptTokens;
      tally.completionTokens += completion.usage.completionTokens;
      tally.ms += completion.ms;
      const parsed = call.parse(completion.text);
      const issues = this.counter.add(agent, parsed.issues);
      // Tallied per reply, as the paper counts format failures: a reply is unrecovered when any issue was.
      if (issues.some((i) => !i.recovered) || !parsed.ok) tally.formatUnrecovered++;
      else if (issues.length) tally.formatRecovered++;
      emit({
        type: 'agent-finished', callId, step: call.step, model: completion.model, attempt, raw: completion.text,
        parsed: parsed.value, ok: parsed.ok, usage: completion.usage, ms: Date.now() - started, formatIssues: issues,
      });
      if (parsed.ok || formatLeft-- <= 0) return parsed;
    }
  }
}
