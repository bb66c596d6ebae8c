"""The Llama-style model: Hugging Face weight names, cached decoding equal to prefill, backends."""

from __future__ import annotations

import pytest
import torch
from aetron_inference import (
    BOS_ID,
    REFERENCE_CONFIG,
    InferenceError,
    KVCache,
    LlamaConfig,
    LlamaForCausalLM,
    ModelWeights,
    configure,
    decode_bytes,
    default_spec,
    detect_platforms,
    encode_bytes,
    random_weights,
)

SMALL = LlamaConfig(
    vocab_size=259,
    hidden_size=64,
    intermediate_size=128,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=4,
    max_position_embeddings=96,
    rope_theta=10_000,
    rms_norm_eps=1e-6,
    tie_word_embeddings=False,
)


def cpu_arch() -> str:
    return next(p.hardware_arch for p in detect_platforms() if p.device == "cpu")


def test_weight_names_follow_hugging_face_llama() -> None:
    names = set(REFERENCE_CONFIG.weight_shapes())
    assert "model.layers.0.self_attn.q_proj.weight" in names
    assert "model.layers.3.mlp.down_proj.weight" in names
    assert "model.embed_tokens.weight" in names and "model.norm.weight" in names
    assert "lm_head.weight" not in names  # tied
    assert "lm_head.weight" in SMALL.weight_shapes()
    model = LlamaForCausalLM.from_weights(SMALL, random_weights(SMALL, b"s"))
    assert set(model.state_dict()) == set(SMALL.weight_shapes())


def test_byte_tokens_round_trip() -> None:
    text = b"\x00caf\xc3\xa9\xff"
    tokens = encode_bytes(text)
    assert tokens[0] == BOS_ID and decode_bytes(tokens) == text


def test_random_weights_are_a_function_of_the_seed() -> None:
    a, b = random_weights(SMALL, b"seed"), random_weights(SMALL, b"seed")
    c = random_weights(SMALL, b"other")
    name = "model.layers.1.mlp.up_proj.weight"
    assert torch.equal(a[name], b[name]) and not torch.equal(a[name], c[name])
    assert abs(float(a[name].std()) - 0.02) < 0.002


@pytest.mark.parametrize("dtype", ["fp32", "bf16"])
@pytest.mark.parametrize("attention", ["eager", "sdpa-math"])
@pytest.mark.parametrize("config", [REFERENCE_CONFIG, SMALL], ids=["gqa-tied", "mha-untied"])
def test_cached_decoding_reproduces_prefill_bit_for_bit(
    dtype: str, attention: str, config: LlamaConfig
) -> None:
    runtime = configure(
        default_spec(hardware_arch=cpu_arch(), compute_dtype=dtype, attention_backend=attention)
    )
    model = ModelWeights.from_float(config, random_weights(config, b"decode")).build(runtime)
    ids = torch.randint(0, 256, (2, 40), generator=torch.Generator().manual_seed(3))
    with torch.inference_mode():
        prefill = model(ids, KVCache(config, 2, 48, runtime.dtype))
        cache = KVCache(config, 2, 48, runtime.dtype)
        steps = [model(ids[:, :7], cache)] + [model(ids[:, i : i + 1], cache) for i in range(7, 40)]
    assert cache.length == 40
    assert torch.equal(torch.cat(steps, dim=1), prefill)


def test_backends_agree_to_rounding() -> None:
    weights = random_weights(SMALL, b"backends")
    ids = torch.randint(0, 259, (1, 33), generator=torch.Generator().manual_seed(4))
    outputs = {}
    for attention in ("eager", "sdpa-math", "sdpa-flash"):
        model = LlamaForCausalLM.from_weights(SMALL, weights, attention=attention)
        with torch.inference_mode():
            outputs[attention] = model(ids)
    for out in outputs.values():
        torch.testing.assert_close(out, outputs["eager"], rtol=1e-4, atol=1e-4)


def test_cache_overflow_and_length_are_refused() -> None:
    model = LlamaForCausalLM.from_weights(SMALL, random_weights(SMALL, b"x"))
    cache = KVCache(SMALL, 1, 8, torch.float32)
    with pytest.raises(InferenceError) as caught:
        model(torch.zeros(1, 9, dtype=torch.long), cache)
    assert caught.value.code == "INFERENCE.CACHE_CAPACITY" and cache.length == 0
    with pytest.raises(InferenceError) as caught:
        model(torch.zeros(1, 97, dtype=torch.long))
    assert caught.value.code == "INFERENCE.TOO_LONG"
    with pytest.raises(InferenceError) as caught:
        KVCache(SMALL, 1, 97, torch.float32)
    assert caught.value.code == "INFERENCE.CACHE_CAPACITY"


def test_wrong_weights_are_refused() -> None:
    weights = random_weights(SMALL, b"x")
    del weights["lm_head.weight"]
    with pytest.raises(InferenceError) as caught:
        LlamaForCausalLM.from_weights(SMALL, weights)
    assert caught.value.code == "INFERENCE.BAD_WEIGHTS"


def test_random_weights_known_answer() -> None:
    # specs/inference.md, "Random weights": the stream is BLAKE3's, fixed for every release.
    from aetron_inference._reference import REFERENCE_INIT_SEED

    first = random_weights(REFERENCE_CONFIG, REFERENCE_INIT_SEED)["model.embed_tokens.weight"]
    bits = first.flatten()[:4].view(torch.int32).tolist()
    assert [b & 0xFFFFFFFF for b in bits] == [0x3CC71DEB, 0x3BF763B6, 0xBAEFCE41, 0x3CCE0FD8]
