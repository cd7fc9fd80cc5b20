import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { codingCall } from '../../../src/core/agents/coding';
import { planCall } from '../../../src/core/agents/planning';
import { PromptSet } from '../../../src/core/agents/prompts';
import { Judge } from '../../../src/core/judge';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { parseRetrieval } from '../../../src/core/parse';
import { AGENTS } from '../../../src/core/types';
import { readJsonlLog } from '../../../src/distill/files';
import { runSupervise, summaryFile, superviseFile } from '../../../src/distill/supervise';
import { feedbackParagraph, parseBlame } from '../../../src/distill/supervisor';
import type { DistillRecord } from '../../../src/distill/types';
import { loadDataset, type DatasetInfo } from '../../../src/eval/datasets';
import { LocalHiddenJudge } from '../../../src/eval/judge/local';
import { startScriptedServer, type ScriptedRequest, type ScriptedServer } from '../../fixtures/llm-server/server';
import { dataDir } from '../helpers/data';
import { fenced, retrievalReply } from '../helpers/mapcoder-script';
import { callKind, problemOf, problemRouter, textOf, type ProblemScript } from '../helpers/problem-router';
import { debugReply } from './script';

const SUPER_SIZE = "def super_size(n):\n    return int(''.join(sorted(str(n), reverse=True)))\n";
const DIFF = 'a, b = map(int, input().split())\nprint(a - b)\n';
const SUM = 'a, b = map(int, input().split())\nprint(a + b)\n';
const ZERO = 'a, b = map(int, input().split())\nprint(0)\n';
const MAX = 'a, b = map(int, input().split())\nprint(max(a, b))\n';
const CODING_FEEDBACK = 'Add the two numbers; the program subtracts them.';
const PLANNING_FEEDBACK = 'The plan must print the larger of the two numbers, not a constant.';

describe('distill supervise: supervisor-guided correction', function () {
  this.timeout(60000);
  const prompts = PromptSet.load();
  let dataset: DatasetInfo;
  let student: ScriptedServer;
  let supervisor: ScriptedServer;
  let judge: Judge;
  let hidden: LocalHiddenJudge;
  let out: string;

  before(async () => {
    const own = loadDataset(resolve(__dirname, '../../fixtures/distill/problems.jsonl'));
    const apps = loadDataset('apps', dataDir());
    dataset = { name: 'mixed', defaultK: 1, problems: [apps.problems.find((p) => p.id === '4465')!, ...own.problems] };
    const scripts = new Map<string, ProblemScript>([
      ['4465', { coding: [fenced(SUPER_SIZE)] }],
      // wrong code under a right plan; the coding re-run gets it right
      ['sum-of-two', { coding: [fenced(DIFF), fenced(SUM)], debugging: [debugReply(DIFF)] }],
      // the program of the first plan is hopeless; after a new plan the coding agent gets it right
      ['max-of-two', { coding: [fenced(ZERO), fenced(MAX)], debugging: [debugReply(ZERO)] }],
    ]);
    student = await startScriptedServer({ models: [...AGENTS], handler: problemRouter(dataset.problems, scripts, { k: 1 }) });
    supervisor = await startScriptedServer({
      models: ['reviewer'],
      handler: (req) => {
        const p = problemOf(dataset.problems, req);
        if (p?.id === 'sum-of-two') return { text: `<root>\n<agent>coding</agent>\n<feedback>${CODING_FEEDBACK}</feedback>\n</root>` };
        // tolerated: text before the XML, a wordy agent name, no closing </root>
        return { text: `Looking at this, the plan is at fault.\n<root><agent>The planning agent</agent>\n<feedback>${PLANNING_FEEDBACK}</feedback>` };
      },
    });
    judge = new Judge();
    hidden = new LocalHiddenJudge({ judge });
    out = mkdtempSync(join(tmpdir(), 'distill-supervise-'));
  });
  after(async () => {
    await Promise.all([student.close(), supervisor.close()]);
    await hidden.dispose();
    await judge.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  const llm = (s: ScriptedServer, plainModel?: string) => new LlmClient(defaultEndpointConfig({ baseUrl: s.url, plainModel, maxRetries: 0, idleTimeoutMs: 10000 }));
  /** The student's requests about one problem after its first run (which ends with its one debugging round). */
  const afterBlame = (id: string): ScriptedRequest[] => {
    const mine = student.requests.filter((q) => problemOf(dataset.problems, q)?.id === id);
    return mine.slice(mine.findIndex((q) => callKind(q) === 'debugging') + 1);
  };

  it('routes the blame, re-runs only the blamed agent with the feedback, and keeps its output under the ordinary prompt', async () => {
    const { loop, summary } = await runSupervise({
      dataset, lang: 'python3', k: 1, t: 1, prompts, judge, hidden, concurrency: 1, outDir: out,
      student: llm(student), supervisor: llm(supervisor, 'reviewer'),
    });
    assert.deepEqual([loop.problems, loop.written], [3, 3]);
    const r = new Map(readJsonlLog<DistillRecord>(superviseFile(out)).map((x) => [x.id, x]));

    assert.deepEqual([r.get('4465')!.reason, r.get('4465')!.supervision], ['the student solved it', undefined]);
    assert.equal(supervisor.requests.length, 2, 'the supervisor is asked about failures only');
    assert.ok(supervisor.requests.every((q) => q.model === 'reviewer'));
    const asked = textOf(supervisor.requests.find((q) => problemOf(dataset.problems, q)?.id === 'sum-of-two')!);
    for (const part of ['SUMPROB', 'Print a + b. (PLAN1)', 'print(a - b)', '0 of 1 sample tests pass', 'Simple arithmetic']) assert.ok(asked.includes(part), part);

    // coding blamed: one coding call with the feedback, the program passes, no planning or debugging call
    const sum = r.get('sum-of-two')!;
    assert.deepEqual(sum.supervision, { blame: 'coding', feedback: CODING_FEEDBACK, corrected: true, samples: { passed: 1, total: 1 }, hidden: { passed: 2, total: 2 } });
    const sumRerun = afterBlame('sum-of-two');
    assert.deepEqual(sumRerun.map((q) => `${q.model}:${callKind(q)}`), ['coding:coding']);
    const sent = sumRerun[0].messages;
    assert.ok(sent[sent.length - 1].content.endsWith(`\n\n${feedbackParagraph(CODING_FEEDBACK)}`), 'the feedback is one more paragraph of the user message');
    assert.equal(sum.examples.length, 1);
    const ex = sum.examples[0];
    assert.deepEqual([ex.agent, ex.kind, ex.source, ex.reply], ['coding', 'code', 'supervise', `\`\`\`python\n${SUM.trimEnd()}\n\`\`\``]);
    const retrieval = parseRetrieval(retrievalReply(1).text!, 1).value;
    const plan = '1. Read a and b.\n2. Print a + b. (PLAN1)';
    const p1 = dataset.problems.find((p) => p.id === 'sum-of-two')!.problem;
    const ordinary = codingCall(p1, 'python3', retrieval.algorithm, plan, 0);
    assert.deepEqual(ex.messages, prompts.render(ordinary.prompt, ordinary.vars), 'the example has the ordinary prompt, without the feedback');
    assert.equal(ex.messages[1].content, sent[1].content.slice(0, -`\n\n${feedbackParagraph(CODING_FEEDBACK)}`.length));

    // planning blamed: one plan call (no confidence call) with the feedback, then coding downstream
    const max = r.get('max-of-two')!;
    assert.deepEqual([max.supervision?.blame, max.supervision?.corrected, max.kept], ['planning', true, true]);
    const maxRerun = afterBlame('max-of-two');
    assert.deepEqual(maxRerun.map((q) => `${q.model}:${callKind(q)}`), ['planning:plan', 'coding:coding']);
    assert.ok(textOf(maxRerun[0]).endsWith(PLANNING_FEEDBACK));
    assert.ok(!textOf(maxRerun[1]).includes(PLANNING_FEEDBACK), 'downstream agents get no feedback');
    assert.deepEqual(max.examples.map((e) => `${e.agent}:${e.kind}`), ['planning:plan']);
    const p2 = dataset.problems.find((p) => p.id === 'max-of-two')!.problem;
    const ordinaryPlan = planCall(p2, 'python3', retrieval.algorithm, retrieval.exemplars[0], 0);
    assert.deepEqual(max.examples[0].messages, prompts.render(ordinaryPlan.prompt, ordinaryPlan.vars));

    const expected = {
      problems: 3, studentSolved: 1, supervised: 2, blame: { planning: 1, coding: 1, none: 0 }, corrected: { planning: 1, coding: 1 },
      correctionRate: { planning: 1, coding: 1, overall: 1 }, examples: 2,
    };
    assert.deepEqual(summary, expected);
    assert.ok(existsSync(summaryFile(out)));
    assert.deepEqual(JSON.parse(readFileSync(summaryFile(out), 'utf8')), expected);
  });

  it('reads the supervisor tolerantly, and names no agent when it is unclear', () => {
    assert.deepEqual(parseBlame('```xml\n<root>\n<agent>Coder</agent>\n<feedback>Off by one.</feedback>\n</root>\n```').value, { agent: 'coding', feedback: 'Off by one.' });
    assert.deepEqual(parseBlame('<root><agent>planning</agent><feedback>Use DP.</feedback>').value, { agent: 'planning', feedback: 'Use DP.' });
    const both = parseBlame('<root><agent>planning and coding</agent><feedback>x</feedback></root>');
    assert.deepEqual([both.ok, both.issues.map((i) => i.kind)], [false, ['no_agent']]);
    assert.equal(parseBlame('<root><agent>coding</agent></root>').ok, false, 'feedback is required');
    assert.equal(parseBlame('It is hard to say.').ok, false);
  });
});
