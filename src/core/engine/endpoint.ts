import type { EndpointConfig } from '../llm/config';
import { fileName } from '../llm/backends';
import type { AgentName } from '../types';
import type { EngineConnection } from './lifecycle';

/**
 * The endpoint settings for a running local engine: it answers as llama-server does (both engines
 * list their adapters in /lora-adapters), so it is the llamacpp backend, each agent's adapter named
 * by its file name (the backend's rule), or one plain model when it serves none.
 */
export function localEndpoint(base: EndpointConfig, conn: EngineConnection): EndpointConfig {
  const { ready } = conn;
  const models = { ...base.models };
  for (const [agent, path] of Object.entries(ready.adapters)) models[agent as AgentName] = fileName(path).replace(/\.gguf$/i, '');
  const plain = Object.keys(ready.adapters).length === 0;
  return { ...base, backend: 'llamacpp', baseUrl: ready.baseUrl, apiKey: conn.token, models, plainModel: plain ? ready.model : undefined };
}
