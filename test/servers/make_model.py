"""A tiny random-weight Qwen2 model with the real Qwen2 tokenizer, and four LoRA adapters, for the
real-server test layer. No download: the tokenizer comes from the llama.cpp tree's vocab-only file and
the GGUF writer from its gguf-py.

usage: make_model.py LLAMA_TREE OUT_DIR [medium]
writes OUT_DIR/tiny-raw.gguf (replies carry invalid UTF-8: the server fails them mid-stream),
OUT_DIR/tiny-clean.gguf (an output bias keeps byte fragments and special tokens out of replies), and
OUT_DIR/{retrieval,planning,coding,debugging}.gguf (rank-8 adapters on both layers' matrices).
With `medium`: only OUT_DIR/medium-clean.gguf, 8 layers 512 wide (~400 MB), and its coding.gguf, for the
benchmark (where the model's own compute, not the per-token overhead, should dominate a token).
"""
import os
import sys

import numpy as np

TREE, OUT = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(TREE, "gguf-py"))
import gguf  # noqa: E402

MEDIUM = sys.argv[3:] == ["medium"]
N_EMBD, N_LAYER, N_HEAD, N_HEAD_KV, N_FF, RANK = (512, 8, 8, 2, 1408, 8) if MEDIUM else (64, 2, 4, 2, 128, 8)
KV_DIM = N_EMBD // N_HEAD * N_HEAD_KV
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
MATRICES = {  # name -> (out, in), numpy order (ggml's ne reversed)
    "attn_q": (N_EMBD, N_EMBD), "attn_k": (KV_DIM, N_EMBD), "attn_v": (KV_DIM, N_EMBD), "attn_output": (N_EMBD, N_EMBD),
    "ffn_gate": (N_FF, N_EMBD), "ffn_up": (N_FF, N_EMBD), "ffn_down": (N_EMBD, N_FF),
}


def vocab():
    """The tokenizer key/values of the vocab-only Qwen2 file, as (key, type, value) to copy."""
    reader = gguf.GGUFReader(os.path.join(TREE, "models", "ggml-vocab-qwen2.gguf"))
    out = []
    for field in reader.fields.values():
        if not field.name.startswith("tokenizer.") or field.name == "tokenizer.chat_template":
            continue
        kind = field.types[0]
        if kind == gguf.GGUFValueType.ARRAY:
            sub = field.types[-1]
            if sub == gguf.GGUFValueType.STRING:
                value = [bytes(field.parts[i]).decode("utf-8", errors="surrogateescape") for i in field.data]
            else:
                value = [field.parts[i].tolist()[0] for i in field.data]
            out.append((field.name, kind, value, sub))
        elif kind == gguf.GGUFValueType.STRING:
            out.append((field.name, kind, bytes(field.parts[field.data[0]]).decode("utf-8"), None))
        else:
            out.append((field.name, kind, field.parts[field.data[0]].tolist()[0], None))
    return out


def byte_decoder():
    """GPT-2's byte-level alphabet back to bytes."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def clean_bias(tokens, types):
    """-100 on tokens that are not whole UTF-8 text (byte fragments) and on special tokens but the end."""
    dec = byte_decoder()
    bias = np.zeros(len(tokens), dtype=np.float32)
    for i, (tok, kind) in enumerate(zip(tokens, types)):
        if kind != 1:  # not a normal token
            bias[i] = 0.0 if tok == "<|im_end|>" else -100.0
            continue
        try:
            bytes(dec[ch] for ch in tok).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            bias[i] = -100.0
    return bias


def write_model(path, kv, n_vocab, rng, bias=None):
    w = gguf.GGUFWriter(path, "qwen2")
    w.add_name("mapcoder-lite tiny test model")
    w.add_context_length(32768)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(1000000.0)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    for key, kind, value, sub in kv:
        if kind == gguf.GGUFValueType.ARRAY:
            w.add_key_value(key, value, kind, sub_type=sub)
        else:
            w.add_key_value(key, value, kind)
    w.add_chat_template(CHAT_TEMPLATE)
    f = lambda *shape: (rng.standard_normal(shape) * 0.5).astype(np.float32)  # noqa: E731
    w.add_tensor("token_embd.weight", f(n_vocab, N_EMBD))
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    if bias is not None:
        w.add_tensor("output.bias", bias)
    for i in range(N_LAYER):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        for name, shape in MATRICES.items():
            w.add_tensor(f"blk.{i}.{name}.weight", f(*shape))
        for name, size in (("attn_q", N_EMBD), ("attn_k", KV_DIM), ("attn_v", KV_DIM)):
            w.add_tensor(f"blk.{i}.{name}.bias", f(size))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def write_adapter(path, rng):
    w = gguf.GGUFWriter(path, "qwen2")
    w.add_string("general.type", "adapter")
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", float(RANK))
    for i in range(N_LAYER):
        for name, (out, inp) in MATRICES.items():
            w.add_tensor(f"blk.{i}.{name}.weight.lora_a", (rng.standard_normal((RANK, inp)) * 0.5).astype(np.float32))
            w.add_tensor(f"blk.{i}.{name}.weight.lora_b", (rng.standard_normal((out, RANK)) * 0.5).astype(np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    kv = vocab()
    tokens = next(v for k, _, v, _ in kv if k == "tokenizer.ggml.tokens")
    types = next(v for k, _, v, _ in kv if k == "tokenizer.ggml.token_type")
    if MEDIUM:
        write_model(os.path.join(OUT, "medium-clean.gguf"), kv, len(tokens), np.random.default_rng(7), clean_bias(tokens, types))
        write_adapter(os.path.join(OUT, "coding.gguf"), np.random.default_rng(102))
        return
    write_model(os.path.join(OUT, "tiny-raw.gguf"), kv, len(tokens), np.random.default_rng(7))
    write_model(os.path.join(OUT, "tiny-clean.gguf"), kv, len(tokens), np.random.default_rng(7), clean_bias(tokens, types))
    for seed, agent in enumerate(("retrieval", "planning", "coding", "debugging")):
        write_adapter(os.path.join(OUT, f"{agent}.gguf"), np.random.default_rng(100 + seed))


main()
