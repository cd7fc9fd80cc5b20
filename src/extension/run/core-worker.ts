import { parentPort } from 'node:worker_threads';
import { PromptSet } from '../../core/agents/prompts';
import type { PipelineEvent, SolveResult } from '../../core/events';
import { Judge, unsandboxedNote } from '../../core/judge';
import { LANGS } from '../../core/judge/languages';
import { LlmClient } from '../../core/llm';
import { stressOptions, userStressPrograms } from '../stress-files';
import { debugUserCode } from '../debug-user-code';
import { solve } from '../../core/pipeline';
import type { CoreSpec, FromWorker, RunMessage, ToWorker } from './core-messages';

// The runs' core in a worker thread of the extension host (core-run.ts starts it): the endpoint
// client, the judge with its probes and child processes, and the pipeline. Loading them, building
// requests and reading replies then cost the editor's thread nothing; it only relays the events. One
// worker serves the window's runs, so the judge's machine probes run once, as in one process.
// vscode-free.

const port = parentPort!;
const aborts = new Map<number, AbortController>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') aborts.get(m.id)?.abort();
  else void start(m.id, m.spec);
});

async function start(id: number, spec: CoreSpec): Promise<void> {
  const abort = new AbortController();
  aborts.set(id, abort);
  const post = (m: RunMessage) => port.postMessage({ id, ...m } satisfies FromWorker);
  const judge = new Judge(spec.judge);
  let outcome: RunMessage;
  try {
    // A judge whose programs cannot reach its folder stops the run here, in one line, before any agent call.
    await judge.ready();
    outcome = { type: 'done', result: await perform(spec, judgeWithProgress(judge, post), post, abort.signal, unsandboxedNote(judge.capabilities)) };
  } catch (err) {
    outcome = { type: 'failed', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
  }
  // Every program the run started is gone before the host hears that it ended.
  await judge.dispose();
  aborts.delete(id);
  post(outcome);
}

type Post = (m: RunMessage) => void;

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
