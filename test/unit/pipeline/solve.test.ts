import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineEvent } from '../../../src/core/events';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { solve, type SolveOptions } from '../../../src/core/pipeline';
import { readTrace, TraceWriter } from '../../../src/core/trace';
import { AGENTS } from '../../../src/core/types';
import { startScriptedServer } from '../../fixtures/llm-server/server';
import { useSolveEnv } from '../helpers/solve-env';
import {
  confidenceReply, CORRECT, fenced, HALF_RIGHT, mapcoderHandler, planReply, retrievalReply, SUM_PROBLEM, WRONG, type MapCoderScript,
} from '../helpers/mapcoder-script';

const plans3 = [planReply(0), planReply(1), planReply(2)];

describe('pipeline: whole solves through the real client, a scripted endpoint and the real judge', function () {
  this.timeout(60000);
  const env = useSolveEnv();

  const client = (over = {}) => new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, idleTimeoutMs: 5000, requestTimeoutMs: 20000, maxRetries: 0, ...over }));

  async function run(script: MapCoderScript, extra: Partial<SolveOptions> = {}) {
    env.server.setHandler(mapcoderHandler(script));
    const events: PipelineEvent[] = [];
    const result = await solve({ problem: SUM_PROBLEM, lang: 'python3', llm: client(), judge: env.judge, prompts: env.prompts, onEvent: (e) => events.push(e), ...extra });
    return { result, events };
  }

  const bodiesFor = (model: string) => env.server.requests.filter((r) => r.model === model).map((r) => r.messages.map((m) => m.content).join('\n'));

  it('passes on the first program, trying the most confident plan first', async () => {
    const { result, events } = await run({
      retrieval: [retrievalReply(3)], plans: plans3,
      confidences: [confidenceReply(60), confidenceReply(90), confidenceReply(70)],
      coding: [fenced(CORRECT)],
    });
    assert.equal(result.status, 'passed');
    assert.equal(result.code.trim(), CORRECT.trim());
    assert.deepEqual([result.passed, result.total], [2, 2]);
    assert.deepEqual(result.plans.map((p) => [p.index, p.confidence]), [[1, 90], [2, 70], [0, 60]]);
    assert.equal(result.chosen?.plan, 1);
    assert.equal(result.chosen?.round, 0);
    assert.deepEqual(AGENTS.map((a) => result.agents[a].calls), [1, 6, 1, 0]);
    assert.match(bodiesFor('coding')[0], /\(PLAN2\)/, 'the coding call got the best plan');
    assert.equal(result.retrieval?.exemplars.length, 3);
    assert.ok(result.retrieval?.exemplars[0].code.includes('a < b && b > a'), 'code inside XML survives byte for byte');
    const tokens = events.filter((e) => e.type === 'token').length;
    assert.ok(tokens > 10, `tokens streamed as events (${tokens})`);
    assert.equal(events.at(-1)?.type, 'done');
    assert.ok(result.agents.coding.completionTokens > 0 && result.agents.retrieval.promptTokens > 0, 'usage counted');
  });

  it('runs the k plan+confidence chains concurrently', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const base = mapcoderHandler({ retrieval: [retrievalReply(3)], plans: plans3, confidences: [confidenceReply(50)], coding: [fenced(CORRECT)] });
    env.server.setHandler(async (req, i) => {
      if (req.model !== 'planning') return base(req, i);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 150));
      inFlight--;
      return base(req, i);
    });
    const result = await solve({ problem: SUM_PROBLEM, lang: 'python3', llm: client(), judge: env.judge, prompts: env.prompts });
    assert.equal(result.status, 'passed');
    assert.equal(maxInFlight, 3, 'three planning requests were in flight at once');
  });

  it('debugs a failing program until it passes, telling the debugger what failed', async () => {
    const { result, events } = await run({
      retrieval: [retrievalReply(2)], plans: plans3, confidences: [confidenceReply(80), confidenceReply(20)],
      coding: [fenced(WRONG)],
      debugging: [{ text: `The sign is wrong; add instead.\n\`\`\`python\n${CORRECT}\`\`\`` }],
    });
    assert.equal(result.status, 'passed');
    assert.deepEqual([result.chosen?.plan, result.chosen?.round], [0, 1]);
    assert.equal(result.agents.debugging.calls, 1);
    const debugPrompt = bodiesFor('debugging')[0];
    assert.match(debugPrompt, /0 of 2 sample tests pass/);
    assert.match(debugPrompt, /Input:\n1 2\nExpected output:\n3\nActual output:\n-1/);
    assert.ok(debugPrompt.includes(WRONG.trim()), 'the failing program is in the prompt');
    const candidates = events.filter((e) => e.type === 'candidate');
    assert.equal(candidates.length, 2);
  });

  it('recovers a malformed retrieval reply (prose, one <problem>, no closing tags)', async () => {
    const malformed = 'Sure! Here are related problems:\n```xml\n<root>\n<problem>\n<description>EX1: add</description>\n<code>print(1)</code>\n<planning>add them</planning>\n</problem>\n<algorithm>Arithmetic.';
    const { result } = await run({ retrieval: [{ text: malformed }], plans: plans3, confidences: [confidenceReply(70)], coding: [fenced(CORRECT)] });
    assert.equal(result.status, 'passed');
    assert.equal(result.retrieval?.exemplars.length, 1);
    assert.match(result.retrieval!.algorithm, /Arithmetic/);
    assert.equal(result.agents.planning.calls, 2, 'one exemplar, one plan chain');
    assert.ok(result.agents.retrieval.formatRecovered > 0, 'format problems counted for retrieval');
    assert.equal(result.agents.retrieval.calls, 1, 'a recovered reply is not retried');
  });

  it('reads confidences written as 85%, 0.9 and "Confidence: 40"', async () => {
    const { result } = await run({
      retrieval: [retrievalReply(3)], plans: plans3,
      confidences: [{ text: 'Confidence: 40' }, confidenceReply('85%'), confidenceReply('0.9')],
      coding: [fenced(CORRECT)],
    });
    assert.deepEqual(result.plans.map((p) => [p.index, p.confidence]), [[2, 90], [1, 85], [0, 40]]);
    assert.ok(result.agents.planning.formatRecovered >= 1);
  });

  it('returns the best candidate, marked as such, when every plan fails', async () => {
    const { result } = await run(
      {
        retrieval: [retrievalReply(2)], plans: plans3, confidences: [confidenceReply(50)],
        coding: [fenced(WRONG)],
        debugging: [fenced(HALF_RIGHT), fenced(WRONG), fenced(WRONG)],
      },
      { t: 2 },
    );
    assert.equal(result.status, 'partial');
    assert.equal(result.candidates, 6, '2 plans x (1 program + 2 debugging rounds), every one tested');
    assert.deepEqual([result.passed, result.total], [1, 2]);
    assert.equal(result.code.trim(), HALF_RIGHT.trim());
    assert.deepEqual([result.chosen?.plan, result.chosen?.round], [0, 1]);
    assert.match(result.message, /passes 1 of 2/);
  });

  it('retries a reply with no code, then moves on; a cut stream is retried', async () => {
    const { result } = await run({
      retrieval: [retrievalReply(1)], plans: plans3, confidences: [confidenceReply(50)],
      coding: [{ text: 'I think you should add the numbers together and print them out.' }, { text: fenced(CORRECT).text, dropAfterChars: 12 }, fenced(CORRECT)],
    });
    assert.equal(result.status, 'passed');
    assert.equal(result.agents.coding.calls, 2, 'the prose reply and the successful one (the cut stream is not a finished call)');
    assert.equal(result.agents.coding.formatUnrecovered, 1);
  });

  it('direct mode makes one coding call and no other', async () => {
    const { result } = await run({ retrieval: [], plans: [], confidences: [], coding: [fenced(CORRECT)] }, { mode: 'direct' });
    assert.equal(result.status, 'passed');
    assert.deepEqual(AGENTS.map((a) => result.agents[a].calls), [0, 0, 1, 0]);
    assert.equal(result.chosen?.plan, -1);
  });

  it('re-runs coding from a given (edited) plan without retrieval or planning', async () => {
    const { result } = await run(
      { retrieval: [], plans: [], confidences: [], coding: [fenced(CORRECT)] },
      { from: { retrieval: { exemplars: [], algorithm: 'math' }, plans: [{ index: 0, plan: 'USER EDITED PLAN', confidence: 100, explanation: '' }] } },
    );
    assert.equal(result.status, 'passed');
    assert.deepEqual(AGENTS.map((a) => result.agents[a].calls), [0, 0, 1, 0]);
    assert.match(bodiesFor('coding')[0], /USER EDITED PLAN/);
  });

  it('debugs a given program (the user\'s own) without retrieval, planning or coding', async () => {
    const { result } = await run(
      { retrieval: [], plans: [], confidences: [], coding: [], debugging: [fenced(CORRECT)] },
      { from: { retrieval: { exemplars: [], algorithm: '' }, plans: [{ index: 0, plan: 'USER PROGRAM', confidence: 100, explanation: '' }], program: { code: WRONG } } },
    );
    assert.equal(result.status, 'passed');
    assert.deepEqual(AGENTS.map((a) => result.agents[a].calls), [0, 0, 0, 1]);
    assert.equal(result.candidates, 2, 'the given program was tested, then the fix');
    assert.ok(bodiesFor('debugging')[0].includes(WRONG.trim()));
  });

  it('with no samples returns the first program that compiles, untested', async () => {
    const { result } = await run(
      { retrieval: [retrievalReply(1)], plans: plans3, confidences: [confidenceReply(50)], coding: [fenced(CORRECT)] },
      { problem: { ...SUM_PROBLEM, samples: [] } },
    );
    assert.equal(result.status, 'untested');
    assert.equal(result.total, 0);
  });

  it('writes the trajectory as JSONL without token events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcl-trace-'));
    try {
      const trace = new TraceWriter(join(dir, 'run.jsonl'));
      await run({ retrieval: [retrievalReply(1)], plans: plans3, confidences: [confidenceReply(50)], coding: [fenced(CORRECT)] }, { onEvent: trace.write });
      trace.close();
      const records = readTrace(join(dir, 'run.jsonl'));
      const types = records.map((r) => r.type);
      assert.equal(types[0], 'run-started');
      assert.equal(types.at(-1), 'done');
      assert.ok(!types.includes('token' as never));
      const finished = records.filter((r) => r.type === 'agent-finished');
      assert.equal(finished.length, 4, 'retrieval, plan, confidence, coding');
      const coding = finished.find((r) => r.type === 'agent-finished' && r.step.kind === 'code');
      assert.ok(coding && coding.type === 'agent-finished' && coding.raw.includes('```python'));
      const started = records.find((r) => r.type === 'agent-started');
      assert.ok(started && started.type === 'agent-started' && started.messages.length >= 1, 'messages recorded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an endpoint that is down in one sentence, without hanging', async () => {
    const down = await startScriptedServer({ models: [...AGENTS] });
    const url = down.url;
    await down.close();
    const result = await solve({
      problem: SUM_PROBLEM, lang: 'python3', judge: env.judge, prompts: env.prompts,
      llm: new LlmClient(defaultEndpointConfig({ baseUrl: url, maxRetries: 0 })),
    });
    assert.equal(result.status, 'error');
    assert.match(result.error ?? '', /listening|refused|reach/i);
    assert.ok(result.error!.includes(url.replace(/\/v1$/, '')), 'names the URL');
  });

  it('names the adapters the server has when one is missing', async () => {
    env.server.setModels(['base-model', 'planning', 'coding', 'debugging']);
    const { result } = await run({ retrieval: [retrievalReply(1)], plans: plans3, confidences: [confidenceReply(50)], coding: [fenced(CORRECT)] });
    assert.equal(result.status, 'error');
    assert.match(result.error ?? '', /retrieval/);
    assert.match(result.error ?? '', /planning/);
  });

  it('cancelling mid-stream stops promptly', async () => {
    const ac = new AbortController();
    const events: PipelineEvent[] = [];
    env.server.setHandler(() => ({ text: retrievalReply(3).text, chunkChars: 4, tokenDelayMs: 50 }));
    const started = Date.now();
    const result = await solve({
      problem: SUM_PROBLEM, lang: 'python3', llm: client(), judge: env.judge, prompts: env.prompts, signal: ac.signal,
      onEvent: (e) => { events.push(e); if (e.type === 'token' && events.filter((x) => x.type === 'token').length === 3) ac.abort(); },
    });
    assert.equal(result.status, 'cancelled');
    assert.ok(Date.now() - started < 5000, 'stopped well before the stream would have ended');
    assert.equal(events.at(-1)?.type, 'done');
  });

  it('cancelling while a program runs kills it and its children', async () => {
    const marker = 317 + Math.floor(Math.random() * 1000);
    const sleeper = `import subprocess, time\nsubprocess.Popen(['sleep', '${marker}'])\ntime.sleep(${marker})\n`;
    env.server.setHandler(mapcoderHandler({ retrieval: [retrievalReply(1)], plans: plans3, confidences: [confidenceReply(50)], coding: [fenced(sleeper)] }));
    const ac = new AbortController();
    let seenBeforeCancel = false;
    const running = solve({
      problem: { ...SUM_PROBLEM, timeLimitMs: 60000 }, lang: 'python3', llm: client(), judge: env.judge, prompts: env.prompts, signal: ac.signal,
      onEvent: (e) => {
        if (e.type !== 'agent-finished' || e.step.kind !== 'code') return;
        setTimeout(() => {
          seenBeforeCancel = execFileSync('ps', ['-eo', 'args']).toString().includes(`sleep ${marker}`);
          ac.abort();
        }, 1000);
      },
    });
    const result = await running;
    assert.ok(seenBeforeCancel, 'the program and its child were running when the run was cancelled');
    assert.equal(result.status, 'cancelled');
    await new Promise((r) => setTimeout(r, 200));
    const ps = execFileSync('ps', ['-eo', 'args']).toString();
    assert.ok(!ps.includes(`sleep ${marker}`), 'no process of the cancelled run is left');
  });
});
