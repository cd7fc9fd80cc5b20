import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../src/core/events';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { solve } from '../../../src/core/pipeline';
import type { ScriptedReply, ScriptedRequest } from '../../fixtures/llm-server/server';
import { useSolveEnv } from '../helpers/solve-env';
import { chainIndex, confidenceReply, CORRECT, fenced, HALF_RIGHT, isConfidenceCall, planReply, retrievalReply, SUM_PROBLEM, WRONG } from '../helpers/mapcoder-script';

// Speculative plans must change wall time and token use only, never the outcome. Replies here depend on
// the prompt (which plan, which program), not on call order, like a model at temperature 0.

const text = (req: ScriptedRequest) => req.messages.map((m) => m.content).join('\n');
const planOf = (req: ScriptedRequest) => Number(/\(PLAN(\d+)\)/.exec(text(req))?.[1] ?? 0) - 1;
/** A debugging reply whose corrected plan keeps the plan's marker, so later rounds are routed the same way. */
const fix = (plan: number, code: string, extra: Partial<ScriptedReply> = {}): ScriptedReply => ({ text: `Corrected (PLAN${plan + 1}).\n\`\`\`python\n${code}\`\`\`\n`, ...extra });

interface Script {
  confidences: number[];
  /** Coding reply per plan (retrieval order). */
  code: ScriptedReply[];
  /** Debugging reply per plan; the same for every round. */
  debug: ScriptedReply[];
}

function handler(s: Script) {
  return (req: ScriptedRequest): ScriptedReply => {
    switch (req.model) {
      case 'retrieval': return retrievalReply(s.code.length);
      case 'planning': return isConfidenceCall(req) ? confidenceReply(s.confidences[chainIndex(req)]) : planReply(chainIndex(req));
      case 'coding': return s.code[planOf(req)];
      default: return s.debug[planOf(req)];
    }
  };
}

describe('pipeline: speculative plans give the ordered schedule\'s outcome', function () {
  this.timeout(60000);
  const env = useSolveEnv();

  async function both(script: Script, t = 2) {
    env.server.setHandler(handler(script));
    const llm = new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, maxRetries: 0 }));
    const run = async (speculate: boolean) => {
      env.server.requests.length = 0;
      const events: PipelineEvent[] = [];
      const result = await solve({ problem: SUM_PROBLEM, lang: 'python3', llm, judge: env.judge, prompts: env.prompts, t, speculate, onEvent: (e) => events.push(e) });
      return { result, events, requests: [...env.server.requests] };
    };
    return { ordered: await run(false), speculative: await run(true) };
  }

  const outcome = (r: Awaited<ReturnType<typeof solve>>) => ({
    status: r.status, code: r.code, passed: r.passed, total: r.total, plan: r.chosen?.plan, round: r.chosen?.round, candidates: r.candidates,
  });

  it('the best-ranked plan wins even when a lower-ranked one passes first', async () => {
    // Plan 1 (confidence 90) needs a debugging round; plan 2 (50) passes at once and would finish first.
    const { ordered, speculative } = await both({
      confidences: [90, 50, 10],
      code: [{ ...fenced(WRONG), tokenDelayMs: 20 }, fenced(CORRECT), fenced(WRONG)],
      debug: [fix(0, CORRECT), fix(1, WRONG), fix(2, WRONG)],
    });
    assert.deepEqual(outcome(ordered.result), { status: 'passed', code: CORRECT.trimEnd(), passed: 2, total: 2, plan: 0, round: 1, candidates: 2 });
    assert.deepEqual(outcome(speculative.result), outcome(ordered.result));
    assert.equal(ordered.requests.filter((r) => r.model === 'coding').length, 1, 'ordered: only the best plan was coded');
    assert.ok(speculative.requests.filter((r) => r.model === 'coding').length >= 2, 'speculative: other plans were coded too');
    assert.ok(speculative.result.agents.coding.calls >= 2, 'speculative calls are counted, not hidden');
  });

  it('when every plan fails, the same best candidate comes back after the same candidates', async () => {
    const { ordered, speculative } = await both({
      confidences: [30, 80, 60],
      code: [fenced(WRONG), fenced(WRONG), fenced(HALF_RIGHT)],
      debug: [fix(0, WRONG), fix(1, HALF_RIGHT), fix(2, WRONG)],
    });
    assert.equal(ordered.result.status, 'partial', ordered.result.error);
    assert.deepEqual(outcome(speculative.result), outcome(ordered.result));
    // Plan 2 (ranked first) reaches 1/2 in round 1; plan 3 reaches 1/2 at once but is tried later.
    assert.deepEqual([ordered.result.chosen?.plan, ordered.result.chosen?.round], [1, 1]);
  });

  it('a dropped branch goes quiet: no failed calls reported for work the ordered schedule never did', async () => {
    const { speculative } = await both({
      confidences: [90, 50, 10],
      code: [fenced(CORRECT), { ...fenced(WRONG), tokenDelayMs: 30 }, { ...fenced(WRONG), tokenDelayMs: 30 }],
      debug: [fix(0, WRONG), fix(1, WRONG, { tokenDelayMs: 30 }), fix(2, WRONG, { tokenDelayMs: 30 })],
    }, 5);
    assert.equal(speculative.result.status, 'passed');
    assert.equal(speculative.result.chosen?.plan, 0);
    assert.deepEqual(speculative.events.filter((e) => e.type === 'agent-failed'), []);
    assert.equal(speculative.events.at(-1)?.type, 'done');
  });
});
