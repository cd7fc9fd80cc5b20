import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENTS, type AgentName } from '../../../src/core/types';
import { runExport, validProblems } from '../../../src/distill/export';
import { appendJsonl } from '../../../src/distill/files';
import { CHAT_LINE, chatOrderErrors, MANIFEST, validate } from '../../../src/distill/schema';
import type { DistillRecord, ExampleSource, TrainingExample } from '../../../src/distill/types';

const HASH = '0123456789abcdef';

function example(agent: AgentName, problem: string, n: number, source: ExampleSource = 'collect'): TrainingExample {
  return {
    agent, kind: agent === 'retrieval' ? 'retrieval' : agent === 'planning' ? 'plan' : agent === 'coding' ? 'code' : 'debug',
    messages: [{ role: 'system', content: `You are the ${agent} agent.` }, { role: 'user', content: `Problem ${problem}, call ${n}: ${'x'.repeat(40)}` }],
    reply: `reply ${n} for ${problem}`, source, problem, promptsHash: HASH, model: 'teacher',
  };
}

function record(id: string, source: ExampleSource, examples: TrainingExample[]): DistillRecord {
  return {
    id, dataset: 'set', source, lang: 'python3', k: 3, t: 5, status: 'passed', kept: true, reason: 'test', samples: { passed: 1, total: 1 },
    hidden: { passed: 1, total: 1, available: true }, examples, promptsHash: HASH, calls: examples.length, seconds: 1,
  };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('distill export', () => {
  let a: string;
  let b: string;
  let out: string;
  const problems = Array.from({ length: 20 }, (_, i) => `set/p${i}`);
  beforeEach(() => {
    [a, b, out] = ['a', 'b', 'out'].map((n) => mkdtempSync(join(tmpdir(), `distill-export-${n}-`)));
    problems.forEach((p, i) => appendJsonl(join(a, 'collect.jsonl'), record(p, 'collect', AGENTS.map((ag) => example(ag, p, i)))));
    // the same retrieval example again from the editor (a duplicate), and a new debugging example
    appendJsonl(join(b, 'flywheel.jsonl'), record('run1', 'flywheel', [example('retrieval', 'set/p0', 0), example('debugging', 'editor/run1', 99, 'flywheel')]));
  });
  afterEach(() => [a, b, out].forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes per-agent chat JSONL, deduplicated, split by problem, with a conforming manifest', () => {
    const m = runExport({ inputs: [a, b], outDir: out, seed: 7, validRatio: 0.2, baseModel: 'Qwen/Qwen2.5-7B-Instruct', now: () => new Date('2026-01-02T03:04:05Z') });
    assert.deepEqual(validate(MANIFEST, JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))), []);
    assert.equal(m.duplicatesDropped, 1);
    assert.deepEqual(m.sources, { collect: 80, 'collect-debug': 0, supervise: 0, flywheel: 1 });
    assert.deepEqual(m.promptsHash, [HASH]);
    assert.equal(m.created, '2026-01-02T03:04:05.000Z');
    // 21 problems, round(21 x 0.2) = 4 in validation
    const valid = validProblems([...problems, 'editor/run1'], 7, 0.2);
    assert.equal(valid.size, 4);
    for (const agent of AGENTS) {
      const train = lines(join(out, agent, 'train.jsonl'));
      const val = lines(join(out, agent, 'valid.jsonl'));
      assert.equal(train.length + val.length, agent === 'debugging' ? 21 : 20);
      assert.deepEqual([m.agents[agent].train.examples, m.agents[agent].valid.examples], [train.length, val.length]);
      for (const l of [...train, ...val]) assert.deepEqual([...validate(CHAT_LINE, l), ...chatOrderErrors(l)], []);
      const problemOf = (l: { messages: { content: string }[] }) => /Problem (\S+),/.exec(l.messages[1].content)![1];
      assert.ok(val.every((l) => valid.has(problemOf(l))) && train.every((l) => !valid.has(problemOf(l))), 'no problem on both sides');
    }
    // "Problem set/p0, call 0: " + 40 x's = 66 chars, the system message 26-28: ceil(chars / 4)
    assert.equal(m.agents.coding.train.promptTokens.min, Math.ceil((`You are the coding agent.`.length + `Problem set/p0, call 0: ${'x'.repeat(40)}`.length) / 4));
    assert.ok(readdirSync(out).every((f) => !f.endsWith('.tmp')), 'no temporary file left');
  });

  it('is deterministic for a seed, and the seed changes the split', () => {
    runExport({ inputs: [a, b], outDir: out, seed: 7, now: () => new Date(0) });
    const first = AGENTS.map((ag) => readFileSync(join(out, ag, 'valid.jsonl'), 'utf8'));
    runExport({ inputs: [b, a], outDir: out, seed: 7, now: () => new Date(0) });
    assert.deepEqual(AGENTS.map((ag) => readFileSync(join(out, ag, 'valid.jsonl'), 'utf8').split('\n').sort().join('\n')), first.map((t) => t.split('\n').sort().join('\n')), 'input order does not matter');
    const seeds = [1, 2, 3, 4, 5].map((s) => [...validProblems(problems, s, 0.1)].sort().join());
    assert.ok(new Set(seeds).size > 1);
    assert.equal(validProblems(['x', 'y'], 1, 0.1).size, 1, 'at least one validation problem when there are two');
    assert.equal(validProblems(['x', 'y'], 1, 0).size, 0);
  });

  it('writes LLaMA-Factory configs for rank-32 adapters and the vLLM command with the four adapters', () => {
    runExport({ inputs: [a], outDir: out, baseModel: 'my/base-model' });
    const info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    assert.deepEqual(info.mapcoder_coding_train, {
      file_name: 'coding/train.jsonl', formatting: 'sharegpt', columns: { messages: 'messages' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
    });
    for (const agent of AGENTS) {
      const yaml = readFileSync(join(out, 'llamafactory', `${agent}.yaml`), 'utf8');
      for (const line of ['model_name_or_path: my/base-model', 'finetuning_type: lora', 'lora_rank: 32', `dataset: mapcoder_${agent}_train`, 'template: qwen', `output_dir: adapters/${agent}`, `eval_dataset: mapcoder_${agent}_valid`]) {
        assert.ok(yaml.split('\n').includes(line), `${agent}: ${line}`);
      }
    }
    const sh = readFileSync(join(out, 'serve.sh'), 'utf8');
    assert.ok(sh.includes('BASE="${BASE:-my/base-model}"'));
    assert.ok(sh.includes('--enable-lora --max-lora-rank 32 --max-loras 4'));
    assert.ok(sh.includes('--lora-modules retrieval=adapters/retrieval planning=adapters/planning coding=adapters/coding debugging=adapters/debugging'));
    const md = readFileSync(join(out, 'serve.md'), 'utf8');
    for (const s of ['"mapcoderLite.models.retrieval": "retrieval"', '"mapcoderLite.models.debugging": "debugging"', '"mapcoderLite.backend": "vllm"', 'llamafactory-cli train llamafactory/coding.yaml', 'vllm serve my/base-model']) {
      assert.ok(md.includes(s), s);
    }
  });

  it('the schema check rejects malformed chat lines and manifests', () => {
    const sys = { role: 'system', content: 's' };
    const user = { role: 'user', content: 'u' };
    const asst = { role: 'assistant', content: 'a' };
    assert.deepEqual(validate(CHAT_LINE, { messages: [sys, user, asst] }), []);
    assert.notDeepEqual(validate(CHAT_LINE, { messages: [sys, user] }), []);
    assert.notDeepEqual(validate(CHAT_LINE, { messages: [sys, user, { role: 'assistant', content: '' }] }), [], 'empty reply');
    assert.notDeepEqual(validate(CHAT_LINE, { messages: [sys, user, asst], extra: 1 }), []);
    assert.notDeepEqual(validate(CHAT_LINE, { messages: [sys, user, { ...asst, name: 'x' }] }), []);
    assert.notDeepEqual(chatOrderErrors({ messages: [user, sys, asst] }), []);
    runExport({ inputs: [a], outDir: out });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(validate(MANIFEST, manifest), []);
    assert.notDeepEqual(validate(MANIFEST, { ...manifest, loraRank: 0 }), []);
    assert.notDeepEqual(validate(MANIFEST, { ...manifest, promptsHash: ['nothex'] }), []);
    const { agents, ...noAgents } = manifest;
    assert.ok(agents);
    assert.match(validate(MANIFEST, noAgents).join(), /missing "agents"/);
  });
});
