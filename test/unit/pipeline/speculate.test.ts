import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import type { PipelineEvent } from '../../../src/core/events';
import { Judge, type JudgeRequest } from '../../../src/core/judge';
import { defaultEndpointConfig, LlmClient } from '../../../src/core/llm';
import { solve } from '../../../src/core/pipeline';
import type { ScriptedReply, ScriptedRequest } from '../../fixtures/llm-server/server';
import { useSolveEnv } from '../helpers/solve-env';
import { waitFor } from '../judge/helpers';
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

  it('listeners hear only the run\'s committed work: the same calls and candidates as the ordered schedule', async () => {
    const { ordered, speculative } = await both({
      confidences: [90, 50, 10],
      code: [{ ...fenced(WRONG), tokenDelayMs: 20 }, fenced(CORRECT), fenced(WRONG)],
      debug: [fix(0, CORRECT), fix(1, WRONG), fix(2, WRONG)],
    });
    const told = (events: PipelineEvent[]) => ({
      calls: events.flatMap((e) => (e.type === 'agent-started' && e.step.agent !== 'planning' && e.step.agent !== 'retrieval' ? [`${e.step.kind} ${e.step.plan} ${e.step.round ?? 0}`] : [])),
      candidates: events.flatMap((e) => (e.type === 'candidate' ? [`${e.candidate.plan} ${e.candidate.round} ${e.candidate.report.verdict}`] : [])),
    });
    assert.deepEqual(told(speculative.events), told(ordered.events));
    assert.deepEqual(told(ordered.events), { calls: ['code 0 0', 'debug 0 1'], candidates: ['0 0 WA', '0 1 AC'] });
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

  /** WRONG, marked with its plan so the three branches' programs differ (a program judged once is not judged again). */
  const wrongOf = (plan: number) => `# PLAN${plan + 1}\n${WRONG}`;

  /** Three plans: each plan's confidence and (for coding and debugging alike) program; either may wait. */
  const scripted = (confidence: (plan: number) => number | Promise<number>, code: (plan: number) => string | Promise<string>) =>
    async (req: ScriptedRequest): Promise<ScriptedReply> => {
      switch (req.model) {
        case 'retrieval': return retrievalReply(3);
        case 'planning': return isConfidenceCall(req) ? confidenceReply(await confidence(chainIndex(req))) : planReply(chainIndex(req));
        default: return fenced(await code(planOf(req)));
      }
    };

  it('the judge serves the plan whose turn it is first, then the others by rank', async () => {
    // Confidences 30, 80, 60: the ranking is plans 2, 3, 1. Confidence replies are held until every
    // branch has asked the judge, so those requests come before the ranking; the judge holds them all.
    let releaseRanking!: () => void;
    const ranking = new Promise<void>((r) => (releaseRanking = r));
    const confidences = [30, 80, 60];
    env.server.setHandler(scripted(async (p) => {
      await ranking;
      return confidences[p];
    }, wrongOf));
    const held: Array<{ plan: number; priority: () => number; release: () => void }> = [];
    const judge = {
      judge: (req: JudgeRequest) => new Promise<Awaited<ReturnType<typeof env.judge.judge>>>((resolve, reject) => {
        const plan = Number(/# PLAN(\d+)/.exec(req.code)![1]) - 1;
        held.push({ plan, priority: req.priority ?? (() => 0), release: () => void env.judge.judge(req).then(resolve, reject) });
      }),
    };
    const llm = new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, maxRetries: 0 }));
    let ranked = false;
    const running = solve({
      problem: SUM_PROBLEM, lang: 'python3', llm, judge, prompts: env.prompts, t: 0, speculate: true,
      onEvent: (e) => void (e.type === 'plans-ranked' && (ranked = true)),
    });
    const priorities = () => Object.fromEntries(held.map((h) => [h.plan, h.priority()]));
    await waitFor(() => (held.length === 3 ? true : undefined), 'three judge requests');
    assert.deepEqual(priorities(), { 0: 3, 1: 3, 2: 3 }, 'before the ranking no branch is ahead');
    releaseRanking();
    await waitFor(() => (ranked ? true : undefined), 'the ranking');
    assert.deepEqual(priorities(), { 1: 0, 2: 1, 0: 2 }, 'ranked: the best plan first');
    held.find((h) => h.plan === 1)!.release(); // plan 2 fails: plan 3's turn
    await waitFor(() => (held.find((h) => h.plan === 2)!.priority() === 0 ? true : undefined), 'plan 3\'s turn');
    assert.equal(held.find((h) => h.plan === 0)!.priority(), 1);
    for (const h of held) if (h.plan !== 1) h.release();
    const result = await running;
    assert.equal(result.status, 'failed');
    assert.deepEqual([result.chosen?.plan, result.candidates], [1, 3], 'the best plan\'s program, after all three were committed');
  });

  it('the branch in turn stops speculative judge calls, which ask again once it is judged', async () => {
    // Ranking 2, 3, 1. Plan 2's program comes last, after the other two are with the judge (held there).
    let releaseTurnCode!: () => void;
    const turnCode = new Promise<void>((r) => (releaseTurnCode = r));
    const confidences = [30, 80, 60];
    env.server.setHandler(scripted((p) => confidences[p], async (p) => {
      if (p === 1) await turnCode;
      return wrongOf(p);
    }));
    const log: string[] = [];
    const asked = (plan: number) => log.filter((l) => l === `ask ${plan}`).length;
    const judge = {
      judge: (req: JudgeRequest) => {
        const plan = Number(/# PLAN(\d+)/.exec(req.code)![1]) - 1;
        log.push(`ask ${plan}`);
        if (plan !== 1 && asked(plan) === 1) {
          // A speculative call's first ask: held until it is stopped.
          return new Promise<never>((_, reject) => req.signal!.addEventListener('abort', () => {
            log.push(`stopped ${plan}`);
            reject(req.signal!.reason);
          }));
        }
        return env.judge.judge(req).finally(() => log.push(`end ${plan}`));
      },
    };
    const llm = new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, maxRetries: 0 }));
    let ranked = false;
    const running = solve({
      problem: SUM_PROBLEM, lang: 'python3', llm, judge, prompts: env.prompts, t: 0, speculate: true,
      onEvent: (e) => void (e.type === 'plans-ranked' && (ranked = true)),
    });
    await waitFor(() => (ranked && asked(0) === 1 && asked(2) === 1 ? true : undefined), 'the ranking and two speculative judge calls');
    releaseTurnCode();
    const result = await running;
    // The two speculative asks; the turn's ask comes with both stopped; they ask again only once it is judged.
    assert.deepEqual(log.slice(0, 2).sort(), ['ask 0', 'ask 2'], log.join(', '));
    assert.deepEqual(log.slice(2, 5).sort(), ['ask 1', 'stopped 0', 'stopped 2'], log.join(', '));
    assert.equal(log[5], 'end 1', log.join(', '));
    assert.deepEqual([asked(0), asked(2)], [2, 2]);
    assert.equal(result.status, 'failed');
    assert.deepEqual([result.chosen?.plan, result.candidates], [1, 3]);
  });

  /** Programs that start a `sleep <marker>` child and sleep, marked with their plan. */
  function sleepers() {
    const marker = 317 + Math.floor(Math.random() * 1000);
    return {
      code: (plan: number) => `# PLAN${plan + 1}\nimport subprocess, time\nsubprocess.Popen(['sleep', '${marker}'])\ntime.sleep(${marker})\n`,
      running: () => execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => l.includes(`sleep ${marker}`)).length,
    };
  }

  /** A judge that counts its calls and the ones not ended yet; `before` may hold a call back. */
  function countingJudge(before: (req: JudgeRequest) => Promise<void> = async () => undefined, inner: Judge = env.judge) {
    const j = {
      calls: 0,
      inFlight: 0,
      judge: async (req: JudgeRequest) => {
        j.calls++;
        j.inFlight++;
        try {
          await before(req);
          return await inner.judge(req);
        } finally {
          j.inFlight--;
        }
      },
    };
    return j;
  }

  it('cancelling stops every branch: no program of the run is left and no judge call outlives it', async () => {
    const sleep = sleepers();
    env.server.setHandler(scripted((p) => 50 + p, sleep.code));
    const judge = countingJudge();
    const ac = new AbortController();
    const llm = new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, maxRetries: 0 }));
    const running = solve({
      problem: { ...SUM_PROBLEM, timeLimitMs: 60000 }, lang: 'python3', llm, judge, prompts: env.prompts, signal: ac.signal, speculate: true,
    });
    // Every branch asked the judge, and programs (two samples each, on the judge's slots) started their children.
    await waitFor(() => (judge.calls === 3 && sleep.running() >= 2 ? true : undefined), 'the branches\' programs running', 20_000);
    ac.abort();
    const result = await running;
    assert.equal(result.status, 'cancelled');
    assert.equal(judge.inFlight, 0, 'every branch\'s judge call had ended when the run resolved');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sleep.running(), 0, 'no process of the cancelled run is left');
  });

  it('when the best plan passes, the dropped branches are stopped: no judge call or program of theirs is left', async () => {
    const sleep = sleepers();
    env.server.setHandler(scripted((p) => (p === 0 ? 90 : 50), (p) => (p === 0 ? `# PLAN1\n${CORRECT}` : sleep.code(p))));
    // The best plan's program is judged only once the other plans' programs run, on slots of its own
    // (the sleepers would hold a 2-slot judge's slots until their time limit).
    const roomy = new Judge({ concurrency: 6 });
    const judge = countingJudge(async (req) => {
      if (req.code.startsWith('# PLAN1\n')) await waitFor(() => (sleep.running() >= 1 ? true : undefined), 'a dropped branch\'s program running', 20_000);
    }, roomy);
    const llm = new LlmClient(defaultEndpointConfig({ baseUrl: env.server.url, maxRetries: 0 }));
    try {
      const result = await solve({ problem: { ...SUM_PROBLEM, timeLimitMs: 60000 }, lang: 'python3', llm, judge, prompts: env.prompts, speculate: true });
      assert.equal(result.status, 'passed');
      assert.equal(result.chosen?.plan, 0);
      assert.equal(judge.inFlight, 0, 'no judge call of a dropped branch outlives the run');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(sleep.running(), 0, 'no process of a dropped branch is left');
    } finally {
      await roomy.dispose();
    }
  });
});
