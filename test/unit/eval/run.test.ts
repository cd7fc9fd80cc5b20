import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptSet } from '../../../src/core/agents/prompts';
import { Judge } from '../../../src/core/judge';
import { defaultEndpointConfig } from '../../../src/core/llm';
import { AGENTS } from '../../../src/core/types';
import { loadDataset, type DatasetInfo } from '../../../src/eval/datasets';
import { LocalHiddenJudge } from '../../../src/eval/judge/local';
import type { EvalMode, EvalRecord } from '../../../src/eval/record';
import { readRecords, resultsFile } from '../../../src/eval/results-file';
import { runEval, type EvalRunOptions } from '../../../src/eval/run';
import { writeReport } from '../../../src/eval/write-report';
import { startScriptedServer, type ScriptedReply, type ScriptedServer } from '../../fixtures/llm-server/server';
import { dataDir, readJsonl } from '../helpers/data';
import { fenced } from '../helpers/mapcoder-script';
import { problemRouter, textOf, type ProblemScript } from '../helpers/problem-router';

// Two real problems from each benchmark, solved in two modes against a scripted endpoint whose replies
// are right (canonical solutions from the data, or plainly correct programs), wrong, or malformed.

/** lite mode's replies, and direct mode's reply (routed by its prompt being no call of lite mode's). */
interface Script extends ProblemScript {
  direct: ScriptedReply;
}

const HE = readJsonl<{ task_id: string; prompt: string; canonical_solution: string }>('HumanEvalWST.jsonl');
const MBPP = readJsonl<{ task_id: number; code: string }>('MBPP.jsonl');
const heCanonical = (i: number) => HE[i].prompt + HE[i].canonical_solution;
const mbppCode = (task: number) => `${MBPP.find((m) => m.task_id === task)!.code.replace(/\r\n/g, '\n').trimEnd()}\n`;
const debugReply = (code: string): ScriptedReply => ({ text: `1. Fix the bug.\n\`\`\`python\n${code}\`\`\`\n` });
const PROSE: ScriptedReply = { text: 'Sorry, I am not sure how to approach this one.' };

const SUPER_SIZE = "def super_size(n):\n    return int(''.join(sorted(str(n), reverse=True)))\n";
const QAQ = "s = input().strip()\nq = qa = qaq = 0\nfor ch in s:\n    if ch == 'Q':\n        qaq += qa\n        q += 1\n    elif ch == 'A':\n        qa += q\nprint(qaq)\n";
const QAQ_SAMPLES_ONLY = "print({'QAQAQYSYIOIWIN': 4, 'QAQQQZZYNOIWIN': 3}.get(input().strip(), 0))\n";
const EVEN_ODD = "n = int(input())\nprint('Mahmoud' if n % 2 == 0 else 'Ehab')\n";
const STICKS = 'a = sorted(map(int, input().split()))\nprint(max(0, a[2] - a[0] - a[1] + 1))\n';

/** Problems by dataset, with how the scripted model answers each. */
function scenario(): { datasets: DatasetInfo[]; scripts: Map<string, Script> } {
  const pick = (name: string, ids: string[]): DatasetInfo => {
    const ds = loadDataset(name, dataDir());
    return { ...ds, problems: ids.map((id) => ds.problems.find((p) => p.id === id)!) };
  };
  const datasets = [
    pick('apps', ['4465', '1607']),
    pick('humaneval', ['HumanEval/0', 'HumanEval/1']),
    pick('mbpp', ['mbpp_234_volume_cube', 'mbpp_89_closest_num']),
    pick('xcodeeval', ['5e74750f44142624e6da41d4b35beb9a', '3dc56bc08606a39dd9ca40a43c452f09']),
  ];
  const malformedRetrieval = { text: 'Sure! Related problems:\n```xml\n<root>\n<problem>\n<description>EX1: count things</description>\n<code>print(1)</code>\n<planning>count</planning>\n</problem>\n<algorithm>Counting.' };
  const scripts = new Map<string, Script>([
    // right first time; direct right too
    ['4465', { coding: [fenced(SUPER_SIZE)], direct: fenced(SUPER_SIZE) }],
    // malformed (recovered) retrieval with one exemplar, then right; direct hard-codes the samples: passes them, fails hidden
    ['1607', { retrieval: malformedRetrieval, coding: [fenced(QAQ)], direct: fenced(QAQ_SAMPLES_ONLY) }],
    ['HumanEval/0', { coding: [fenced(heCanonical(0))], direct: fenced(heCanonical(0)) }],
    // wrong on both plans after a debugging round each; direct replies with prose twice (unrecovered)
    ['HumanEval/1', { coding: [fenced('def separate_paren_groups(paren_string):\n    return []\n')], debugging: [debugReply('def separate_paren_groups(paren_string):\n    return [paren_string]\n')], direct: PROSE }],
    // right, in a fence that is never closed (recovered)
    ['mbpp_234_volume_cube', { coding: [{ text: `\`\`\`python\n${mbppCode(234)}` }], direct: fenced(mbppCode(234)) }],
    // wrong, fixed in debugging round 1; direct wrong
    ['mbpp_89_closest_num', { coding: [fenced('def closest_num(N):\n    return N\n')], debugging: [debugReply(mbppCode(89))], direct: fenced('def closest_num(N):\n    return N + 1\n') }],
    ['5e74750f44142624e6da41d4b35beb9a', { coding: [fenced(EVEN_ODD)], direct: fenced("input()\nprint('Ehab')\n") }],
    // passes one sample of three, never fixed; direct right
    ['3dc56bc08606a39dd9ca40a43c452f09', { coding: [fenced('print(0)\n')], debugging: [debugReply('print(0)\n')], direct: fenced(STICKS) }],
  ]);
  return { datasets, scripts };
}

describe('eval: runs over real problems against a scripted endpoint', function () {
  this.timeout(180000);
  let server: ScriptedServer;
  let judge: Judge;
  let hidden: LocalHiddenJudge;
  let out: string;
  const prompts = PromptSet.load();
  const { datasets, scripts } = scenario();
  const all = datasets.flatMap((d) => d.problems);

  before(async () => {
    server = await startScriptedServer({ models: [...AGENTS], handler: problemRouter(all, scripts, { noDebugging: PROSE, other: (s) => s.direct }) });
    judge = new Judge();
    hidden = new LocalHiddenJudge({ judge });
    out = mkdtempSync(join(tmpdir(), 'eval-run-'));
  });
  after(async () => {
    await server.close();
    await hidden.dispose();
    await judge.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  const options = (dataset: DatasetInfo, extra: Partial<EvalRunOptions> = {}): EvalRunOptions => ({
    dataset, modes: ['lite', 'direct'], lang: 'python3', k: 2, t: 1, concurrency: 3, outDir: out,
    endpoint: defaultEndpointConfig({ baseUrl: server.url, plainModel: 'base', maxRetries: 0, idleTimeoutMs: 10000 }),
    prompts, judge, hidden, ...extra,
  });
  const records = (dataset: string, mode: EvalMode) => new Map(readRecords(resultsFile(out, dataset, mode)).map((r) => [r.id, r]));
  const calls = (r: EvalRecord) => AGENTS.map((a) => r.agents[a].calls);

  it('solves, judges and records every problem; resumes without redoing finished ones', async () => {
    const apps = datasets[0];
    const first = await runEval(options(apps, { limit: 1 }));
    assert.deepEqual(first, { problems: 1, unsupported: 0, resumed: 0, written: 2, cancelled: false, endpointFailed: 0 });
    const before = server.requests.length;
    const second = await runEval(options(apps));
    assert.deepEqual(second, { problems: 2, unsupported: 0, resumed: 2, written: 2, cancelled: false, endpointFailed: 0 });
    const texts = server.requests.slice(before).map(textOf);
    assert.ok(texts.every((t) => !t.includes('super_size')), 'the finished problem was not solved again');
    const third = await runEval(options(apps));
    assert.equal(third.written, 0);
    assert.equal(third.resumed, 4);
    for (const ds of datasets.slice(1)) await runEval(options(ds));
    assert.equal(readFileSync(resultsFile(out, 'apps', 'lite'), 'utf8').trim().split('\n').length, 2, 'one line per problem');
  });

  it('records exact outcomes and call counts in lite mode', () => {
    const lite = new Map(['apps', 'humaneval', 'mbpp', 'xcodeeval'].flatMap((d) => [...records(d, 'lite')]));
    const row = (id: string) => {
      const r = lite.get(id)!;
      return [r.solved, r.status, `${r.samples.passed}/${r.samples.total}`, `${r.hidden.passed}/${r.hidden.total}`, calls(r).join(','), r.plan, r.round];
    };
    assert.deepEqual(row('4465'), [true, 'passed', '3/3', '10/10', '1,4,1,0', 0, 0]);
    assert.deepEqual(row('1607'), [true, 'passed', '2/2', '43/43', '1,2,1,0', 0, 0]);
    assert.deepEqual(row('HumanEval/0'), [true, 'passed', '2/2', '1/1', '1,4,1,0', 0, 0]);
    assert.deepEqual(row('HumanEval/1').slice(0, 5), [false, 'failed', '0/1', '0/1', '1,4,2,2']);
    assert.deepEqual(row('mbpp_234_volume_cube'), [true, 'passed', '1/1', '1/1', '1,4,1,0', 0, 0]);
    assert.deepEqual(row('mbpp_89_closest_num'), [true, 'passed', '1/1', '1/1', '1,4,1,1', 0, 1]);
    assert.deepEqual(row('5e74750f44142624e6da41d4b35beb9a'), [true, 'passed', '2/2', '5/5', '1,4,1,0', 0, 0]);
    assert.deepEqual(row('3dc56bc08606a39dd9ca40a43c452f09'), [false, 'partial', '1/3', '2/6', '1,4,2,2', 0, 0]);
    assert.equal(lite.get('1607')!.agents.retrieval.formatRecovered, 1, 'the malformed retrieval reply was repaired');
    assert.equal(lite.get('mbpp_234_volume_cube')!.agents.coding.formatRecovered, 1, 'the unclosed fence was read');
    assert.ok([...lite.values()].every((r) => r.model === 'retrieval=retrieval planning=planning coding=coding debugging=debugging'));
    assert.ok([...lite.values()].every((r) => r.promptTokens > 0 && r.completionTokens > 0 && r.k === 2 && r.t === 1));
    assert.equal(lite.get('HumanEval/0')!.code.trim(), heCanonical(0).trim());
    assert.equal(lite.get('5e74750f44142624e6da41d4b35beb9a')!.hidden.available, true, 'judged on its unit tests from unittest_db');
  });

  it('records exact outcomes in direct mode, on the plain model', () => {
    const direct = new Map(['apps', 'humaneval', 'mbpp', 'xcodeeval'].flatMap((d) => [...records(d, 'direct')]));
    const solved = [...direct.values()].filter((r) => r.solved).map((r) => r.id).sort();
    assert.deepEqual(solved, ['3dc56bc08606a39dd9ca40a43c452f09', '4465', 'HumanEval/0', 'mbpp_234_volume_cube']);
    const qaq = direct.get('1607')!;
    assert.deepEqual([qaq.status, qaq.samples.passed, qaq.solved, qaq.hidden.verdict], ['passed', 2, false, 'WA'], 'passing the samples is not passing the hidden tests');
    const prose = direct.get('HumanEval/1')!;
    assert.deepEqual([prose.status, prose.code, prose.agents.coding.calls, prose.agents.coding.formatUnrecovered, prose.hidden.verdict], ['failed', '', 2, 2, 'CE']);
    assert.ok([...direct.values()].every((r) => r.model === 'base' && r.plan === (r.code ? -1 : undefined)));
    const directRequests = server.requests.filter((r) => !r.adapter);
    assert.equal(directRequests.length, 9, 'one call per problem, two for the prose reply, all on the base model');
  });

  it('writes the report with the expected figures beside the published ones', () => {
    const { markdown, files } = writeReport(out);
    assert.ok(files.every((f) => existsSync(f)));
    const lines = markdown.split('\n');
    assert.ok(lines.includes('| Method | APPS | HumanEval | MBPP | xCodeEval |'), markdown);
    assert.ok(lines.includes('| Direct (ours) — base | **50.0** (1/2) | **50.0** (1/2) | **50.0** (1/2) | **50.0** (1/2) |'), markdown);
    assert.ok(lines.some((l) => l.startsWith('| MapCoder-Lite, adapters (ours)') && l.endsWith('| **100.0** (2/2) | **50.0** (1/2) | **100.0** (2/2) | **50.0** (1/2) |')), markdown);
    assert.ok(lines.includes('| MapCoder, GPT-4 (paper) | 22.0 | 93.9 | 83.1 | 45.3 |'));
    assert.ok(lines.includes('| MapCoder, ChatGPT (paper) | 11.3 | 80.5 | 78.3 | 27.4 |'));
    assert.ok(lines.includes('| MapCoder-Lite paper: Qwen2.5-7B, four adapters | — | — | — | 28.3 |'));
    assert.match(markdown, /judged on, per problem on average: APPS 26\.5 \(APPS's test_list\); HumanEval 1 \(HumanEval's check\(candidate\), one block\); MBPP 1 \(mbpp-py's test block, one block\); xCodeEval 5\.5 \(xCodeEval's hidden unit tests \(unittest_db\)\)/);
    assert.doesNotMatch(markdown, /not the paper's metric/);
    assert.match(markdown, /- Local judge: outputs match when the trimmed lines are equal/);
    assert.doesNotMatch(markdown, /ExecEval \(its own rules/, 'only the judge that ran is described');
    // lite, APPS: calls 6 + 4 = 10 over 2 problems; format failures: retrieval 1 recovered
    assert.ok(lines.some((l) => l.startsWith('| APPS | lite | 2 | 100.0 | 2/2 | 1 (0) / 0 (0) / 0 (0) / 0 (0) — constrained | 0 | 5 (1/3/1/0) |')), markdown);
    assert.ok(lines.some((l) => l.startsWith('| HumanEval | direct | 2 | 50.0 | 1/2 | 0 (0) / 0 (0) / 2 (2) / 0 (0) — constrained | 1 | 1.5 (0/0/1.5/0) |')), markdown);
    assert.ok(lines.includes('| Dataset | Mode | Solved | direct | first program | debug round 1 |'));
    assert.ok(lines.includes('| MBPP | lite | 2 | 0 | 1 | 1 |'));
    const html = readFileSync(files[1], 'utf8');
    assert.ok(!/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(html), 'no scripts and no external resources');
    assert.equal((html.match(/<svg /g) ?? []).length, 4);
    assert.match(html, /<title>APPS \(lite\)|APPS · lite · first program: 2/);
  });

  it('stops cleanly on cancel: finished lines intact, nothing written for the cut-off solves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-cancel-'));
    const abort = new AbortController();
    const mbpp = datasets[2];
    try {
      const summary = await runEval(options(mbpp, { outDir: dir, modes: ['direct', 'lite'], concurrency: 1, signal: abort.signal, onRecord: () => abort.abort() }));
      assert.equal(summary.cancelled, true);
      assert.equal(summary.written, 1);
      const lines = readFileSync(resultsFile(dir, 'mbpp', 'direct'), 'utf8').split('\n').filter(Boolean);
      assert.deepEqual(lines.map((l) => JSON.parse(l).id), ['mbpp_234_volume_cube']);
      assert.equal(existsSync(resultsFile(dir, 'mbpp', 'lite')), false);
      const rest = await runEval(options(mbpp, { outDir: dir, modes: ['direct', 'lite'] }));
      assert.deepEqual([rest.resumed, rest.written], [1, 3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to mix results of other settings into the same files', async () => {
    await assert.rejects(runEval(options(datasets[0], { t: 3 })), /holds results for --lang python3 --k 2 --t 1 --stress off; this run is --lang python3 --k 2 --t 3 --stress off/);
  });
});
