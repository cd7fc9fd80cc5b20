import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptSet } from '../../../src/core/agents/prompts';
import { Judge } from '../../../src/core/judge';
import { defaultEndpointConfig } from '../../../src/core/llm';
import { AGENTS } from '../../../src/core/types';
import { loadDataset } from '../../../src/eval/datasets';
import { LocalHiddenJudge } from '../../../src/eval/judge/local';
import { readRecords, resultsFile } from '../../../src/eval/results-file';
import { ResumeMismatchError, runEval } from '../../../src/eval/run';
import { writeReport } from '../../../src/eval/write-report';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { dataDir } from '../helpers/data';
import { fenced } from '../helpers/mapcoder-script';
import { problemRouter } from '../helpers/problem-router';
import { isBruteCall, isGeneratorCall } from '../helpers/stress-script';

// APPS 1607 (count "QAQ" subsequences): the first program hard-codes the samples' answers, so it passes
// them and fails the hidden tests; stress tests catch it, and debugging writes the real solution.
const QAQ = "s = input().strip()\nq = qa = qaq = 0\nfor ch in s:\n    if ch == 'Q':\n        qaq += qa\n        q += 1\n    elif ch == 'A':\n        qa += q\nprint(qaq)\n";
const QAQ_SAMPLES_ONLY = "print({'QAQAQYSYIOIWIN': 4, 'QAQQQZZYNOIWIN': 3}.get(input().strip(), 0))\n";
const QAQ_BRUTE = "s = input().strip()\nn = len(s)\nprint(sum(1 for i in range(n) for j in range(i + 1, n) for k in range(j + 1, n) if s[i] + s[j] + s[k] == 'QAQ'))\n";
const QAQ_GENERATOR = "import random, sys\nrandom.seed(int(sys.argv[1]))\nprint(''.join(random.choice('QAZ') for _ in range(random.randint(1, 12))))\n";

describe('eval: stress tests, pass@1 with and without them from the same runs', function () {
  this.timeout(90000);
  let server: ScriptedServer;
  let judge: Judge;
  let hidden: LocalHiddenJudge;
  let out: string;
  const ds = loadDataset('apps', dataDir());
  const apps = { ...ds, problems: [ds.problems.find((p) => p.id === '1607')!] };

  before(async () => {
    const router = problemRouter(apps.problems, new Map([['1607', { coding: [fenced(QAQ_SAMPLES_ONLY)], debugging: [{ text: `Count properly.\n\`\`\`python\n${QAQ}\`\`\`\n` }] }]]));
    server = await startScriptedServer({
      models: [...AGENTS],
      handler: (req) => (isBruteCall(req) ? fenced(QAQ_BRUTE) : isGeneratorCall(req) ? fenced(QAQ_GENERATOR) : router(req)),
    });
    judge = new Judge();
    hidden = new LocalHiddenJudge({ judge });
    out = mkdtempSync(join(tmpdir(), 'eval-stress-'));
  });
  after(async () => {
    await server.close();
    await hidden.dispose();
    await judge.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  const options = (stress?: number) => ({
    dataset: apps, modes: ['lite' as const], lang: 'python3' as const, k: 1, t: 2, concurrency: 1, outDir: out, stress,
    endpoint: defaultEndpointConfig({ baseUrl: server.url, maxRetries: 0, idleTimeoutMs: 10000 }), prompts: PromptSet.load(), judge, hidden,
  });

  it('records the stressed answer (solved) and the samples-only one (not) side by side, and the report shows both', async () => {
    await runEval(options(15));
    const [r] = readRecords(resultsFile(out, 'apps', 'lite'));
    assert.equal(r.solved, true, `hidden ${r.hidden.passed}/${r.hidden.total}`);
    assert.deepEqual(r.stress, { tests: 15, status: 'passed', counterexamples: 1, samplesOnlySolved: false });
    const report = writeReport(out);
    assert.match(report.markdown, /\*\*100\.0\*\* \(1\/1; samples only: 0\.0 \(0\/1\)\)/);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /With stress tests \(--stress 15\)/);
  });

  it('does not mix results with and without stress tests in one folder', async () => {
    await assert.rejects(runEval(options(undefined)), (e: Error) => e instanceof ResumeMismatchError && /--stress 15; this run is .* --stress off/.test(e.message));
  });
});
