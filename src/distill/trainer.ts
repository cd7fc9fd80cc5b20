import type { AgentName } from '../core/types';

// Trainer and serving files for the exported data. The trainer is LLaMA-Factory (why: README.md):
// one YAML per agent, all paths relative to the export folder, run from there.

export const DEFAULT_BASE_MODEL = 'Qwen/Qwen2.5-7B-Instruct';
export const LORA_RANK = 32;

export const datasetName = (agent: AgentName, split: 'train' | 'valid') => `mapcoder_${agent}_${split}`;
export const adapterDir = (agent: AgentName) => `adapters/${agent}`;

/** dataset_info.json: our chat JSONL ("messages" with role/content) in LLaMA-Factory's sharegpt terms. */
export function datasetInfo(agents: readonly AgentName[]): string {
  const entry = (file: string) => ({
    file_name: file,
    formatting: 'sharegpt',
    columns: { messages: 'messages' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
  });
  const info = Object.fromEntries(
    agents.flatMap((a) => (['train', 'valid'] as const).map((s) => [datasetName(a, s), entry(`${a}/${s}.jsonl`)])),
  );
  return `${JSON.stringify(info, null, 2)}\n`;
}

/** LLaMA-Factory SFT config for one agent's rank-32 LoRA adapter. Hyperparameters are starting points. */
export function llamaFactoryYaml(agent: AgentName, baseModel: string, hasValid: boolean, rank = LORA_RANK): string {
  const lines = [
    `# ${agent} adapter: llamafactory-cli train llamafactory/${agent}.yaml  (run in the export folder)`,
    '### model',
    `model_name_or_path: ${baseModel}`,
    'trust_remote_code: true',
    '### method',
    'stage: sft',
    'do_train: true',
    'finetuning_type: lora',
    `lora_rank: ${rank}`,
    `lora_alpha: ${rank * 2}`,
    'lora_dropout: 0.05',
    'lora_target: all',
    '### dataset',
    'dataset_dir: .',
    `dataset: ${datasetName(agent, 'train')}`,
    'template: qwen',
    // Retrieval prompts and replies (k problems with code and plans) are long.
    'cutoff_len: 8192',
    'overwrite_cache: true',
    'preprocessing_num_workers: 4',
    '### output',
    `output_dir: ${adapterDir(agent)}`,
    'logging_steps: 10',
    'save_steps: 200',
    'plot_loss: true',
    'overwrite_output_dir: true',
    '### train',
    'per_device_train_batch_size: 1',
    'gradient_accumulation_steps: 16',
    'learning_rate: 1.0e-4',
    'num_train_epochs: 3.0',
    'lr_scheduler_type: cosine',
    'warmup_ratio: 0.05',
    'bf16: true',
  ];
  if (hasValid) {
    lines.push('### eval', `eval_dataset: ${datasetName(agent, 'valid')}`, 'per_device_eval_batch_size: 1', 'eval_strategy: steps', 'eval_steps: 200');
  }
  return `${lines.join('\n')}\n`;
}

/** The vLLM command serving the base model with the four adapters (multi-line, for a shell). */
export function serveCommand(agents: readonly AgentName[], base: string, rank = LORA_RANK): string {
  return [
    `vllm serve ${base} --enable-lora --max-lora-rank ${rank} --max-loras ${agents.length} \\`,
    `  --lora-modules ${agents.map((a) => `${a}=${adapterDir(a)}`).join(' ')} \\`,
    '  --host 127.0.0.1 --port ${PORT:-8000}',
  ].join('\n');
}

/** serve.sh: the same command with BASE and PORT overridable. */
export function serveScript(agents: readonly AgentName[], baseModel: string, rank = LORA_RANK): string {
  return [
    '#!/bin/sh',
    '# Serves the base model with the MapCoder-Lite adapters (run in the export folder after training).',
    'set -e',
    `BASE="\${BASE:-${baseModel}}"`,
    `exec ${serveCommand(agents, '"$BASE"', rank)} "$@"`,
    '',
  ].join('\n');
}

/** serve.md: how to train, serve, and point the extension and the CLI at the adapters. */
export function serveGuide(agents: readonly AgentName[], baseModel: string, counts: Record<string, number>, rank = LORA_RANK): string {
  const settings = {
    'mapcoderLite.endpoint': 'http://127.0.0.1:8000/v1',
    'mapcoderLite.backend': 'vllm',
    'mapcoderLite.plainModel': '',
    ...Object.fromEntries(agents.map((a) => [`mapcoderLite.models.${a}`, a])),
  };
  const train = agents.filter((a) => counts[a] > 0);
  const skipped = agents.filter((a) => !counts[a]);
  return [
    '# Train and serve the MapCoder-Lite adapters',
    '',
    `Base model: \`${baseModel}\`; one rank-${rank} LoRA adapter per agent.`,
    '',
    '## 1. Train (LLaMA-Factory, in this folder)',
    '',
    '```sh',
    'pip install "llamafactory[torch,metrics]"',
    ...train.map((a) => `llamafactory-cli train llamafactory/${a}.yaml   # ${counts[a]} training examples`),
    '```',
    ...(skipped.length ? ['', `No training examples for ${skipped.join(', ')}: collect more data before training ${skipped.length > 1 ? 'those adapters' : 'that adapter'}.`] : []),
    '',
    '## 2. Serve (vLLM)',
    '',
    '```sh',
    serveCommand(agents, baseModel, rank),
    '```',
    '',
    '(`sh serve.sh` runs the same; `BASE=... PORT=...` override the defaults.)',
    '',
    '## 3. Use',
    '',
    'VS Code settings (settings.json):',
    '',
    '```json',
    JSON.stringify(settings, null, 2),
    '```',
    '',
    'CLI: `mapcoder-lite check --endpoint http://127.0.0.1:8000/v1` checks that every adapter is served;',
    '`mapcoder-lite solve FILE --endpoint http://127.0.0.1:8000/v1` uses them (the adapter names are the agent names).',
    '',
  ].join('\n');
}
