import { parentPort } from 'node:worker_threads';
import { PromptSet } from '../../core/agents/prompts';
import type { PipelineEvent, SolveResult } from '../../core/events';
import { Judge } from '../../core/judge';
import { LANGS } from '../../core/judge/languages';
import { LlmClient } from '../../core/llm';
import { stressOptions, userStressPrograms } from '../stress-files';
import { debugUserCode } from '../debug-user-code';
import { solve } from '../../core/pipeline';
import type { CoreSpec, FromWorker, ToWorker } from './core-messages';

// A run's core in a worker thread of the extension host (core-run.ts starts it): the endpoint client,
// the judge with its probes and child processes, and the pipeline. Loading them, building requests and
// reading replies then cost the editor's thread nothing; it only relays the events. vscode-free.

const port = parentPort!;
const abort = new AbortController();
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') abort.abort();
  else void start(m.spec);
});

async function start(spec: CoreSpec): Promise<void> {
  const judge = new Judge(spec.judge);
  let outcome: FromWorker;
  try {
    // A judge whose programs cannot reach its folder stops the run here, in one line, before any agent call.
    await judge.ready();
    outcome = { type: 'done', result: await perform(spec, judge) };
  } catch (err) {
    outcome = { type: 'failed', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
  }
  // Every program the run started is gone before the host hears that it ended.
  await judge.dispose();
  post(outcome);
  port.close();
}

/** The judge as the run sees it: each judged program's compile and test phases told to the host. */
function judgeWithProgress(judge: Judge): Pick<Judge, 'judge'> {
  return {
    judge: (req) => {
      if (req.quiet || !req.purpose) return judge.judge(req);
      const say = (phase: 'compiling' | 'testing') => post({ type: 'judging', purpose: req.purpose!, phase });
      say(LANGS[req.lang].compile ? 'compiling' : 'testing');
      return judge.judge({ ...req, onCompile: (c) => (say('testing'), req.onCompile?.(c)) });
    },
  };
}

/** The work itself: a solve (perhaps resumed, with stress tests as set) or debugging rounds on the user's program. */
function perform(spec: CoreSpec, judge: Judge): Promise<SolveResult> {
  const llm = new LlmClient(spec.endpoint);
  const prompts = PromptSet.load(spec.promptsDir || undefined);
  const onEvent = (event: PipelineEvent) => post({ type: 'event', event });
  const common = { problem: spec.problem, lang: spec.lang, llm, judge: judgeWithProgress(judge), prompts, signal: abort.signal, onEvent };
  const { work } = spec;
  if (work.kind === 'debug') return debugUserCode({ ...common, code: work.code, report: work.report, t: Math.max(1, spec.t) });
  return solve({
    ...common, k: spec.k, t: spec.t, from: work.from, speculate: spec.speculate,
    ...(spec.stress.tests ? { stress: stressOptions(spec.stress.tests, userStressPrograms(spec.stress.dir)) } : {}),
  });
}
