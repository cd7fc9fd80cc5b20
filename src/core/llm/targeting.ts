import type { AgentName } from '../types';
import { adapterFor, fileName, loraField, type LoraAdapter, type ServerModel } from './backends';
import { modelFor, type EndpointConfig } from './config';
import { LlmError, missingLoraMessage } from './errors';
import { cancelledError } from './failure';

// Which model (and, with llama.cpp, which loaded LoRA adapter) an agent's request names.

export interface Target {
  model: string;
  /** Backend-specific body fields (llama.cpp's `lora`). */
  extra: Record<string, unknown>;
}

interface LlamaSetup {
  model: string;
  adapters: LoraAdapter[];
}

/** What the targeting asks the server: its models and (llama.cpp) its loaded adapters. */
export interface ServerLists {
  models(signal?: AbortSignal): Promise<ServerModel[]>;
  loraAdapters(signal?: AbortSignal): Promise<LoraAdapter[]>;
}

export class AdapterTargeting {
  private llama: Promise<LlamaSetup> | undefined;

  constructor(private readonly cfg: EndpointConfig, private readonly server: ServerLists) {}

  /** Model name and extra body fields for an agent's call. */
  async target(agent: AgentName, signal?: AbortSignal): Promise<Target> {
    if (signal?.aborted) throw cancelledError(this.cfg, agent);
    if (this.cfg.backend !== 'llamacpp') return { model: modelFor(this.cfg, agent), extra: {} };
    const setup = await this.llamaSetup(signal);
    const model = this.cfg.plainModel || setup.model;
    if (this.cfg.plainModel) return { model, extra: setup.adapters.length ? { lora: loraField(setup.adapters) } : {} };
    const name = this.cfg.models[agent];
    const chosen = adapterFor(setup.adapters, name);
    if (!chosen) {
      throw new LlmError('adapter-missing', missingLoraMessage(name, setup.adapters.map((a) => fileName(a.path)), agent), { agent });
    }
    return { model, extra: { lora: loraField(setup.adapters, chosen) } };
  }

  /** llama.cpp's model id (the first one /models lists) and adapters, fetched once per client. */
  private llamaSetup(signal?: AbortSignal): Promise<LlamaSetup> {
    this.llama ??= Promise.all([this.server.models(signal), this.server.loraAdapters(signal)]).then(([models, adapters]) => ({
      model: models[0]?.id ?? 'default',
      adapters,
    }));
    // A failed look-up (server not up yet, cancelled) is tried again on the next call.
    this.llama.catch(() => (this.llama = undefined));
    return this.llama;
  }
}
