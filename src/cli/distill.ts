import * as path from 'node:path';
import { intOption, parse, UsageError } from './args';
import { PromptSet } from '../core/agents/prompts';
import { Judge } from '../core/judge';
import { resolveLang } from '../core/judge/languages';
import { AGENTS } from '../core/types';
import { DatasetError, defaultDataDir } from '../eval/datasets';
import { LocalHiddenJudge } from '../eval/judge/local';
import { collectFile, runCollect } from '../distill/collect';
import { RoundRobinLlm } from '../distill/endpoints';
import { roleEndpoints, roleOptions, type Role } from './distill-roles';
import { ExportError, runExport } from '../distill/export';
import { ResumeMismatchError, type LoopSummary } from '../distill/loop';
import { loadProblemSet } from '../distill/problem-set';
import { runSupervise, summaryFile, superviseFile } from '../distill/supervise';
import { DEFAULT_BASE_MODEL } from '../distill/trainer';
import type { DistillRecord } from '../distill/types';

const roleHelp = (role: Role, what: string) => `  --${role}-endpoint URL[,URL...]   ${what}; several URLs: requests go round-robin
  --${role}-model NAME | --${role}-adapter AGENT=NAME (repeatable), --${role}-backend,
  --${role}-temperature, --${role}-max-tokens, --${role}-request-timeout, --${role}-idle-timeout`;

export const DISTILL_HELP = `Usage: mapcoder-lite distill collect|supervise|export [options]
Makes the training data for the four LoRA adapters (details: src/distill/README.md).

  distill collect     the teacher runs the whole pipeline on each problem; trajectories whose final
                      program passes every hidden test become training examples, one per agent call
                      on the successful path. --debug-from-student: the student retrieves, plans and
                      codes, the teacher debugs; passing debugging rounds become debugging examples.
  distill supervise   the student runs; when its final program fails, the supervisor names the agent
                      to blame (planning or coding) with feedback; that agent alone is re-run with the
                      feedback and, if the program then passes, its new output becomes an example.
  distill export      per agent train/valid chat JSONL, manifest.json, LLaMA-Factory configs and the
                      vLLM serving command (serve.sh, serve.md).

collect and supervise:
  --dataset NAME|FILE|DIR   apps, humaneval, humaneval-et, mbpp, xcodeeval (xCodeEval has sample tests
                            only and is judged on them), own JSONL, or a folder of Competitive Companion
                            .json files (samples only)
  --data DIR          folder with the benchmark files (default MAPCODER_DATA_DIR or the
                      cache that "mapcoder-lite data fetch" fills)
  --out DIR           dataset folder (default distill-data); a rerun skips finished problems
  --lang L            target language (default python3)
  --k N, --t N        exemplars (default the dataset's) and debugging rounds (default 5)
  --limit N           only the first N problems
  --concurrency N     problems at once (default 4)
  --prompts DIR       your own prompt templates
  --traces            also write each run's trace to <out>/traces/
${roleHelp('teacher', 'collect: the strong model')}
${roleHelp('student', 'the small model (collect --debug-from-student, supervise)')}
${roleHelp('supervisor', 'supervise: the reviewing model (give --supervisor-model)')}
  The API key, if a server wants one, comes from MAPCODER_API_KEY (the same for every role).

export:
  --in DIR            a dataset folder (repeatable; default distill-data)
  --out DIR           export folder (default distill-export)
  --seed N            split seed (default 1); --valid-ratio R  share of problems for validation (default 0.1)
  --base-model NAME   base model for the trainer configs and vLLM (default ${DEFAULT_BASE_MODEL})`;

const RUN_OPTIONS = {
  dataset: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' },
  k: { type: 'string' }, t: { type: 'string' }, limit: { type: 'string' }, concurrency: { type: 'string' },
  prompts: { type: 'string' }, traces: { type: 'boolean' },
} as const;

export async function distillCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    out.write(`${DISTILL_HELP}\n`);
    return sub ? 0 : 2;
  }
  try {
    if (sub === 'collect' || sub === 'supervise') return await runCommand(sub, rest, out, err, signal);
    if (sub === 'export') return exportCommand(rest, out);
  } catch (e) {
    if (e instanceof DatasetError || e instanceof ResumeMismatchError || e instanceof ExportError) throw new UsageError(e.message);
    throw e;
  }
  throw new UsageError(`unknown distill command "${sub}"; use collect, supervise or export`);
}

async function runCommand(sub: 'collect' | 'supervise', argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values } = parse(argv, {
    ...RUN_OPTIONS, ...roleOptions('teacher'), ...roleOptions('student'), ...roleOptions('supervisor'), 'debug-from-student': { type: 'boolean' },
  });
  if (values.help) return out.write(`${DISTILL_HELP}\n`), 0;
  if (!values.dataset) throw new UsageError('--dataset NAME|FILE|DIR is required');
  const lang = values.lang === undefined ? 'python3' : resolveLang(values.lang);
  if (!lang) throw new UsageError(`Unknown language "${values.lang}"`);
  const dataset = loadProblemSet(values.dataset, values.data ?? defaultDataDir());
  const outDir = path.resolve(values.out ?? 'distill-data');
  const setup = {
    dataset, lang, outDir,
    k: intOption(values.k, 'k', 1) ?? dataset.defaultK,
    t: intOption(values.t, 't', 0) ?? 5,
    limit: intOption(values.limit, 'limit', 1),
    concurrency: intOption(values.concurrency, 'concurrency', 1) ?? 4,
    prompts: PromptSet.load(values.prompts),
    traceDir: values.traces ? path.join(outDir, 'traces') : undefined,
    signal,
    onProgress: (line: string) => err.write(line),
  };
  if (!dataset.problems.some((p) => p.hiddenAvailable)) err.write(`${dataset.name} has no hidden tests: programs are judged on their sample tests again.\n`);
  const llm = (role: Role) => RoundRobinLlm.of(roleEndpoints(values, role));
  const judge = new Judge();
  const hidden = new LocalHiddenJudge();
  try {
    await judge.ready();
    if (sub === 'collect') {
      const debug = values['debug-from-student'] === true;
      const loop = await runCollect({ ...setup, judge, hidden, teacher: llm('teacher'), student: debug ? llm('student') : undefined });
      out.write(describeLoop(loop, collectFile(outDir, debug)));
      return finished(loop, err);
    }
    const { loop, summary } = await runSupervise({ ...setup, judge, hidden, student: llm('student'), supervisor: llm('supervisor') });
    out.write(describeLoop(loop, superviseFile(outDir)));
    const rate = (r: number | null) => (r === null ? '-' : `${Math.round(r * 1000) / 10} %`);
    out.write(
      `Supervised ${summary.supervised} failed runs: blamed planning ${summary.blame.planning}, coding ${summary.blame.coding}, no agent named ${summary.blame.none}.\n` +
        `Corrected: planning ${summary.corrected.planning} (${rate(summary.correctionRate.planning)}), coding ${summary.corrected.coding} (${rate(summary.correctionRate.coding)}), overall ${rate(summary.correctionRate.overall)}.\n` +
        `Summary: ${summaryFile(outDir)}\n`,
    );
    return finished(loop, err);
  } finally {
    await Promise.all([judge.dispose(), hidden.dispose()]);
  }
}

function describeLoop(loop: LoopSummary, file: string): string {
  const kept = loop.records.filter((r) => r.kept);
  const perAgent = AGENTS.map((a) => `${a} ${count(loop.records, (r) => r.examples.filter((e) => e.agent === a).length)}`).join(', ');
  return (
    `${loop.problems} problems (${loop.resumed} already done, ${loop.written} done now): ${kept.length} kept, ` +
    `${count(loop.records, (r) => r.examples.length)} examples (${perAgent}).\nResults: ${file}\n`
  );
}

const count = (records: DistillRecord[], f: (r: DistillRecord) => number) => records.reduce((n, r) => n + f(r), 0);

function finished(loop: LoopSummary, err: NodeJS.WritableStream): number {
  if (loop.cancelled) {
    err.write('Cancelled: finished problems are saved; run the same command again to continue.\n');
    return 130;
  }
  if (loop.endpointFailed) {
    err.write(`The endpoint failed on ${loop.endpointFailed} problem(s): nothing was kept from them; run the same command again when it answers.\n`);
    return 3;
  }
  return 0;
}

function exportCommand(argv: string[], out: NodeJS.WritableStream): number {
  const { values } = parse(argv, {
    in: { type: 'string', multiple: true }, out: { type: 'string' }, seed: { type: 'string' }, 'valid-ratio': { type: 'string' }, 'base-model': { type: 'string' },
  });
  if (values.help) return out.write(`${DISTILL_HELP}\n`), 0;
  const ratio = values['valid-ratio'] === undefined ? undefined : Number(values['valid-ratio']);
  if (ratio !== undefined && !(ratio >= 0 && ratio < 1)) throw new UsageError(`--valid-ratio must be a number from 0 to below 1 (got "${values['valid-ratio']}")`);
  const outDir = path.resolve(values.out ?? 'distill-export');
  const m = runExport({
    inputs: values.in ?? ['distill-data'], outDir, seed: intOption(values.seed, 'seed', 0), validRatio: ratio, baseModel: values['base-model'],
  });
  const rows = AGENTS.map((a) => `| ${a} | ${m.agents[a].train.examples} | ${m.agents[a].valid.examples} | ${m.agents[a].train.promptTokens.mean} | ${m.agents[a].train.replyTokens.mean} |`);
  out.write(
    ['| agent | train | valid | prompt tokens (mean, ~chars/4) | reply tokens (mean) |', '|---|---|---|---|---|', ...rows].join('\n') +
      `\n${m.duplicatesDropped} duplicates dropped; prompts ${m.promptsHash.join(', ') || '(none)'}${m.promptsHash.length > 1 ? ' (MIXED: examples from different prompt templates)' : ''}.\n` +
      `Wrote ${outDir}: <agent>/train.jsonl, <agent>/valid.jsonl, manifest.json, dataset_info.json, llamafactory/*.yaml, serve.sh, serve.md\n`,
  );
  return 0;
}
