import { totalmem } from 'node:os';

// Models to offer a user who has none, by the machine's memory: the paper's family (Qwen2.5 7B
// Instruct, general or Coder, at Q4_K_M) where it fits, a 1.5B one for small machines. Sizes are the
// hub's Q4_K_M files, approximately, as the choice shows them.

export interface SuggestedModel {
  /** As --local and the engine take it. */
  source: string;
  label: string;
  downloadBytes: number;
  /** Memory it wants to run with the four adapters' contexts. */
  memoryBytes: number;
}

const MODELS: SuggestedModel[] = [
  { source: 'hf:Qwen/Qwen2.5-Coder-7B-Instruct-GGUF:Q4_K_M', label: 'Qwen2.5-Coder-7B-Instruct (Q4_K_M)', downloadBytes: 4.7e9, memoryBytes: 8e9 },
  { source: 'hf:Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M', label: 'Qwen2.5-7B-Instruct (Q4_K_M), the paper\'s base model', downloadBytes: 4.7e9, memoryBytes: 8e9 },
  { source: 'hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M', label: 'Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), for small machines', downloadBytes: 1.1e9, memoryBytes: 3e9 },
];

/** The models this machine can run, best first (the small one always, last). */
export function suggestModels(memory = totalmem()): SuggestedModel[] {
  const fit = MODELS.filter((m) => m.memoryBytes <= memory);
  return fit.length ? fit : MODELS.slice(-1);
}
