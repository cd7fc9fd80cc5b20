import { open, type FileHandle } from 'node:fs/promises';

// Reads a GGUF file's header (metadata and tensor table) without loading its weights, so that a file
// that is not GGUF, is cut short, or is an adapter made for another base model is refused with one
// line before any native code sees it. Format: github.com/ggml-org/ggml/blob/master/docs/gguf.md.

export type GgufValue = number | bigint | boolean | string | { array: number };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the row length. */
  dims: number[];
  type: number;
  /** From the start of the data section. */
  offset: number;
}

export interface GgufInfo {
  path: string;
  version: number;
  /** Arrays are kept as their length only (the vocabulary alone holds ~150k strings). */
  metadata: Map<string, GgufValue>;
  tensors: GgufTensor[];
  fileSize: number;
  /** Where the data section ends by the tensor table: a shorter file is truncated. */
  expectedSize: number;
}

export class GgufError extends Error {
  override name = 'GgufError';
}

/** ggml type id -> [elements per block, bytes per block] (gguf-py's GGML_QUANT_SIZES). */
const TYPE_SIZES: Record<number, [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 40],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  16: [256, 66], 17: [256, 74], 18: [256, 98], 19: [256, 50], 20: [32, 18], 21: [256, 110], 22: [256, 82],
  23: [256, 136], 24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8], 29: [256, 56], 30: [1, 2],
  34: [256, 54], 35: [256, 66], 39: [32, 17], 40: [64, 36], 41: [128, 18], 42: [64, 18],
};

/** Bytes of one tensor; undefined for a type this table does not know. */
export function tensorBytes(t: Pick<GgufTensor, 'dims' | 'type'>): number | undefined {
  const size = TYPE_SIZES[t.type];
  if (!size) return undefined;
  const elements = t.dims.reduce((n, d) => n * d, 1);
  return Math.ceil(elements / size[0]) * size[1];
}

// Bounds against a hostile or corrupt header: far above any real model's.
const MAX_STRING = 64 * 1024 * 1024;
const MAX_COUNT = 1 << 24;
const CHUNK = 1 << 20;

/** A forward-only reader over a file handle, a chunk at a time. */
class Cursor {
  private buf = Buffer.alloc(0);
  private at = 0;
  /** File position of buf[0]. */
  private base = 0;
  constructor(private readonly fh: FileHandle, private readonly size: number, private readonly what: string) {}

  get position(): number {
    return this.base + this.at;
  }

  private async need(n: number): Promise<void> {
    if (this.at + n <= this.buf.length) return;
    const start = this.position;
    if (start + n > this.size) throw new GgufError(`${this.what} is truncated: its header ends early (at byte ${this.size})`);
    const len = Math.min(this.size - start, Math.max(n, CHUNK));
    const next = Buffer.alloc(len);
    const { bytesRead } = await this.fh.read(next, 0, len, start);
    if (bytesRead < n) throw new GgufError(`${this.what} is truncated: its header ends early`);
    this.buf = next.subarray(0, bytesRead);
    this.base = start;
    this.at = 0;
  }

  async u32(): Promise<number> {
    await this.need(4);
    const v = this.buf.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }

  async u64(): Promise<bigint> {
    await this.need(8);
    const v = this.buf.readBigUInt64LE(this.at);
    this.at += 8;
    return v;
  }

  async count(label: string, max = MAX_COUNT): Promise<number> {
    const n = await this.u64();
    if (n > BigInt(max)) throw new GgufError(`${this.what} is not a usable GGUF file: ${label} ${n} is out of range`);
    return Number(n);
  }

  async bytes(n: number): Promise<Buffer> {
    if (n <= CHUNK) {
      await this.need(n);
      const v = this.buf.subarray(this.at, this.at + n);
      this.at += n;
      return v;
    }
    const out = Buffer.alloc(n);
    const start = this.position;
    if (start + n > this.size) throw new GgufError(`${this.what} is truncated: its header ends early`);
    await this.fh.read(out, 0, n, start);
    this.buf = Buffer.alloc(0);
    this.base = start + n;
    this.at = 0;
    return out;
  }

  async string(): Promise<string> {
    return (await this.bytes(await this.count('a string length', MAX_STRING))).toString('utf8');
  }

  async skip(n: number): Promise<void> {
    if (this.at + n <= this.buf.length) {
      this.at += n;
      return;
    }
    const to = this.position + n;
    if (to > this.size) throw new GgufError(`${this.what} is truncated: its header ends early`);
    this.buf = Buffer.alloc(0);
    this.base = to;
    this.at = 0;
  }

  /** A scalar of GGUF value type `type`. */
  async scalar(type: number): Promise<number | bigint | boolean | string> {
    const widths: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
    if (type === 8) return this.string();
    const w = widths[type];
    if (!w) throw new GgufError(`${this.what} is not a usable GGUF file: unknown value type ${type}`);
    await this.need(w);
    const b = this.buf;
    const i = this.at;
    this.at += w;
    switch (type) {
      case 0: return b.readUInt8(i);
      case 1: return b.readInt8(i);
      case 2: return b.readUInt16LE(i);
      case 3: return b.readInt16LE(i);
      case 4: return b.readUInt32LE(i);
      case 5: return b.readInt32LE(i);
      case 6: return b.readFloatLE(i);
      case 7: return b.readUInt8(i) !== 0;
      case 10: return b.readBigUInt64LE(i);
      case 11: return b.readBigInt64LE(i);
      default: return b.readDoubleLE(i);
    }
  }

  async value(type: number): Promise<GgufValue> {
    if (type !== 9) return this.scalar(type);
    const inner = await this.u32();
    const n = await this.count('an array length');
    const fixed: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
    if (fixed[inner]) await this.skip(n * fixed[inner]);
    else if (inner === 8) for (let i = 0; i < n; i++) await this.skip(await this.count('a string length', MAX_STRING));
    else throw new GgufError(`${this.what} is not a usable GGUF file: an array of type ${inner}`);
    return { array: n };
  }
}

/** The header of the GGUF file at `path`; throws GgufError (one line) for anything else. */
export async function readGguf(path: string, label = path): Promise<GgufInfo> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GgufError(code === 'ENOENT' ? `${label} does not exist` : `${label} cannot be read (${code ?? String(e)})`);
  }
  try {
    const { size } = await fh.stat();
    const c = new Cursor(fh, size, label);
    if (size < 24 || (await c.bytes(4)).toString('latin1') !== 'GGUF') throw new GgufError(`${label} is not a GGUF model file`);
    const version = await c.u32();
    if (version < 2 || version > 3) {
      throw new GgufError(version > 0xffff ? `${label} is a big-endian GGUF file; only little-endian ones load here` : `${label} is GGUF version ${version}; versions 2 and 3 load here`);
    }
    const tensorCount = await c.count('the tensor count');
    const kvCount = await c.count('the metadata count');
    const metadata = new Map<string, GgufValue>();
    for (let i = 0; i < kvCount; i++) {
      const key = await c.string();
      metadata.set(key, await c.value(await c.u32()));
    }
    const tensors: GgufTensor[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = await c.string();
      const nDims = await c.u32();
      if (nDims > 8) throw new GgufError(`${label} is not a usable GGUF file: tensor ${name} has ${nDims} dimensions`);
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(await c.count(`a dimension of ${name}`, Number.MAX_SAFE_INTEGER));
      const type = await c.u32();
      const offset = Number(await c.u64());
      tensors.push({ name, dims, type, offset });
    }
    const alignment = Number(metadata.get('general.alignment') ?? 32) || 32;
    const dataOffset = Math.ceil(c.position / alignment) * alignment;
    const end = tensors.reduce((m, t) => Math.max(m, t.offset + (tensorBytes(t) ?? 0)), 0);
    return { path, version, metadata, tensors, fileSize: size, expectedSize: dataOffset + end };
  } finally {
    await fh.close();
  }
}

/** The string value of `key`, if it is one. */
export function metaString(info: GgufInfo, key: string): string | undefined {
  const v = info.metadata.get(key);
  return typeof v === 'string' ? v : undefined;
}

/** The numeric value of `key`, if it is one. */
export function metaNumber(info: GgufInfo, key: string): number | undefined {
  const v = info.metadata.get(key);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

export function isAdapter(info: GgufInfo): boolean {
  return metaString(info, 'general.type') === 'adapter';
}

/** One line on what is wrong with `info` as a model to load; undefined when nothing is. */
export function modelProblem(info: GgufInfo, label: string): string | undefined {
  if (isAdapter(info)) return `${label} is a LoRA adapter, not a model: give it with --lora AGENT=FILE and a base model with --local`;
  if (!metaString(info, 'general.architecture')) return `${label} is a GGUF file without general.architecture: not a model llama.cpp can load`;
  if (info.tensors.length === 0) return `${label} holds no tensors (a vocabulary-only file?): not a model`;
  return truncation(info, label);
}

function truncation(info: GgufInfo, label: string): string | undefined {
  if (info.fileSize >= info.expectedSize) return undefined;
  return `${label} is truncated: ${formatBytes(info.fileSize)} of ${formatBytes(info.expectedSize)} (an interrupted download or copy?)`;
}

/**
 * One line on why `adapter` cannot apply to `model`, else undefined: the checks llama.cpp makes when
 * it loads one (same architecture, each lora_a/lora_b pair over a tensor of the base with matching shape).
 */
export function adapterProblem(model: GgufInfo, adapter: GgufInfo, label: string): string | undefined {
  if (!isAdapter(adapter) || metaString(adapter, 'adapter.type') !== 'lora') return `${label} is not a LoRA adapter (general.type is ${metaString(adapter, 'general.type') ?? 'missing'})`;
  const cut = truncation(adapter, label);
  if (cut) return cut;
  const arch = metaString(model, 'general.architecture');
  const theirs = metaString(adapter, 'general.architecture');
  if (theirs !== arch) return `${label} is an adapter for a ${theirs ?? 'unnamed'} model; the model is ${arch ?? 'unnamed'}`;
  const base = new Map(model.tensors.map((t) => [t.name, t]));
  const byName = new Map(adapter.tensors.map((t) => [t.name, t]));
  let pairs = 0;
  for (const a of adapter.tensors) {
    if (!a.name.endsWith('.lora_a')) continue;
    const target = a.name.slice(0, -'.lora_a'.length);
    const b = byName.get(`${target}.lora_b`);
    const w = base.get(target);
    if (!b) return `${label} has ${a.name} without its lora_b`;
    if (!w) return `${label} changes ${target}, which the model does not have: an adapter for another base model`;
    // The token embedding's pair is stored flipped (llama.cpp's llm_build_inp_embd).
    const [cols, rows] = target.startsWith('token_embd') ? [b.dims[1], a.dims[1]] : [a.dims[0], b.dims[1]];
    if (w.dims[0] !== cols || w.dims[1] !== rows) {
      return `${label} does not fit the model: ${target} is ${w.dims.slice(0, 2).join('x')} in the model, the adapter expects ${cols}x${rows} (an adapter for another base model)`;
    }
    if (!target.startsWith('token_embd') && a.dims[1] !== b.dims[0]) return `${label} has ${target}'s lora_a not transposed (an adapter from llama.cpp's old finetune example)`;
    pairs++;
  }
  return pairs ? undefined : `${label} holds no LoRA tensors`;
}

/** KV-cache bytes per token of context (f16 keys and values, every layer). */
export function kvBytesPerToken(info: GgufInfo): number {
  const arch = metaString(info, 'general.architecture') ?? '';
  const n = (k: string) => metaNumber(info, `${arch}.${k}`);
  const layers = n('block_count') ?? 0;
  const embd = n('embedding_length') ?? 0;
  const heads = n('attention.head_count') ?? 1;
  const kvHeads = n('attention.head_count_kv') ?? heads;
  const keyLen = n('attention.key_length') ?? embd / heads;
  const valueLen = n('attention.value_length') ?? embd / heads;
  return layers * kvHeads * (keyLen + valueLen) * 2;
}

/** Bytes to three significant digits in decimal units (2.41 kB, 45.7 MB, 4.68 GB). */
export function formatBytes(n: number): string {
  for (const [unit, size] of [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]] as const) {
    if (n >= size) return `${parseFloat((n / size).toPrecision(3))} ${unit}`;
  }
  return `${n} B`;
}
