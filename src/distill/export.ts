import { createHash } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { AGENTS, type AgentName, type ChatMessage } from '../core/types';
import { readJsonlLog, writeFileAtomic } from './files';
import { latestById } from './loop';
import { CHAT_LINE, chatOrderErrors, MANIFEST, validate } from './schema';
import { datasetInfo, DEFAULT_BASE_MODEL, llamaFactoryYaml, LORA_RANK, serveGuide, serveScript } from './trainer';
import { EXAMPLE_SOURCES, type DistillRecord, type TrainingExample } from './types';

export interface ExportOptions {
  /** Dataset folders written by collect, supervise and the flywheel. */
  inputs: string[];
  outDir: string;
  seed?: number;
  /** Share of problems whose examples go to validation (default 0.1). */
  validRatio?: number;
  baseModel?: string;
  now?: () => Date;
}

export interface TokenStats {
  min: number;
  mean: number;
  max: number;
  total: number;
}

export interface SplitInfo {
  examples: number;
  problems: number;
  promptTokens: TokenStats;
  replyTokens: TokenStats;
  file: string;
}

export interface Manifest {
  format: 'mapcoder-lite-distill/1';
  created: string;
  inputs: string[];
  seed: number;
  validRatio: number;
  /** The prompt templates the examples were rendered with; more than one means mixed data. */
  promptsHash: string[];
  tokenEstimate: string;
  duplicatesDropped: number;
  sources: Record<string, number>;
  agents: Record<AgentName, { train: SplitInfo; valid: SplitInfo; kinds: Record<string, number> }>;
  baseModel: string;
  loraRank: number;
  trainer: string;
}

export class ExportError extends Error {
  override name = 'ExportError';
}

/** The results logs export reads in each input folder (see README.md). */
export const RECORD_FILES = ['collect.jsonl', 'collect-debug.jsonl', 'supervise.jsonl', 'flywheel.jsonl'];

/** Every example in the input folders, the last record per problem and file winning. */
export function readExamples(inputs: string[]): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const dir of inputs) {
    const files = RECORD_FILES.map((f) => path.join(dir, f)).filter((f) => existsSync(f));
    if (!files.length) throw new ExportError(`${dir} holds none of ${RECORD_FILES.join(', ')}`);
    for (const f of files) for (const r of latestById(readJsonlLog<DistillRecord>(f)).values()) examples.push(...r.examples);
  }
  return examples;
}

export const chatOf = (e: TrainingExample): ChatMessage[] => [...e.messages, { role: 'assistant', content: e.reply }];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const tokens = (text: string) => Math.ceil(text.length / 4);

/**
 * Per agent, chat-format train/valid JSONL, deduplicated on the whole conversation; the split is by
 * problem (all of a problem's examples on one side, so validation never sees a training problem),
 * seeded and independent of input order. Then manifest.json, LLaMA-Factory configs and vLLM serving.
 */
export function runExport(opts: ExportOptions): Manifest {
  const seed = opts.seed ?? 1;
  const validRatio = opts.validRatio ?? 0.1;
  const baseModel = opts.baseModel ?? DEFAULT_BASE_MODEL;
  const all = readExamples(opts.inputs);
  const seen = new Set<string>();
  const unique = all.filter((e) => {
    const h = sha(JSON.stringify(chatOf(e)));
    if (seen.has(h)) return false;
    seen.add(h);
    return true;
  });
  const valid = validProblems([...new Set(unique.map((e) => e.problem))], seed, validRatio);
  const agents = {} as Manifest['agents'];
  const sources = Object.fromEntries(EXAMPLE_SOURCES.map((s) => [s, 0]));
  for (const e of unique) sources[e.source]++;
  const files: [string, string][] = [];
  for (const agent of AGENTS) {
    const mine = unique.filter((e) => e.agent === agent);
    const kinds: Record<string, number> = {};
    for (const e of mine) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    const split = (side: 'train' | 'valid') => {
      const part = mine.filter((e) => valid.has(e.problem) === (side === 'valid'));
      const file = `${agent}/${side}.jsonl`;
      files.push([file, part.map((e) => `${JSON.stringify(chatLine(e))}\n`).join('')]);
      return { examples: part.length, problems: new Set(part.map((e) => e.problem)).size, promptTokens: stats(part.map((e) => tokens(e.messages.map((m) => m.content).join('')))), replyTokens: stats(part.map((e) => tokens(e.reply))), file };
    };
    agents[agent] = { train: split('train'), valid: split('valid'), kinds };
  }
  const manifest: Manifest = {
    format: 'mapcoder-lite-distill/1',
    created: (opts.now?.() ?? new Date()).toISOString(),
    inputs: opts.inputs.map((d) => path.resolve(d)),
    seed,
    validRatio,
    promptsHash: [...new Set(unique.map((e) => e.promptsHash))].sort(),
    tokenEstimate: 'approximate: characters / 4, not a tokenizer count',
    duplicatesDropped: all.length - unique.length,
    sources,
    agents,
    baseModel,
    loraRank: LORA_RANK,
    trainer: 'LLaMA-Factory (llamafactory-cli train llamafactory/<agent>.yaml)',
  };
  const problems = validate(MANIFEST, manifest);
  if (problems.length) throw new ExportError(`manifest does not conform: ${problems.join('; ')}`);
  for (const [file, text] of files) writeFileAtomic(path.join(opts.outDir, file), text);
  const counts = Object.fromEntries(AGENTS.map((a) => [a, agents[a].train.examples]));
  writeFileAtomic(path.join(opts.outDir, 'dataset_info.json'), datasetInfo(AGENTS));
  for (const a of AGENTS) writeFileAtomic(path.join(opts.outDir, 'llamafactory', `${a}.yaml`), llamaFactoryYaml(a, baseModel, agents[a].valid.examples > 0));
  writeFileAtomic(path.join(opts.outDir, 'serve.sh'), serveScript(AGENTS, baseModel));
  chmodSync(path.join(opts.outDir, 'serve.sh'), 0o755);
  writeFileAtomic(path.join(opts.outDir, 'serve.md'), serveGuide(AGENTS, baseModel, counts));
  // Last, so a manifest always describes complete files beside it.
  writeFileAtomic(path.join(opts.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A chat line, checked against the schema before it is written. */
function chatLine(e: TrainingExample): { messages: ChatMessage[] } {
  const line = { messages: chatOf(e).map((m) => ({ role: m.role, content: m.content })) };
  const errs = [...validate(CHAT_LINE, line), ...chatOrderErrors(line)];
  if (errs.length) throw new ExportError(`${e.problem} (${e.agent}): ${errs.join('; ')}`);
  return line;
}

/** round(ratio x problems) problems, those first in an order seeded by `seed` (at least one when there are two or more). */
export function validProblems(problems: string[], seed: number, ratio: number): Set<string> {
  let n = Math.round(problems.length * ratio);
  if (ratio > 0 && n === 0 && problems.length >= 2) n = 1;
  const order = problems.map((p) => ({ p, key: sha(`${seed}\0${p}`) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new Set(order.slice(0, n).map((o) => o.p));
}

function stats(values: number[]): TokenStats {
  if (!values.length) return { min: 0, mean: 0, max: 0, total: 0 };
  const total = values.reduce((a, b) => a + b, 0);
  return { min: Math.min(...values), mean: Math.round((total / values.length) * 10) / 10, max: Math.max(...values), total };
}
