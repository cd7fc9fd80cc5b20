import { AGENTS, type AgentName } from '../types';
import { adapterFor, fileName, sameModel, type LoraAdapter, type ServerModel } from './backends';
import { modelFor, type Backend, type EndpointConfig } from './config';
import { LlmError, missingLoraMessage, missingModelMessage } from './errors';
import type { ServerLimits } from './context';

export interface AgentCheck {
  agent: AgentName;
  model: string;
  available: boolean;
  note?: string;
}

export interface EndpointCheck {
  ok: boolean;
  reachable: boolean;
  baseUrl: string;
  backend: Backend;
  serverModels: string[];
  agents: AgentCheck[];
  message: string;
  /** What the server says of its context and slots (reachable servers only). */
  context?: ServerLimits;
}

export interface CheckSources {
  models(signal?: AbortSignal): Promise<ServerModel[]>;
  loraAdapters(signal?: AbortSignal): Promise<LoraAdapter[]>;
}

/** Endpoint failures that mean nothing usable answered at the URL. */
const NOT_REACHED = new Set(['unreachable', 'timeout', 'idle-timeout']);

/**
 * Says, per agent, whether its model (vLLM LoRA module, Ollama model) or llama.cpp adapter is on the
 * server. Never throws for endpoint trouble (that becomes the message), except cancellation.
 */
export async function checkEndpoint(cfg: EndpointConfig, src: CheckSources, signal?: AbortSignal): Promise<EndpointCheck> {
  const report = { baseUrl: cfg.baseUrl, backend: cfg.backend };
  let models: ServerModel[];
  let adapters: LoraAdapter[] = [];
  try {
    models = await src.models(signal);
    if (cfg.backend === 'llamacpp' && !cfg.plainModel) adapters = await src.loraAdapters(signal);
  } catch (err) {
    if (!(err instanceof LlmError) || err.code === 'cancelled') throw err;
    return { ...report, ok: false, reachable: !NOT_REACHED.has(err.code), serverModels: [], agents: [], message: err.message };
  }
  const serverModels = models.map((m) => m.id);
  const agents = AGENTS.map((agent) => checkAgent(cfg, agent, models, adapters));
  const missing = agents.filter((a) => !a.available);
  let message: string;
  if (!missing.length) {
    message = cfg.plainModel
      ? `Ready: all four agents use the plain model '${agents[0].model}'.`
      : `Ready: all four agents have their ${cfg.backend === 'llamacpp' ? 'adapter' : 'model'} on the server.`;
  } else if (cfg.backend === 'llamacpp' && !cfg.plainModel) {
    message = missingLoraMessage(missing[0].model, adapters.map((a) => fileName(a.path)), missing[0].agent);
  } else {
    message = missingModelMessage(cfg.backend, missing[0].model, serverModels, cfg.plainModel ? undefined : missing[0].agent);
  }
  if (missing.length > 1) message += ` Also missing: ${missing.slice(1).map((a) => `${a.agent} ('${a.model}')`).join(', ')}.`;
  return { ...report, ok: !missing.length, reachable: true, serverModels, agents, message };
}

function checkAgent(cfg: EndpointConfig, agent: AgentName, models: ServerModel[], adapters: LoraAdapter[]): AgentCheck {
  const model = modelFor(cfg, agent);
  if (cfg.backend === 'llamacpp') {
    // llama.cpp serves the one model it loaded, whatever the request names.
    if (cfg.plainModel) {
      // llama.cpp answers with its one model whatever the request names: the name must still be that model's.
      const loaded = models.find((m) => m.id === model || fileName(m.id).toLowerCase().includes(model.toLowerCase()));
      return loaded
        ? { agent, model, available: true, note: `the loaded model ${fileName(loaded.id)}, adapters off` }
        : { agent, model, available: false, note: 'not the model the server loaded' };
    }
    const hit = adapterFor(adapters, model);
    return hit
      ? { agent, model, available: true, note: `adapter ${hit.id}: ${fileName(hit.path)}` }
      : { agent, model, available: false, note: `no --lora file whose name contains '${model}'` };
  }
  const entry = models.find((m) => sameModel(cfg.backend, model, m.id));
  if (!entry) return { agent, model, available: false, note: 'not on the server' };
  if (entry.parent) return { agent, model, available: true, note: `LoRA adapter on ${entry.parent}` };
  if (cfg.backend === 'vllm' && !cfg.plainModel) return { agent, model, available: true, note: 'a base model, not a LoRA adapter' };
  return { agent, model, available: true };
}
