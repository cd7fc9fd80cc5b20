import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { PipelineEvent } from '../../../src/core/events';
import { judgeCapabilities } from '../../../src/core/judge';
import { defaultEndpointConfig } from '../../../src/core/llm';
import { AGENTS } from '../../../src/core/types';
import type { CoreSpec } from '../../../src/extension/run/core-messages';
import { CoreWorker, type CoreListener } from '../../../src/extension/run/core-run';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { confidenceReply, CORRECT, fenced, mapcoderHandler, planReply, retrievalReply, SUM_PROBLEM, WRONG } from '../helpers/mapcoder-script';

// The editor's runs in their worker thread (core-run.ts + core-worker.ts), the worker bundled as
// esbuild.mjs bundles it: a whole solve relayed, the judge's progress, cancel, and the ways it fails.

const ROOT = resolve(__dirname, '../../..');

describe('editor runs in a worker thread: the core relayed to the host', function () {
  this.timeout(60000);
  let dir: string;
  let worker: string;
  let server: ScriptedServer;
  let core: CoreWorker;
  const quiet: CoreListener = { onEvent: () => undefined, onJudging: () => undefined };
  const never = () => new AbortController().signal;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'core-run-'));
    worker = join(dir, 'dist', 'core-worker.js');
    await esbuild.build({ entryPoints: [join(ROOT, 'src/extension/run/core-worker.ts')], outfile: worker, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent' });
    // The packaged layout: the judge's helper files beside the bundle, the built-in prompts above it.
    cpSync(join(ROOT, 'src/core/judge/helper'), join(dir, 'dist', 'helper'), { recursive: true });
    symlinkSync(join(ROOT, 'prompts'), join(dir, 'prompts'));
    server = await startScriptedServer({ models: [...AGENTS] });
    core = new CoreWorker(worker);
  });
  after(async () => {
    await core.dispose();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const spec = (over: Partial<CoreSpec> = {}): CoreSpec => ({
    work: { kind: 'solve' }, problem: SUM_PROBLEM, lang: 'python3',
    endpoint: defaultEndpointConfig({ baseUrl: server.url, idleTimeoutMs: 5000, requestTimeoutMs: 20000, maxRetries: 0 }),
    judge: {}, promptsDir: '', k: 3, t: 2, speculate: false, stress: { tests: 0, dir },
    ...over,
  });

  const solveScript = { retrieval: [retrievalReply(3)], plans: [planReply(0), planReply(1), planReply(2)], confidences: [confidenceReply(80)], coding: [fenced(CORRECT)] };

  it('a whole solve: every event relayed in order, the judging phases told, the result back', async () => {
    server.setHandler(mapcoderHandler(solveScript));
    const events: PipelineEvent[] = [];
    const judging: string[] = [];
    const result = await core.run(spec(), { onEvent: (e) => events.push(e), onJudging: (p, phase) => judging.push(`${phase} ${p}`) }, never());
    assert.equal(result.status, 'passed');
    assert.equal(result.code.trim(), CORRECT.trim());
    assert.equal(events[0].type, 'run-started');
    assert.equal(events.at(-1)?.type, 'done');
    assert.ok(events.filter((e) => e.type === 'token').length > 10, 'tokens streamed across');
    assert.ok(judging.some((j) => j.startsWith('testing ')), `judging phases relayed: ${judging.join(', ')}`);
  });

  it("programs outside the sandbox: the run's first event says so, for the panel's header and the log", async () => {
    server.setHandler(mapcoderHandler(solveScript));
    const first = async (judge: CoreSpec['judge']) => {
      const events: PipelineEvent[] = [];
      assert.equal((await core.run(spec({ judge }), { onEvent: (e) => events.push(e), onJudging: () => undefined }, never())).status, 'passed');
      return events[0].type === 'run-started' ? events[0].isolation : 'no run-started first';
    };
    assert.match((await first({ isolation: 'off' })) ?? '', /^Programs run (under resource limits only|with a time limit only)/);
    // Inside the sandbox (where it works here) nothing is said.
    if (judgeCapabilities().isolation === 'namespaces') assert.equal(await first({}), undefined);
  });

  it("judges the user's program on the worker: its compile and each test told as they end, the report back", async () => {
    const told: string[] = [];
    const listener = { onCompile: () => told.push('compiled'), onTest: (r: { verdict: string }) => told.push(r.verdict) };
    const cpp = '#include <cstdio>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);}\n';
    const { report } = await core.judgeProgram({ judge: {}, code: cpp, lang: 'cpp', problem: SUM_PROBLEM }, listener, never());
    assert.deepEqual([report.verdict, report.passed, report.total], ['AC', 2, 2]);
    assert.deepEqual(told, ['compiled', 'AC', 'AC']);
    const wrong = await core.judgeProgram({ judge: { isolation: 'off' }, code: WRONG, lang: 'python3', problem: SUM_PROBLEM }, listener, never());
    assert.equal(wrong.report.verdict, 'WA');
    assert.match(wrong.isolation ?? '', /^Programs run (under resource limits only|with a time limit only)/);
  });

  it("a judging cancelled mid-test ends its program and comes back, the worker free for the next job", async () => {
    const abort = new AbortController();
    const forever = 'import time\ntime.sleep(60)\n';
    const started = Date.now();
    const judged = core.judgeProgram({ judge: {}, code: forever, lang: 'python3', problem: { ...SUM_PROBLEM, timeLimitMs: 30_000 } }, { onCompile: () => undefined, onTest: () => undefined }, abort.signal);
    setTimeout(() => abort.abort(), 500);
    await assert.rejects(judged, { name: 'AbortError' });
    assert.ok(Date.now() - started < 10_000, 'ended by the abort, not by the 30 s limit');
    const { report } = await core.judgeProgram({ judge: {}, code: CORRECT, lang: 'python3', problem: SUM_PROBLEM }, { onCompile: () => undefined, onTest: () => undefined }, never());
    assert.equal(report.verdict, 'AC');
  });

  it('cancel: the worker stops its run and answers with a cancelled result', async () => {
    // The coding agent never answers: only the abort can end the run.
    const base = mapcoderHandler(solveScript);
    server.setHandler(async (req, i) => (req.model === 'coding' ? new Promise(() => undefined) : base(req, i)));
    const abort = new AbortController();
    const result = await core.run(spec(), {
      onEvent: (e) => {
        if (e.type === 'agent-started' && e.step.agent === 'coding') abort.abort();
      },
      onJudging: () => undefined,
    }, abort.signal);
    assert.equal(result.status, 'cancelled');
  });

  it("the run's own failure comes back as its message (a prompt folder that is not there)", async () => {
    await assert.rejects(core.run(spec({ promptsDir: join(dir, 'no-such-folder') }), quiet, never()), /Prompt folder not found/);
  });

  it('two runs at once on the one worker, each with its own events and result; cancelling one leaves the other', async () => {
    const base = mapcoderHandler(solveScript);
    // The run whose problem says "slow" waits for its coding reply until it is cancelled.
    server.setHandler(async (req, i) => (req.model === 'coding' && req.messages.some((m) => m.content.includes('SLOW-RUN')) ? new Promise(() => undefined) : base(req, i)));
    const slow = new AbortController();
    const slowEvents: string[] = [];
    const fastEvents: string[] = [];
    const slowRun = core.run(spec({ problem: { ...SUM_PROBLEM, statement: `${SUM_PROBLEM.statement}\nSLOW-RUN` } }), {
      onEvent: (e) => {
        slowEvents.push(e.type);
        if (e.type === 'agent-started' && e.step.agent === 'coding') void fastRun.then(() => slow.abort());
      },
      onJudging: () => undefined,
    }, slow.signal);
    const fastRun = core.run(spec(), { onEvent: (e) => fastEvents.push(e.type), onJudging: () => undefined }, never());
    assert.equal((await fastRun).status, 'passed');
    assert.equal((await slowRun).status, 'cancelled');
    assert.equal(fastEvents.filter((t) => t === 'run-started').length, 1);
    assert.equal(slowEvents.filter((t) => t === 'run-started').length, 1);
  });

  it('a worker that dies fails its runs at once, and the next run starts a new worker', async () => {
    server.setHandler(async () => new Promise(() => undefined));
    const doomed = new CoreWorker(worker);
    const run = doomed.run(spec(), {
      onEvent: (e) => {
        if (e.type === 'agent-started') void doomed['worker']?.terminate();
      },
      onJudging: () => undefined,
    }, never());
    await assert.rejects(run, /worker thread stopped before the run ended/);
    server.setHandler(mapcoderHandler(solveScript));
    assert.equal((await doomed.run(spec(), quiet, never())).status, 'passed');
    await doomed.dispose();
  });

  it('a worker file that is not there is a rejection, not a hang', async () => {
    const missing = new CoreWorker(join(dir, 'missing-worker.js'));
    await assert.rejects(missing.run(spec(), quiet, never()));
  });
});
