import { strict as assert } from 'node:assert';
import { PromptSet } from '../../../src/core/agents/prompts';
import type { PipelineEvent } from '../../../src/core/events';
import type { CompletionRequest } from '../../../src/core/llm';
import { LlmError } from '../../../src/core/llm';
import type { JudgeReport, Problem } from '../../../src/core/types';
import { debugUserCode, USER_PLAN } from '../../../src/extension/debug-user-code';

const problem: Problem = {
  title: 'Sum', statement: 'Print a+b.', samples: [{ input: '1 2\n', outputs: ['3\n'] }, { input: '2 2\n', outputs: ['4\n'] }],
  asserts: [], style: { kind: 'stdio' },
};
const prompts = PromptSet.load();

/** A judge that passes `k` samples for a program containing `# passes k`. */
const judge = {
  calls: [] as string[],
  async judge(req: { code: string }): Promise<JudgeReport> {
    judge.calls.push(req.code);
    const passed = Number(/# passes (\d)/.exec(req.code)?.[1] ?? 0);
    return { verdict: passed === 2 ? 'AC' : 'WA', passed, total: 2, tests: [] };
  },
};

function llm(replies: (string | Error)[]) {
  const requests: CompletionRequest[] = [];
  return {
    requests,
    async complete(req: CompletionRequest) {
      requests.push(req);
      const r = replies.shift();
      if (r === undefined) throw new Error('no scripted reply left');
      if (r instanceof Error) throw r;
      return { text: r, usage: { promptTokens: 10, completionTokens: 5 }, model: req.agent, ms: 1, ttftMs: 1, finishReason: 'stop', retries: 0 };
    },
  };
}

const fix = (passes: number) => `Read both numbers before adding.\n\n\`\`\`python\n# passes ${passes}\nprint(sum(map(int, input().split())))\n\`\`\``;
const userCode = '# passes 0\nprint(input())\n';
const failing: JudgeReport = { verdict: 'WA', passed: 0, total: 2, tests: [] };

describe('debugging the user\'s own program', () => {
  beforeEach(() => (judge.calls.length = 0));

  it('runs debugging rounds on the user\'s code until the samples pass, as a run the panel can show', async () => {
    const client = llm([fix(1), fix(2)]);
    const events: PipelineEvent[] = [];
    const result = await debugUserCode({ problem, lang: 'python3', code: userCode, report: failing, t: 5, llm: client, judge, prompts, onEvent: (e) => events.push(e) });
    assert.equal(result.status, 'passed');
    assert.match(result.code, /# passes 2/);
    assert.deepEqual(result.chosen && [result.chosen.round, result.passed, result.total], [2, 2, 2]);
    assert.equal(judge.calls.length, 2, 'the user\'s program is not judged again');
    assert.ok(client.requests.every((r) => r.agent === 'debugging'));
    const first = client.requests[0].messages.map((m) => m.content).join('\n');
    assert.ok(first.includes('print(input())') && first.includes(USER_PLAN), 'the first round sees the user\'s code and the stand-in plan');
    assert.ok(client.requests[1].messages.map((m) => m.content).join('\n').includes('Read both numbers'), 'later rounds get the corrected plan');
    const types = events.filter((e) => e.type !== 'token').map((e) => e.type);
    assert.deepEqual(types.slice(0, 4), ['run-started', 'retrieval-done', 'plans-ranked', 'candidate']);
    assert.equal(types.at(-1), 'done');
    assert.equal(events.filter((e) => e.type === 'candidate').length, 3);
    assert.equal(result.agents.debugging.calls, 2);
  });

  it('keeps the user\'s program when no round does better, and says so', async () => {
    const result = await debugUserCode({ problem, lang: 'python3', code: userCode, report: failing, t: 2, llm: llm([fix(0), fix(0)]), judge, prompts });
    assert.equal(result.status, 'failed');
    assert.equal(result.code, userCode);
    assert.match(result.message, /No debugging round improved/);
  });

  it('returns the best round when none passes everything', async () => {
    const result = await debugUserCode({ problem, lang: 'python3', code: userCode, report: failing, t: 2, llm: llm([fix(1), fix(0)]), judge, prompts });
    assert.equal(result.status, 'partial');
    assert.match(result.code, /# passes 1/);
    assert.equal(result.chosen?.round, 1);
  });

  it('ends with status error and the user\'s code when the endpoint fails', async () => {
    const result = await debugUserCode({
      problem, lang: 'python3', code: userCode, report: failing, llm: llm([new LlmError('unreachable', 'Nothing is listening at http://127.0.0.1:9/v1.')]), judge, prompts,
    });
    assert.equal(result.status, 'error');
    assert.equal(result.code, userCode);
    assert.match(result.message, /Nothing is listening/);
  });

  it('ends cancelled when the signal aborts', async () => {
    const ac = new AbortController();
    const client = {
      async complete(req: CompletionRequest): Promise<never> {
        ac.abort();
        throw new LlmError('cancelled', 'cancelled');
      },
    };
    const result = await debugUserCode({ problem, lang: 'python3', code: userCode, report: failing, llm: client, judge, prompts, signal: ac.signal });
    assert.equal(result.status, 'cancelled');
  });
});
