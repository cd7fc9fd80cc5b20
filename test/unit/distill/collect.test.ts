import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { codingCall } from '../../../src/core/agents/coding';
import { debugCall } from '../../../src/core/agents/debugging';
import { confidenceCall, planCall } from '../../../src/core/agents/planning';
import { PromptSet } from '../../../src/core/agents/prompts';
import { retrievalCall } from '../../../src/core/agents/retrieval';
import { Judge } from '../../../src/core/judge';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { parseRetrieval } from '../../../src/core/parse';
import { AGENTS } from '../../../src/core/types';
import { collectFile, runCollect, type CollectOptions } from '../../../src/distill/collect';
import { runExport } from '../../../src/distill/export';
import { readJsonlLog } from '../../../src/distill/files';
import { CHAT_LINE, validate } from '../../../src/distill/schema';
import type { DistillRecord } from '../../../src/distill/types';
import { loadDataset, type DatasetInfo } from '../../../src/eval/datasets';
import { LocalHiddenJudge } from '../../../src/eval/judge/local';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { dataDir } from '../helpers/data';
import { fenced, retrievalReply } from '../helpers/mapcoder-script';
import { callKind, keyOf, problemOf, problemRouter, textOf, type ProblemScript } from '../helpers/problem-router';
import { debugReply } from './script';

// A real APPS problem and two of our own, collected from a scripted teacher: one passes the hidden
// tests at once, one passes its sample but not the hidden tests, one passes after debugging.

const SUPER_SIZE = "def super_size(n):\n    return int(''.join(sorted(str(n), reverse=True)))\n";
const SAMPLE_ONLY = 'print(3)\n';
const ZERO = 'a, b = map(int, input().split())\nprint(0)\n';
const SECOND = 'a, b = map(int, input().split())\nprint(b)\n';
const MAX = 'a, b = map(int, input().split())\nprint(max(a, b))\n';
// Text around <root>, a fence around it, and no final </root>: the teacher's quirks, not to be learnt.
const MESSY_RETRIEVAL = {
  text: 'Sure, here you go:\n```xml\n<root>\n<problem><description>EX1: sort digits</description><code>print(sorted("321"))  # a < b && c</code><planning>sort, join</planning></problem>\n' +
    '<problem><description>EX2: largest number</description><code>print(max(1, 2))</code><planning>compare</planning></problem>\n<algorithm>Greedy: sort the digits in decreasing order.</algorithm>\n```',
};

export function scenario(): { dataset: DatasetInfo; scripts: Map<string, ProblemScript> } {
  const apps = loadDataset('apps', dataDir());
  const own = loadDataset(resolve(__dirname, '../../fixtures/distill/problems.jsonl'));
  const problems = [apps.problems.find((p) => p.id === '4465')!, own.problems.find((p) => p.id === 'sum-of-two')!, own.problems.find((p) => p.id === 'max-of-two')!];
  const scripts = new Map<string, ProblemScript>([
    ['4465', { retrieval: MESSY_RETRIEVAL, coding: [fenced(SUPER_SIZE, 'py')] }],
    // hard-codes the sample's answer
    ['sum-of-two', { coding: [fenced(SAMPLE_ONLY)] }],
    // 0 of 2 samples, then round 1 no better (dropped), round 2 better (kept), round 3 passes (kept)
    ['max-of-two', { coding: [fenced(ZERO)], debugging: [debugReply(ZERO), debugReply(SECOND), debugReply(MAX)] }],
  ]);
  return { dataset: { name: 'mixed', defaultK: 2, problems }, scripts };
}

describe('distill collect: pass-based trajectory distillation', function () {
  this.timeout(60000);
  const prompts = PromptSet.load();
  const { dataset, scripts } = scenario();
  let teacher: ScriptedServer;
  let student: ScriptedServer;
  let judge: Judge;
  let hidden: LocalHiddenJudge;
  let out: string;

  before(async () => {
    teacher = await startScriptedServer({ models: [...AGENTS], handler: problemRouter(dataset.problems, scripts) });
    student = await startScriptedServer({ models: [...AGENTS] });
    judge = new Judge();
    hidden = new LocalHiddenJudge({ judge });
  });
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'distill-collect-'));
    teacher.setHandler(problemRouter(dataset.problems, scripts)); // fresh reply queues per test
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));
  after(async () => {
    await Promise.all([teacher.close(), student.close()]);
    await hidden.dispose();
    await judge.dispose();
  });

  const llm = (s: ScriptedServer) => new LlmClient(defaultEndpointConfig({ baseUrl: s.url, maxRetries: 0, idleTimeoutMs: 10000 }));
  const options = (extra: Partial<CollectOptions> = {}): CollectOptions => ({
    dataset, lang: 'python3', k: 2, t: 3, prompts, judge, hidden, concurrency: 2, outDir: out, teacher: llm(teacher), ...extra,
  });
  const records = (debug = false) => new Map(readJsonlLog<DistillRecord>(collectFile(out, debug)).map((r) => [r.id, r]));

  it('keeps the trajectories whose final program passes the hidden tests, and only the calls on the successful path', async () => {
    const summary = await runCollect(options());
    assert.deepEqual([summary.problems, summary.resumed, summary.written, summary.cancelled], [3, 0, 3, false]);
    const r = records();
    const shape = (id: string) => r.get(id)!.examples.map((e) => `${e.agent}:${e.kind}`);
    assert.equal(r.get('4465')!.kept, true);
    assert.deepEqual(shape('4465'), ['retrieval:retrieval', 'planning:plan', 'planning:confidence', 'coding:code']);
    const fake = r.get('sum-of-two')!;
    assert.deepEqual([fake.kept, fake.status, fake.samples, fake.hidden, fake.examples.length], [false, 'passed', { passed: 1, total: 1 }, { passed: 0, total: 2, available: true }, 0]);
    assert.equal(fake.reason, 'the final program passes 0 of 2 hidden tests');
    const max = r.get('max-of-two')!;
    assert.equal(max.kept, true);
    // coding (0/2) needed debugging: not kept; round 1 (still 0/2) dropped; rounds 2 (1/2) and 3 (2/2) kept
    assert.deepEqual(shape('max-of-two'), ['retrieval:retrieval', 'planning:plan', 'planning:confidence', 'debugging:debug', 'debugging:debug']);
    assert.ok(max.examples[3].reply.includes('print(b)') && max.examples[4].reply.includes('max(a, b)'));
  });

  it('normalises replies to the protocol shapes and keeps the prompts exactly as sent (round trip)', async () => {
    await runCollect(options());
    const ex = records().get('4465')!.examples;
    const clean = '<root>\n<problem>\n<description>\nEX1: sort digits\n</description>\n<code>\nprint(sorted("321"))  # a < b && c\n</code>\n<planning>\nsort, join\n</planning>\n</problem>\n' +
      '<problem>\n<description>\nEX2: largest number\n</description>\n<code>\nprint(max(1, 2))\n</code>\n<planning>\ncompare\n</planning>\n</problem>\n<algorithm>\nGreedy: sort the digits in decreasing order.\n</algorithm>\n</root>';
    assert.equal(ex[0].reply, clean);
    assert.equal(ex[1].reply, '1. Read a and b.\n2. Print a + b. (PLAN1)');
    assert.equal(ex[2].reply, '<root>\n<explanation>\nStraightforward.\n</explanation>\n<confidence>80</confidence>\n</root>');
    assert.equal(ex[3].reply, `\`\`\`python\n${SUPER_SIZE.trimEnd()}\n\`\`\``, 'the py fence becomes the python fence of our prompts');

    // Each example's prompt is what the teacher received for that call ...
    const p = dataset.problems[0];
    for (const e of ex) {
      const sent = teacher.requests.filter((q) => problemOf(dataset.problems, q) === p && q.model === e.agent && callKind(q) === ({ retrieval: 'retrieval', plan: 'plan', confidence: 'confidence', code: 'coding' } as Record<string, string>)[e.kind]);
      assert.ok(sent.some((q) => JSON.stringify(q.messages) === JSON.stringify(e.messages)), `${e.kind}: prompt equals the request`);
    }
    // ... and what the call builders render at inference, from the same retrieval and plan.
    const retrieval = parseRetrieval(MESSY_RETRIEVAL.text, 2).value;
    const plan = '1. Read a and b.\n2. Print a + b. (PLAN1)';
    const render = (c: { prompt: Parameters<PromptSet['render']>[0]; vars: Record<string, string | number | undefined> }) => prompts.render(c.prompt, c.vars);
    assert.deepEqual(ex[0].messages, render(retrievalCall(p.problem, 'python3', 2)));
    assert.deepEqual(ex[1].messages, render(planCall(p.problem, 'python3', retrieval.algorithm, retrieval.exemplars[0], 0)));
    assert.deepEqual(ex[2].messages, render(confidenceCall(p.problem, 'python3', plan, 0)));
    assert.deepEqual(ex[3].messages, render(codingCall(p.problem, 'python3', retrieval.algorithm, plan, 0)));
    const max = records().get('max-of-two')!;
    const debug = max.examples.find((e) => e.kind === 'debug')!;
    const report = await judge.judge({ code: ZERO, lang: 'python3', problem: dataset.problems[2].problem });
    const algorithm = parseRetrieval(retrievalReply(2).text!, 2).value.algorithm;
    assert.deepEqual(debug.messages, render(debugCall(dataset.problems[2].problem, 'python3', algorithm, 'compare the two numbers.', ZERO.trimEnd(), report, 0, 2)));
    assert.ok(ex.every((e) => e.promptsHash === prompts.hash && e.source === 'collect' && e.problem === 'apps/4465'));
  });

  it('exports chat lines whose prompts are exactly the requests the agents sent', async () => {
    await runCollect(options());
    const exp = join(out, 'export');
    const m = runExport({ inputs: [out], outDir: exp, validRatio: 0 });
    assert.deepEqual(AGENTS.map((a) => m.agents[a].train.examples), [2, 4, 1, 2]);
    const sent = new Set(teacher.requests.map((q) => JSON.stringify(q.messages)));
    for (const a of AGENTS) {
      for (const line of readFileSync(join(exp, a, 'train.jsonl'), 'utf8').trim().split('\n')) {
        const chat = JSON.parse(line) as { messages: { role: string; content: string }[] };
        assert.deepEqual(validate(CHAT_LINE, chat), []);
        assert.ok(sent.has(JSON.stringify(chat.messages.slice(0, -1))), `${a}: the prompt is a request the teacher received`);
      }
    }
  });

  it('resumes after an interruption without calling the teacher for finished problems', async () => {
    const abort = new AbortController();
    const first = await runCollect(options({ concurrency: 1, signal: abort.signal, onProgress: () => abort.abort() }));
    assert.deepEqual([first.written, first.cancelled], [1, true]);
    const done = [...records().keys()];
    assert.deepEqual(done, ['4465'], 'one finished problem recorded; the cancelled one left nothing');
    const before = teacher.requests.length;
    const second = await runCollect(options());
    assert.deepEqual([second.resumed, second.written], [1, 2]);
    const asked = teacher.requests.slice(before).map(textOf);
    assert.ok(asked.length > 0 && asked.every((t) => !t.includes(keyOf(dataset.problems[0]))), 'no call for the finished problem');
    const again = teacher.requests.length;
    const third = await runCollect(options());
    assert.deepEqual([third.resumed, third.written, teacher.requests.length], [3, 0, again], 'a finished run makes no call at all');
  });

  it('--debug-from-student: the student plans and codes, the teacher debugs; passing fixes are kept', async () => {
    const studentScripts = new Map<string, ProblemScript>([
      ['4465', { coding: [fenced(SUPER_SIZE)] }],
      ['sum-of-two', { coding: [fenced(SAMPLE_ONLY)] }],
      ['max-of-two', { coding: [fenced(ZERO)], debugging: [debugReply('print("student debugging must not be asked")\n')] }],
    ]);
    student.setHandler(problemRouter(dataset.problems, studentScripts));
    const teacherBefore = teacher.requests.length;
    const teacherOnly = new Map([['max-of-two', { coding: [], debugging: [debugReply(MAX)] }]]);
    teacher.setHandler(problemRouter(dataset.problems, new Map([...scripts, ...teacherOnly])));
    await runCollect(options({ student: llm(student) }));
    const r = records(true);
    assert.deepEqual(Object.fromEntries([...r].map(([id, x]) => [id, x.kept])), { '4465': false, 'sum-of-two': false, 'max-of-two': true });
    assert.equal(r.get('4465')!.reason, 'the student solved it without debugging');
    const max = r.get('max-of-two')!;
    assert.deepEqual(max.examples.map((e) => `${e.agent}:${e.kind}:${e.source}`), ['debugging:debug:collect-debug']);
    assert.ok(max.examples[0].reply.includes('max(a, b)'));
    const toTeacher = teacher.requests.slice(teacherBefore);
    assert.ok(toTeacher.length >= 1 && toTeacher.every((q) => q.model === 'debugging'), 'the teacher only debugs');
    assert.ok(student.requests.every((q) => q.model !== 'debugging'), 'the student never debugs');
  });
});
