import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { solve } from '../../../src/core/pipeline';
import { TraceWriter } from '../../../src/core/trace';
import { runExport } from '../../../src/distill/export';
import { readJsonlLog } from '../../../src/distill/files';
import { appendAcceptedTrajectory, FLYWHEEL_FILE } from '../../../src/distill/flywheel';
import type { DistillRecord } from '../../../src/distill/types';
import { useSolveEnv } from '../helpers/solve-env';
import { confidenceReply, CORRECT, fenced, mapcoderHandler, planReply, retrievalReply, SUM_PROBLEM, WRONG } from '../helpers/mapcoder-script';

describe('distill flywheel: accepted editor runs into the dataset', function () {
  this.timeout(30000);
  let dir: string;
  const env = useSolveEnv();
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'distill-flywheel-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function tracedRun(code: string, name: string): Promise<string> {
    env.server.setHandler(mapcoderHandler({ retrieval: [retrievalReply(2)], plans: [planReply(0), planReply(1)], confidences: [confidenceReply(90), confidenceReply(40)], coding: [fenced(code)], debugging: [fenced(code)] }));
    const file = join(dir, `${name}.trace.jsonl`);
    const trace = new TraceWriter(file);
    await solve({ problem: SUM_PROBLEM, lang: 'python3', k: 2, t: 1, llm: new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, maxRetries: 0 })), judge: env.judge, prompts: env.prompts, onEvent: trace.write });
    trace.close();
    return file;
  }

  it('appends a passing run once, with the calls on its successful path', async () => {
    const trace = await tracedRun(CORRECT, 'ok');
    const data = join(dir, 'dataset');
    const first = appendAcceptedTrajectory(data, trace);
    assert.deepEqual(first, { appended: true, examples: 4, reason: '4 examples added' });
    const [r] = readJsonlLog<DistillRecord>(join(data, FLYWHEEL_FILE));
    assert.deepEqual(r.examples.map((e) => `${e.agent}:${e.kind}:${e.source}`), ['retrieval:retrieval:flywheel', 'planning:plan:flywheel', 'planning:confidence:flywheel', 'coding:code:flywheel']);
    assert.equal(r.examples[1].reply, '1. Read a and b.\n2. Print a + b. (PLAN1)', 'the plan with the higher confidence solved it');
    assert.deepEqual(r.examples[3].messages, env.server.requests.filter((q) => q.model === 'coding').at(-1)!.messages);
    assert.equal(appendAcceptedTrajectory(data, trace).appended, false, 'the same run is not added twice');
    assert.equal(readFileSync(join(data, FLYWHEEL_FILE), 'utf8').trim().split('\n').length, 1);
    const m = runExport({ inputs: [data], outDir: join(dir, 'export') });
    assert.deepEqual(m.sources.flywheel, 4);
  });

  it('leaves out a run that did not pass all its samples', async () => {
    const trace = await tracedRun(WRONG, 'bad');
    const res = appendAcceptedTrajectory(join(dir, 'dataset'), trace);
    assert.deepEqual([res.appended, res.reason], [false, 'the run did not pass all its sample tests (failed)']);
  });
});
