import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PromptSet } from '../../../src/core/agents/prompts';
import { Judge } from '../../../src/core/judge';
import { defaultEndpointConfig } from '../../../src/core/llm';
import { AGENTS } from '../../../src/core/types';
import { loadDataset } from '../../../src/eval/datasets';
import { LocalHiddenJudge } from '../../../src/eval/judge/local';
import { readRecords, resultsFile } from '../../../src/eval/results-file';
import { runEval } from '../../../src/eval/run';
import { writeReport } from '../../../src/eval/write-report';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { confidenceReply, fenced, mapcoderHandler, planReply, retrievalReply } from '../helpers/mapcoder-script';

// An any-answer problem (test/fixtures/verdicts/pair.md) as an own dataset; the model's program prints
// other valid answers than the jury's. Exact comparison fails it on the hidden tests; its checker passes it.
const VERDICTS = resolve(__dirname, '..', '..', 'fixtures', 'verdicts');
const HALF = readFileSync(join(VERDICTS, 'half.py'), 'utf8');
const STATEMENT = 'Given an integer n (2 <= n <= 10^9), find two positive integers a and b with a + b = n.\n\nOutput\nPrint a and b. If there are several answers, print any of them.\n';

describe('eval: pass@1 by exact comparison and with checkers', function () {
  this.timeout(90000);
  let server: ScriptedServer;
  let judge: Judge;
  let hidden: LocalHiddenJudge;
  let dir: string;

  before(async () => {
    server = await startScriptedServer({
      models: [...AGENTS],
      handler: mapcoderHandler({ retrieval: [retrievalReply(1)], plans: [planReply(0)], confidences: [confidenceReply(90)], coding: [fenced(HALF)] }),
    });
    judge = new Judge();
    hidden = new LocalHiddenJudge({ judge });
    dir = mkdtempSync(join(tmpdir(), 'eval-checkers-'));
    const item = {
      id: 'pair', statement: STATEMENT,
      samples: [{ input: '5\n', outputs: ['1 4\n'] }, { input: '2\n', outputs: ['1 1\n'] }],
      hidden_tests: [10, 7, 1000].map((n) => ({ input: `${n}\n`, outputs: [`1 ${n - 1}\n`] })),
    };
    writeFileSync(join(dir, 'own.jsonl'), `${JSON.stringify(item)}\n`);
    mkdirSync(join(dir, 'checkers'));
    copyFileSync(join(VERDICTS, 'pair.checker.py'), join(dir, 'checkers', 'pair.checker.py'));
  });
  after(async () => {
    await server.close();
    await hidden.dispose();
    await judge.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the exact outcome (not solved) and the checked one (solved); the report gives both', async () => {
    const dataset = loadDataset(join(dir, 'own.jsonl'));
    const out = join(dir, 'out');
    assert.equal(dataset.problems[0].id, 'pair');
    await runEval({
      dataset, modes: ['lite'], lang: 'python3', k: 1, t: 1, concurrency: 1, outDir: out, checkers: join(dir, 'checkers'),
      endpoint: defaultEndpointConfig({ baseUrl: server.url, maxRetries: 0, idleTimeoutMs: 10000 }), prompts: PromptSet.load(), judge, hidden,
    });
    const [r] = readRecords(resultsFile(out, 'own', 'lite'));
    assert.equal(r.status, 'passed', 'the samples judged through the checker during solving');
    assert.equal(r.solved, false, 'exact comparison: "5 5" is not the jury\'s "1 9"');
    assert.equal(r.hidden.verdict, 'WA');
    assert.deepEqual(r.checked, { passed: 3, total: 3, verdict: 'AC', solved: true });
    const report = writeReport(out);
    assert.match(report.markdown, /\*\*0\.0\*\* \(0\/1; with checkers: 100\.0 \(1\/1, 1 checked\)\)/);
    assert.match(report.markdown, /"with checkers" judges the problems that have a checker/);
  });
});
