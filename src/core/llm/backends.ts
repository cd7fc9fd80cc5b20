import type { Backend } from './config';

/** One entry of GET /models. vLLM marks a LoRA module with `parent` = the base model it sits on. */
export interface ServerModel {
  id: string;
  parent?: string | null;
  root?: string;
}

/** One entry of llama.cpp's GET /lora-adapters (adapters loaded at launch with --lora FILE). */
export interface LoraAdapter {
  id: number;
  path: string;
  scale: number;
}

/** Whether the server's listed name `have` serves the configured name `want`. */
export function sameModel(backend: Backend, want: string, have: string): boolean {
  if (want === have) return true;
  // Ollama lists `coding:latest` for a model created as `coding`, and resolves the bare name to it.
  return backend === 'ollama' && !want.includes(':') && have === `${want}:latest`;
}

/** The server root without the OpenAI `/v1` suffix: llama.cpp serves /lora-adapters there. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * The adapter whose file name contains `name` (case-insensitive); a file named exactly
 * `name.<ext>` wins over one that merely contains it.
 */
export function adapterFor(adapters: LoraAdapter[], name: string): LoraAdapter | undefined {
  const want = name.toLowerCase();
  const hits = adapters.filter((a) => fileName(a.path).toLowerCase().includes(want));
  return hits.find((a) => fileName(a.path).toLowerCase().replace(/\.[^.]*$/, '') === want) ?? hits[0];
}

/**
 * llama.cpp's per-request `lora` field. Every loaded adapter is named, so that only the chosen one
 * is active (scale 1) whatever scales the server was started with; none chosen is the bare base model.
 */
export function loraField(adapters: LoraAdapter[], chosen?: LoraAdapter): { id: number; scale: number }[] {
  return adapters.map((a) => ({ id: a.id, scale: a.id === chosen?.id ? 1 : 0 }));
}
