import { LlmClient, type Completion, type CompletionRequest, type EndpointConfig } from '../core/llm';

// The LLMs of distillation: a role (teacher, student, supervisor) may spread its requests over several
// endpoints, and the pipelines it runs can be rewired (the teacher as the student's debugger) or given feedback.

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
