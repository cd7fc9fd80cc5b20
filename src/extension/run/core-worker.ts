import { parentPort } from 'node:worker_threads';
import { PromptSet } from '../../core/agents/prompts';
import type { PipelineEvent, SolveResult } from '../../core/events';
import { Judge, unsandboxedNote, type JudgeOptions } from '../../core/judge';
import { LANGS } from '../../core/judge/languages';
import { LlmClient } from '../../core/llm';
import { stressOptions, userStressPrograms } from '../stress-files';
import { debugUserCode } from '../debug-user-code';
import { solve } from '../../core/pipeline';
import type { CoreSpec, FromWorker, JobMessage, JudgeSpec, ToWorker } from './core-messages';

// The runs' core in a worker thread of the extension host (core-run.ts starts it): the endpoint
// client, the judge with its probes and child processes, and the pipeline. Loading them, building
// requests, reading replies and judging then cost the editor's thread nothing; it only relays the
// messages. One worker serves the window's jobs, so the judge's machine probes run once, as in one
// process. vscode-free.

const port = parentPort!;
const aborts = new Map<number, AbortController>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') aborts.get(m.id)?.abort();
  else if (m.type === 'start') void serve(m.id, m.spec.judge, (judge, post, signal) => runJob(m.spec, judge, post, signal));
  else void serve(m.id, m.spec.judge, (judge, post, signal) => judgeJob(m.spec, judge, post, signal));
});

type Post = (m: JobMessage) => void;

/** One job with its own judge: its messages posted, its outcome (or failure) last, after its programs are gone. */
async function serve(id: number, options: JudgeOptions, work: (judge: Judge, post: Post, signal: AbortSignal) => Promise<JobMessage>): Promise<void> {
  const abort = new AbortController();
  aborts.set(id, abort);
  const post: Post = (m) => port.postMessage({ id, ...m } satisfies FromWorker);
  const judge = new Judge(options);
  let outcome: JobMessage;
  try {
    // A judge whose programs cannot reach its folder stops the job here, in one line, before any agent call.
    await judge.ready();
    outcome = await work(judge, post, abort.signal);
  } catch (err) {
    outcome = err instanceof Error ? { type: 'failed', message: err.message, name: err.name, stack: err.stack } : { type: 'failed', message: String(err) };
  }
  // Every program the job started is gone before the host hears that it ended.
  await judge.dispose();
  aborts.delete(id);
  post(outcome);
}

async function runJob(spec: CoreSpec, judge: Judge, post: Post, signal: AbortSignal): Promise<JobMessage> {
  return { type: 'done', result: await perform(spec, judgeWithProgress(judge, post), post, signal, unsandboxedNote(judge.capabilities)) };
}

/** The user's program on its samples, each compile and test told as it ends. */
async function judgeJob(spec: JudgeSpec, judge: Judge, post: Post, signal: AbortSignal): Promise<JobMessage> {
  const report = await judge.judge({
    code: spec.code, lang: spec.lang, problem: spec.problem, signal,
    onCompile: (info) => post({ type: 'compiled', info }),
    onTest: (result) => post({ type: 'tested', result }),
  });
  const isolation = unsandboxedNote(judge.capabilities);
  return { type: 'judged', judged: { report, ...(isolation ? { isolation } : {}) } };
}

/** The judge as the run sees it: each judged program's compile and test phases told to the host. */
function judgeWithProgress(judge: Judge, post: Post): Pick<Judge, 'judge'> {
  return {
    judge: (req) => {
      if (req.quiet || !req.purpose) return judge.judge(req);
      const say = (phase: 'compiling' | 'testing') => post({ type: 'judging', purpose: req.purpose!, phase });
      say(LANGS[req.lang].compile ? 'compiling' : 'testing');
      return judge.judge({ ...req, onCompile: (c) => (say('testing'), req.onCompile?.(c)) });
    },
  };
}

/**
 * The work itself: a solve (perhaps resumed, with stress tests as set) or debugging rounds on the user's
 * program. `isolation`: said in the run's first event when its programs run outside the sandbox.
 */
function perform(spec: CoreSpec, judge: Pick<Judge, 'judge'>, post: Post, signal: AbortSignal, isolation?: string): Promise<SolveResult> {
  const llm = new LlmClient(spec.endpoint);
  const prompts = PromptSet.load(spec.promptsDir || undefined);
  const onEvent = (event: PipelineEvent) => post({ type: 'event', event: event.type === 'run-started' && isolation ? { ...event, isolation } : event });
  const common = { problem: spec.problem, lang: spec.lang, llm, judge, prompts, signal, onEvent };
  const { work } = spec;
  if (work.kind === 'debug') return debugUserCode({ ...common, code: work.code, report: work.report, t: Math.max(1, spec.t) });
  return solve({
    ...common, k: spec.k, t: spec.t, from: work.from, speculate: spec.speculate,
    ...(spec.stress.tests ? { stress: stressOptions(spec.stress.tests, userStressPrograms(spec.stress.dir)) } : {}),
  });
}
