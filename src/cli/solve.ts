import { writeFileAtomic } from '../core/fs-atomic';
import { PromptSet } from '../core/agents/prompts';
import { Judge, unsandboxedNote } from '../core/judge';
import { LlmClient, speculates } from '../core/llm';
import { solve, type SolveMode } from '../core/pipeline';
import { TraceWriter } from '../core/trace';
import type { PipelineEvent } from '../core/events';
import { ENDPOINT_HELP, ENDPOINT_OPTIONS, endpointConfig, intOption, parse, stressOption, UsageError } from './args';
import { sampleCount } from '../core/problem';
import { statementMissing } from '../core/companion/files';
import { chooseLang, JUDGING_HELP, JUDGING_OPTIONS, noSamplesLine, readProblemWithTests, readUserProgram, withJudgingChoices } from './problem-file';
import { DEFAULT_STRESS_TESTS } from '../core/defaults';
import { progressPrinter } from './progress';
import { checkLocalOptions, LOCAL_HELP, LOCAL_OPTIONS, LocalEngineError, localSpec, useLocalEngine, type LocalRun } from './local';

export const SOLVE_HELP = `Usage: mapcoder-lite solve FILE [options]
Runs retrieval, planning, coding and debugging on the problem in FILE, tests every program on the
samples (and on your own tests in <name>.tests.md beside FILE), and writes the chosen program to --out (or stdout). Exit 0 when it passes all samples,
1 when the best candidate was written but fails some, 2 on bad input, 3 when the endpoint fails.

Options:
  --lang L           python3 | cpp | c | java | javascript | rust (aliases: py, c++, js, ...);
                     default: FILE's extension if it is a source file, else python3
  --k N              exemplars to retrieve (default 3)     --t N   debugging rounds per plan (default 5)
  --mode M           mapcoder (default) | direct (one coding call, the paper's baseline)
  --out FILE         write the program here instead of stdout
  --trace FILE       write the run's trajectory as JSONL
  --prompts DIR      your own prompt templates (files missing there come from the built-in set)
  --speculate, --no-speculate
                     code and debug every plan at once as soon as it exists (same result as the
                     ordered schedule, more tokens). Default: on for --backend vllm, which batches
                     the calls (no slower, much faster when the best plan fails); off for the
                     others (llama.cpp, Ollama: few parallel slots)
  --stress N|off     once a program passes the samples, run it and a brute force (both written by
                     the model from the statement) on N generated inputs; where they disagree, the
                     input becomes a test and debugging goes on (default ${DEFAULT_STRESS_TESTS}; off: samples only)
  --brute FILE, --generator FILE
                     your own brute force, or input generator (its first argument is the seed),
                     instead of the model's; any language, by the file's extension
  --allow-no-samples solve even when the statement has no sample tests (the result is untested)
  --json             print one JSON summary on stdout (the program goes to --out)
${JUDGING_HELP}

${ENDPOINT_HELP}

${LOCAL_HELP}`;

export async function solveCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...ENDPOINT_OPTIONS,
    lang: { type: 'string' }, k: { type: 'string' }, t: { type: 'string' }, mode: { type: 'string' },
    out: { type: 'string' }, trace: { type: 'string' }, prompts: { type: 'string' },
    'allow-no-samples': { type: 'boolean' }, speculate: { type: 'boolean' }, 'no-speculate': { type: 'boolean' }, json: { type: 'boolean' },
    stress: { type: 'string' }, brute: { type: 'string' }, generator: { type: 'string' },
    ...JUDGING_OPTIONS, ...LOCAL_OPTIONS,
  });
  if (values.help) return out.write(`${SOLVE_HELP}\n`), 0;
  const file = positionals[0];
  const problem = withJudgingChoices(readProblemWithTests(file, (line) => err.write(`Samples ${line}.\n`)), file!, values);
  if (sampleCount(problem) === 0 && !values['allow-no-samples']) {
    throw new UsageError(`${noSamplesLine(file)}. Or pass --allow-no-samples`);
  }
  if (statementMissing(problem.statement)) err.write(`note: ${file} has no statement yet (Competitive Companion sends only the samples); the agents see the samples alone\n`);
  const lang = chooseLang(values.lang, file) ?? 'python3';
  const mode = (values.mode ?? 'mapcoder') as SolveMode;
  if (mode !== 'mapcoder' && mode !== 'direct') throw new UsageError(`--mode must be mapcoder or direct (got "${values.mode}")`);
  const prompts = PromptSet.load(values.prompts);
  const stress = {
    tests: stressOption(values.stress, DEFAULT_STRESS_TESTS),
    ...(values.brute ? { brute: readUserProgram(values.brute, 'brute') } : {}),
    ...(values.generator ? { generator: readUserProgram(values.generator, 'generator') } : {}),
  };
  if (values.speculate && values['no-speculate']) throw new UsageError('--speculate and --no-speculate contradict each other; pass one');
  checkLocalOptions(values);
  const k = intOption(values.k, 'k', 1);
  let config = endpointConfig(values);
  let local: LocalRun | undefined;
  if (values.local) {
    try {
      local = await useLocalEngine(localSpec(values, k ?? 3, config.sampling.maxTokens), config, err, signal);
    } catch (e) {
      if (!(e instanceof LocalEngineError)) throw e;
      err.write(`mapcoder-lite solve: ${e.message}\n`);
      return 3;
    }
    config = local.config;
  }
  const llm = new LlmClient(config);
  const speculate = speculates(values.speculate ? 'on' : values['no-speculate'] ? 'off' : 'auto', config.backend);
  const judge = new Judge();
  const trace = values.trace ? new TraceWriter(values.trace) : undefined;
  const progress = progressPrinter(err);
  const onEvent = (e: PipelineEvent) => {
    progress(e);
    trace?.write(e);
  };
  try {
    await judge.ready();
    const unsandboxed = unsandboxedNote(judge.capabilities);
    if (unsandboxed) err.write(`note: ${unsandboxed}\n`);
    const result = await solve({
      problem, lang, mode, llm, judge, prompts, signal, onEvent, speculate, stress,
      k, t: intOption(values.t, 't', 0),
    });
    const engineFailure = result.status === 'error' ? await local?.failure() : undefined;
    if (engineFailure) err.write(`mapcoder-lite solve: ${engineFailure}\n`);
    if (result.code) {
      // Atomic: a reader (or another solve writing the same file) sees the old program or the new one, whole.
      if (values.out) await writeFileAtomic(values.out, ensureNewline(result.code));
      else if (!values.json) out.write(ensureNewline(result.code));
    }
    if (values.json) {
      const { code, retrieval, plans, chosen, ...summary } = result;
      out.write(`${JSON.stringify({ ...summary, out: values.out, plan: chosen?.plan, round: chosen?.round, formatFailures: countFormat(result.agents), code: values.out ? undefined : code })}\n`);
    }
    return exitCode(result.status);
  } finally {
    trace?.close();
    await judge.dispose();
    await local?.release();
  }
}

function countFormat(agents: Record<string, { formatRecovered: number; formatUnrecovered: number }>) {
  return Object.fromEntries(Object.entries(agents).map(([a, t]) => [a, t.formatRecovered + t.formatUnrecovered]));
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

function exitCode(status: string): number {
  switch (status) {
    case 'passed': case 'untested': return 0;
    case 'error': return 3;
    case 'cancelled': return 130;
    default: return 1;
  }
}
