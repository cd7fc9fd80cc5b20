import * as path from 'node:path';
import { PromptSet } from '../core/agents/prompts';
import { Judge } from '../core/judge';
import { resolveLang } from '../core/judge/languages';
import { ENDPOINT_HELP, ENDPOINT_OPTIONS, endpointConfig, intOption, parse, stressOption, UsageError } from './args';
import { DatasetError, DATASETS, defaultDataDir, fetchName, loadDataset } from '../eval/datasets';
import { fetchData } from '../eval/datasets/fetch';
import { asUsage, dataFetchProgress } from './data';
import { ExecEvalError, ExecEvalJudge } from '../eval/judge/execeval';
import { LocalHiddenJudge } from '../eval/judge/local';
import type { HiddenJudge } from '../eval/judge/types';
import { EVAL_MODES, type EvalMode, type EvalRecord } from '../eval/record';
import { MergeError, mergeResults } from '../eval/merge';
import { ResumeMismatchError, runEval } from '../eval/run';
import { writeReport } from '../eval/write-report';

export const EVAL_HELP = `Usage: mapcoder-lite eval --dataset NAME|FILE [options]
       mapcoder-lite eval merge DIR... --out DIR   (shards' results joined into one report)
Runs the benchmark the way MapCoder and MapCoder-Lite report it and writes, per dataset and mode,
<out>/<dataset>.<mode>.jsonl (one line per problem as it finishes; a rerun skips finished problems),
then <out>/report.md and <out>/report.html (pass@1 beside the published figures, format failures,
calls, tokens, time). The agents see only the sample tests; the hidden tests judge the final program.

Datasets: ${Object.keys(DATASETS).join(', ')} (fetched on first use into MAPCODER_DATA_DIR or
~/.cache/mapcoder-lite/data, see "mapcoder-lite data fetch"; --data DIR uses files already there),
or FILE: your own JSONL (format in src/eval/datasets/README.md). xCodeEval is judged on its hidden
unit tests (xCodeEval's unittest_db); where the data has none, on its samples, and the report says so.

Options:
  --mode M            direct | mapcoder | lite; repeat or comma-separate to compare (default lite)
                      direct:   one coding call on the plain model (the paper's Direct baseline)
                      mapcoder: the four agents on the plain model, no adapters
                      lite:     the four agents, each on its adapter (--adapter AGENT=NAME)
                      direct and mapcoder need --model: the base model's name on the server, so
                      the comparison with lite is the same weights with and without adapters.
  --lang L            target language (default python3; HumanEval, MBPP and APPS call-based
                      problems are Python-only and are left out for other languages)
  --k N               exemplars (default 5 for HumanEval and HumanEval-ET, 3 elsewhere)
  --t N               debugging rounds per plan (default 5)
  --limit N           only the first N problems
  --concurrency N     problems solved at once (default 4)
  --shard I/N         this machine's part: problems I, I+N, I+2N, ... of the dataset (after --lang
                      and --limit); run each I of N (on as many machines), then eval merge
  --endpoint URL,URL  several replicas of the model (vLLM, llama.cpp): each problem goes to the
                      one with the fewest problems running
  --out DIR           results and report folder (default eval-results)
  --data DIR          folder with the benchmark files
  --judge J           local (default) | execeval: hidden tests on ExecEval servers
  --judge-url URLS    ExecEval base URL(s), comma-separated: each program goes to the server with
                      the fewest jobs running; checked once (GET /api/all_runtimes) before the run
  --judge-concurrency N   jobs at once on each ExecEval server (its gunicorn workers; default 1)
  --prompts DIR       your own prompt templates
  --stress N          stress tests with N generated inputs (mapcoder and lite; default off, the paper's
                      setting): the report gives pass@1 with them and, from the same runs, without
  --checkers DIR      checkers by problem id, DIR/<id>.checker.<ext> (testlib-style; testlib.h beside
                      them): samples and (local judge) hidden tests judge through them, and the report
                      gives pass@1 with checkers beside the exact comparison
  --report-only       rewrite the report from the results in --out, solving nothing

${ENDPOINT_HELP}`;

function modesOf(values: string[] | undefined): EvalMode[] {
  const names = (values ?? ['lite']).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!EVAL_MODES.includes(n as EvalMode)) throw new UsageError(`--mode must be direct, mapcoder or lite (got "${n}")`);
  return [...new Set(names as EvalMode[])];
}

function hiddenJudge(values: { judge?: string; 'judge-url'?: string; 'judge-concurrency'?: string }): HiddenJudge {
  const kind = values.judge ?? 'local';
  if (kind === 'local') return new LocalHiddenJudge();
  if (kind !== 'execeval') throw new UsageError(`--judge must be local or execeval (got "${kind}")`);
  const urls = (values['judge-url'] ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (!urls.length) throw new UsageError('--judge execeval needs --judge-url URL[,URL...]');
  return new ExecEvalJudge(urls, { concurrency: intOption(values['judge-concurrency'], 'judge-concurrency', 1) ?? 1 });
}

function progressLine(r: EvalRecord, done: number, total: number): string {
  const hidden = r.hidden.error ? `judge error: ${r.hidden.error}` : `hidden ${r.hidden.passed}/${r.hidden.total}${r.hidden.available ? '' : ' (samples)'}`;
  const what = r.error ? `${r.status}: ${r.error}` : `${r.solved ? 'solved' : 'not solved'}, samples ${r.samples.passed}/${r.samples.total}, ${hidden}`;
  return `[${done}/${total}] ${r.dataset} ${r.id} ${r.mode}: ${what} (${r.calls} calls, ${r.seconds} s)\n`;
}

/** `--shard i/n` (1-based i) as the 0-based part of n. */
function shardOf(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`--shard takes I/N with 1 <= I <= N (got "${value}")`);
  return { index: i - 1, count: n };
}

/** Done, pass@1 so far and an ETA from this run's pace, after each record. */
function progressTracker(started = Date.now()) {
  let solved = 0;
  let written = 0;
  return (r: EvalRecord, done: number, total: number): string => {
    written++;
    if (r.solved) solved++;
    const left = total - done;
    const eta = left > 0 ? `, ETA ${formatEta(((Date.now() - started) / written) * left)}` : '';
    return `${progressLine(r, done, total).trimEnd()}; pass@1 so far ${((100 * solved) / written).toFixed(1)} % (${solved}/${written} this run)${eta}\n`;
  };
}

function formatEta(ms: number): string {
  const m = Math.round(ms / 60000);
  return m < 1 ? `${Math.max(1, Math.round(ms / 1000))} s` : m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`;
}

function mergeCommand(argv: string[], out: NodeJS.WritableStream): number {
  const { values, positionals } = parse(argv, { out: { type: 'string' } });
  if (!values.out || positionals.length < 1) throw new UsageError('usage: mapcoder-lite eval merge DIR... --out DIR', true);
  let counts: Record<string, number>;
  try {
    counts = mergeResults(positionals.map((d) => path.resolve(d)), path.resolve(values.out));
  } catch (e) {
    throw e instanceof MergeError ? new UsageError(e.message) : e;
  }
  const report = writeReport(path.resolve(values.out));
  out.write(`${report.markdown}\nMerged ${Object.entries(counts).map(([k, n]) => `${k} (${n} problems)`).join(', ')}; wrote ${report.files.join(' and ')}\n`);
  return 0;
}

export async function evalCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1), out);
  const { values } = parse(argv, {
    ...ENDPOINT_OPTIONS,
    dataset: { type: 'string' }, mode: { type: 'string', multiple: true }, lang: { type: 'string' },
    k: { type: 'string' }, t: { type: 'string' }, limit: { type: 'string' }, concurrency: { type: 'string' },
    out: { type: 'string' }, data: { type: 'string' }, judge: { type: 'string' }, 'judge-url': { type: 'string' }, 'judge-concurrency': { type: 'string' },
    prompts: { type: 'string' }, 'report-only': { type: 'boolean' }, stress: { type: 'string' }, shard: { type: 'string' }, checkers: { type: 'string' },
  });
  if (values.help) return out.write(`${EVAL_HELP}\n`), 0;
  const outDir = path.resolve(values.out ?? 'eval-results');
  if (values['report-only']) {
    const report = writeReport(outDir);
    out.write(`${report.markdown}\nWrote ${report.files.join(' and ')}\n`);
    return 0;
  }
  if (!values.dataset) throw new UsageError('--dataset NAME|FILE is required');
  const modes = modesOf(values.mode);
  // --endpoint a,b: replicas of one model, each problem on the one with the fewest running
  const urls = (values.endpoint ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  const [endpoint, ...moreEndpoints] = urls.length ? urls.map((e) => endpointConfig({ ...values, endpoint: e })) : [endpointConfig(values)];
  const shard = shardOf(values.shard);
  const needsModel = modes.filter((m) => m !== 'lite');
  if (needsModel.length && !endpoint.plainModel) {
    throw new UsageError(`--mode ${needsModel.join(',')} runs without adapters: name the base model with --model`);
  }
  const lang = values.lang === undefined ? 'python3' : resolveLang(values.lang);
  if (!lang) throw new UsageError(`Unknown language "${values.lang}"`);
  const hidden = hiddenJudge(values);
  let dataset;
  if (DATASETS[values.dataset.toLowerCase()] && values.data === undefined) {
    // first use: the benchmark's files from their homes (or MAPCODER_DATA_URL) into the data folder
    const progress = dataFetchProgress(err);
    await fetchData([fetchName(values.dataset)], defaultDataDir(), { mirror: process.env.MAPCODER_DATA_URL || undefined, signal, ...progress })
      .catch(asUsage)
      .finally(progress.done);
  }
  try {
    dataset = loadDataset(values.dataset, values.data ?? defaultDataDir());
  } catch (e) {
    if (e instanceof DatasetError) throw new UsageError(e.message);
    throw e;
  }
  const k = intOption(values.k, 'k', 1);
  const t = intOption(values.t, 't', 0);
  const limit = intOption(values.limit, 'limit', 1);
  const concurrency = intOption(values.concurrency, 'concurrency', 1) ?? 4;
  const stress = stressOption(values.stress, 0);
  const prompts = PromptSet.load(values.prompts);
  const progress = progressTracker();
  const judge = new Judge();
  try {
    await judge.ready();
    // one look at every ExecEval server before the run: it answers and has the language's runtime
    if (hidden instanceof ExecEvalJudge) await hidden.ready(lang, signal).catch((e: unknown) => {
      throw e instanceof ExecEvalError ? new UsageError(e.message) : e;
    });
    const summary = await runEval({
      dataset, modes, lang, k, t, limit, concurrency, outDir, endpoint, moreEndpoints, shard, prompts, judge, hidden, signal, stress, checkers: values.checkers,
      onRecord: (r, done, total) => err.write(progress(r, done, total)),
    }).catch((e) => {
      throw e instanceof ResumeMismatchError ? new UsageError(e.message) : e;
    });
    if (summary.unsupported) err.write(`${summary.unsupported} problems of ${dataset.name} cannot be judged in ${lang} and were left out.\n`);
    if (summary.resumed) err.write(`${summary.resumed} results were already in ${outDir} and were kept.\n`);
    const report = writeReport(outDir);
    out.write(`${report.markdown}\nWrote ${report.files.join(' and ')}\n`);
    if (summary.cancelled) {
      err.write('Cancelled: finished problems are saved; run the same command again to continue.\n');
      return 130;
    }
    if (summary.endpointFailed) {
      err.write(`The endpoint failed on ${summary.endpointFailed} problem run(s): they are marked "not measured" and are solved again on the next run of this command.\n`);
      return 3;
    }
    return 0;
  } finally {
    await Promise.all([judge.dispose(), hidden.dispose()]);
  }
}
