import { strict as assert } from 'node:assert';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pickQuant, resolveUrl } from '../../../src/core/engine/hf';
import { cachePath, describeSource, parseSource } from '../../../src/core/engine/source';

describe('engine/source: models as users give them', () => {
  it('paths: absolute, relative to the folder, ~', () => {
    assert.deepEqual(parseSource('/m/q.gguf'), { kind: 'file', path: '/m/q.gguf' });
    assert.deepEqual(parseSource('q.gguf', '/work'), { kind: 'file', path: '/work/q.gguf' });
    assert.deepEqual(parseSource('~/m/q.gguf'), { kind: 'file', path: join(homedir(), 'm/q.gguf') });
  });

  it('hub forms: owner/repo:quant, owner/repo/path/file.gguf, owner/repo', () => {
    assert.deepEqual(parseSource('hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M'), { kind: 'hf', repo: 'Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF', quant: 'Q4_K_M' });
    assert.deepEqual(parseSource('hf:me/adapters/lora/coding.gguf'), { kind: 'hf', repo: 'me/adapters', file: 'lora/coding.gguf' });
    assert.deepEqual(parseSource('hf:me/model'), { kind: 'hf', repo: 'me/model' });
    assert.equal(describeSource(parseSource('hf:me/adapters/lora/coding.gguf')), 'hf:me/adapters/lora/coding.gguf');
  });

  it('bad hub forms say what the form is', () => {
    assert.throws(() => parseSource('hf:justone'), /use hf:owner\/repo:QUANT/);
    assert.throws(() => parseSource('hf:me/m/../../etc/x.gguf'), /not a hub model/);
    assert.throws(() => parseSource('hf:me/m/readme.md'), /must be a \.gguf/);
    assert.throws(() => parseSource('hf:me/m/a.gguf:Q4'), /not both/);
  });

  it('URLs: https, http from loopback only, #sha256= checked', () => {
    assert.deepEqual(parseSource('https://x.org/m.gguf'), { kind: 'url', url: 'https://x.org/m.gguf' });
    const sha = 'a'.repeat(64);
    assert.deepEqual(parseSource(`https://x.org/m.gguf#sha256=${sha}`), { kind: 'url', url: 'https://x.org/m.gguf', sha256: sha });
    assert.equal(parseSource('http://127.0.0.1:9/m.gguf').kind, 'url');
    assert.throws(() => parseSource('http://x.org/m.gguf'), /over https:\/\//);
    assert.throws(() => parseSource('ftp://x.org/m.gguf'), /over https:\/\//);
    assert.throws(() => parseSource('https://x.org/m.gguf#sha256=123'), /64 hex digits/);
    assert.throws(() => parseSource('https://x.org/m.gguf#top'), /only fragment/);
  });

  it('cache paths: the hub by repository and file, URLs by a hash of the URL', () => {
    assert.equal(cachePath('/c', { kind: 'hf', repo: 'o/r', quant: 'Q4' }, 'sub/m.gguf'), '/c/hf/o/r/sub/m.gguf');
    const a = cachePath('/c', { kind: 'url', url: 'https://x.org/a/m.gguf' });
    const b = cachePath('/c', { kind: 'url', url: 'https://y.org/a/m.gguf' });
    assert.match(a, /^\/c\/url\/[0-9a-f]{16}\/m\.gguf$/);
    assert.notEqual(a, b);
  });

  it('resolve URLs keep the file path, escaped per segment', () => {
    assert.equal(resolveUrl('https://hub', 'o/r', 'a b/m.gguf'), 'https://hub/o/r/resolve/main/a%20b/m.gguf');
  });
});

describe('engine/hf: which files a quantization names', () => {
  const files = (...paths: string[]) => paths.map((path) => ({ path }));

  it('Q4_K_M by default; a named quant; case does not matter; not a longer quant', () => {
    const repo = files('README.md', 'm-Q4_K_M.gguf', 'm-Q4_K.gguf', 'm-Q8_0.gguf', 'mmproj-m-Q4_K_M.gguf');
    assert.deepEqual(pickQuant(repo, 'o/r'), files('m-Q4_K_M.gguf'));
    assert.deepEqual(pickQuant(repo, 'o/r', 'q8_0'), files('m-Q8_0.gguf'));
    assert.deepEqual(pickQuant(repo, 'o/r', 'Q4_K'), files('m-Q4_K.gguf'));
  });

  it('a split model is all its parts, in order; an incomplete one is not offered', () => {
    const repo = files('m-q4_k_m-00002-of-00002.gguf', 'm-q4_k_m-00001-of-00002.gguf', 'm-q8_0-00001-of-00002.gguf');
    assert.deepEqual(pickQuant(repo, 'o/r'), files('m-q4_k_m-00001-of-00002.gguf', 'm-q4_k_m-00002-of-00002.gguf'));
    assert.match(pickQuant(repo, 'o/r', 'Q8_0') as string, /has no Q8_0 model; it has: m-q4_k_m\.gguf/);
  });

  it('the only model when no quant is named and there is no Q4_K_M', () => {
    assert.deepEqual(pickQuant(files('tiny.gguf'), 'o/r'), files('tiny.gguf'));
  });

  it('says what is there, or that two models match', () => {
    assert.match(pickQuant(files('a-Q8_0.gguf', 'b-Q6_K.gguf'), 'o/r') as string, /hf:o\/r has no Q4_K_M model; it has: a-Q8_0\.gguf, b-Q6_K\.gguf/);
    assert.match(pickQuant(files('x/m-Q4_K_M.gguf', 'y/m-Q4_K_M.gguf'), 'o/r') as string, /matches 2 models.*name the file/);
    assert.match(pickQuant(files('README.md'), 'o/r') as string, /holds no GGUF model/);
  });
});
