import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { PipelineEvent } from '../../../src/core/events';
import { defaultEndpointConfig } from '../../../src/core/llm';
import { AGENTS } from '../../../src/core/types';
import type { CoreSpec } from '../../../src/extension/run/core-messages';
import { runCore } from '../../../src/extension/run/core-run';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { confidenceReply, CORRECT, fenced, mapcoderHandler, planReply, retrievalReply, SUM_PROBLEM } from '../helpers/mapcoder-script';

// The editor's runs in their worker thread (core-run.ts + core-worker.ts), the worker bundled as
// esbuild.mjs bundles it: a whole solve relayed, the judge's progress, cancel, and the ways it fails.

const ROOT = resolve(__dirname, '../../..');

describe('editor runs in a worker thread: the core relayed to the host', function () {
  this.timeout(60000);
  let dir: string;
  let worker: string;
  let server: ScriptedServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'core-run-'));
    worker = join(dir, 'dist', 'core-worker.js');
    await esbuild.build({ entryPoints: [join(ROOT, 'src/extension/run/core-worker.ts')], outfile: worker, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent' });
    // The packaged layout: the judge's helper files beside the bundle, the built-in prompts above it.
    cpSync(join(ROOT, 'src/core/judge/helper'), join(dir, 'dist', 'helper'), { recursive: true });
    symlinkSync(join(ROOT, 'prompts'), join(dir, 'prompts'));
    server = await startScriptedServer({ models: [...AGENTS] });
  });
  after(async () => {
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
    const result = await runCore(worker, spec(), { onEvent: (e) => events.push(e), onJudging: (p, phase) => judging.push(`${phase} ${p}`) }, new AbortController().signal);
    assert.equal(result.status, 'passed');
    assert.equal(result.code.trim(), CORRECT.trim());
    assert.equal(events[0].type, 'run-started');
    assert.equal(events.at(-1)?.type, 'done');
    assert.ok(events.filter((e) => e.type === 'token').length > 10, 'tokens streamed across');
    assert.ok(judging.some((j) => j.startsWith('testing ')), `judging phases relayed: ${judging.join(', ')}`);
  });

  it('cancel: the worker stops its run and answers with a cancelled result', async () => {
    // The coding agent never answers: only the abort can end the run.
    const base = mapcoderHandler(solveScript);
    server.setHandler(async (req, i) => (req.model === 'coding' ? new Promise(() => undefined) : base(req, i)));
    const abort = new AbortController();
    const result = await runCore(worker, spec(), {
      onEvent: (e) => {
        if (e.type === 'agent-started' && e.step.agent === 'coding') abort.abort();
      },
      onJudging: () => undefined,
    }, abort.signal);
    assert.equal(result.status, 'cancelled');
  });

  it("the run's own failure comes back as its message (a prompt folder that is not there)", async () => {
    await assert.rejects(runCore(worker, spec({ promptsDir: join(dir, 'no-such-folder') }), { onEvent: () => undefined, onJudging: () => undefined }, new AbortController().signal), /Prompt folder not found/);
  });

  it('a worker that cannot start or dies is a rejection, not a hang', async () => {
    await assert.rejects(runCore(join(dir, 'missing-worker.js'), spec(), { onEvent: () => undefined, onJudging: () => undefined }, new AbortController().signal));
  });
});
