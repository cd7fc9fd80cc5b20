import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterProblem, formatBytes, GgufError, kvBytesPerToken, metaString, modelProblem, readGguf, tensorBytes } from '../../../src/core/engine/gguf';
import { ggufBytes, tinyAdapter, tinyModel, writeGguf } from '../../fixtures/gguf';

describe('engine/gguf: header checks before anything loads', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mcl-gguf-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const model = () => {
    const m = tinyModel();
    return file('model.gguf', ggufBytes(m.meta, m.tensors));
  };

  it('reads metadata, tensors and the size the data section needs', async () => {
    const info = await readGguf(model());
    assert.equal(info.version, 3);
    assert.equal(metaString(info, 'general.architecture'), 'qwen2');
    assert.deepEqual(info.metadata.get('tokenizer.ggml.tokens'), { array: 16 });
    assert.deepEqual(info.tensors.map((t) => t.name), ['token_embd.weight', 'blk.0.attn_q.weight', 'blk.0.ffn_up.weight']);
    assert.equal(info.fileSize, info.expectedSize);
    assert.equal(modelProblem(info, 'm'), undefined);
  });

  it('a file that is not GGUF, or missing, is one line', async () => {
    await assert.rejects(readGguf(file('notes.txt', 'hello, this is not a model at all')), (e: Error) => e instanceof GgufError && /is not a GGUF model file/.test(e.message));
    await assert.rejects(readGguf(join(dir, 'nothing.gguf')), /does not exist/);
  });

  it('a header cut short, and data cut short, are truncated', async () => {
    const whole = readFileSync(model());
    await assert.rejects(readGguf(file('head.gguf', whole.subarray(0, 60))), /truncated: its header ends early/);
    const info = await readGguf(file('half.gguf', whole.subarray(0, whole.length - 100)));
    assert.match(modelProblem(info, 'half.gguf')!, /half\.gguf is truncated: [\d.]+ kB of [\d.]+ kB/);
  });

  it('refuses as a model: a vocabulary-only file, an adapter, a file without architecture', async () => {
    const m = tinyModel();
    assert.match(modelProblem(await readGguf(file('vocab.gguf', ggufBytes(m.meta, []))), 'v')!, /holds no tensors/);
    const a = tinyAdapter();
    assert.match(modelProblem(await readGguf(file('a.gguf', ggufBytes(a.meta, a.tensors))), 'a')!, /is a LoRA adapter, not a model/);
    const { 'general.architecture': _, ...noArch } = m.meta;
    assert.match(modelProblem(await readGguf(file('noarch.gguf', ggufBytes(noArch, m.tensors))), 'n')!, /without general.architecture/);
  });

  it('an adapter for this model fits; one for another width, architecture or tensor set does not', async () => {
    const info = await readGguf(model());
    const check = async (name: string, spec: ReturnType<typeof tinyAdapter>) => adapterProblem(info, await readGguf(file(name, ggufBytes(spec.meta, spec.tensors))), name);
    assert.equal(await check('ok.gguf', tinyAdapter(8)), undefined);
    assert.match((await check('wide.gguf', tinyAdapter(16)))!, /does not fit the model: blk\.0\.attn_q\.weight is 8x8 in the model, the adapter expects 16x16/);
    assert.match((await check('llama.gguf', tinyAdapter(8, 2, 'llama')))!, /an adapter for a llama model; the model is qwen2/);
    const extra = tinyAdapter(8);
    extra.tensors.push({ name: 'blk.5.attn_q.weight.lora_a', dims: [8, 2] }, { name: 'blk.5.attn_q.weight.lora_b', dims: [2, 8] });
    assert.match((await check('deep.gguf', extra))!, /changes blk\.5\.attn_q\.weight, which the model does not have/);
    const m = tinyModel();
    assert.match((await check('model-as-adapter.gguf', m as ReturnType<typeof tinyAdapter>))!, /is not a LoRA adapter/);
  });

  it('sizes: tensor bytes by ggml type, KV cache bytes per token, bytes said in three digits', async () => {
    assert.deepEqual([formatBytes(512), formatBytes(2410), formatBytes(45_730_656), formatBytes(4.68e9)], ['512 B', '2.41 kB', '45.7 MB', '4.68 GB']);
    assert.equal(tensorBytes({ dims: [4096, 4096], type: 12 }), (4096 * 4096 / 256) * 144); // Q4_K
    assert.equal(tensorBytes({ dims: [64], type: 0 }), 256);
    assert.equal(tensorBytes({ dims: [64], type: 99 }), undefined);
    // 1 layer x 1 KV head x (4 + 4) x 2 bytes
    assert.equal(kvBytesPerToken(await readGguf(model())), 16);
  });

  it('the writer and reader agree with a file written to disk', async () => {
    const m = tinyModel(16, 2);
    const p = join(dir, 'w.gguf');
    writeGguf(p, m.meta, m.tensors);
    const info = await readGguf(p);
    assert.equal(info.tensors.length, 5);
    assert.equal(info.expectedSize, info.fileSize);
  });
});
