"""Model identity: the model hash, file-layout independence, quantized weights, the reference model."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import torch
from aetron_inference import (
    REFERENCE_CONFIG,
    REFERENCE_MODEL_HASH,
    InferenceError,
    LlamaConfig,
    ModelWeights,
    corpus_bytes,
    load_reference_model,
    load_reference_weights,
    random_weights,
)
from aetron_inference.quant import FORMATS, QuantizedTensor

TINY = LlamaConfig(259, 64, 128, 1, 2, 1, 64, 10_000, 1e-5, True)


def test_the_shipped_reference_model_has_the_pinned_hash() -> None:
    path = resources.files("aetron_inference").joinpath("data", "reference-model.safetensors")
    assert path.stat().st_size <= 10 * 2**20  # type: ignore[attr-defined]
    weights = load_reference_weights()
    assert weights.config == REFERENCE_CONFIG and weights.quant_format == "fp32"
    assert weights.model_hash() == REFERENCE_MODEL_HASH


def test_the_reference_model_predicts_its_corpus_confidently() -> None:
    model = load_reference_model()
    windows = torch.tensor(list(corpus_bytes()[-8 * 257 :])).view(8, 257)
    with torch.inference_mode():
        logits = model(windows[:, :-1]).reshape(-1, model.config.vocab_size)
    loss = torch.nn.functional.cross_entropy(logits, windows[:, 1:].reshape(-1)).item()
    top1 = torch.softmax(logits, -1).max(-1).values.mean().item()
    print(f"held-out loss {loss:.3f} nats/byte, perplexity {math.exp(loss):.2f}, top-1 {top1:.3f}")
    assert loss < 1.0 and top1 > 0.6


def test_hash_ignores_dict_order_and_file_layout(tmp_path: Path) -> None:
    tensors = random_weights(TINY, b"layout")
    forward = ModelWeights.from_float(TINY, tensors)
    backward = ModelWeights.from_float(TINY, dict(reversed(list(tensors.items()))))
    assert forward.model_hash() == backward.model_hash()
    forward.save(tmp_path / "a.safetensors")
    assert ModelWeights.load(tmp_path / "a.safetensors").model_hash() == forward.model_hash()


def test_one_ulp_in_one_weight_changes_the_model_hash() -> None:
    tensors = random_weights(TINY, b"ulp")
    base = ModelWeights.from_float(TINY, tensors).model_hash()
    name = "model.layers.0.mlp.down_proj.weight"
    moved = dict(tensors)
    moved[name] = tensors[name].clone()
    moved[name][3, 7] = torch.nextafter(moved[name][3, 7], torch.tensor(1.0))
    assert ModelWeights.from_float(TINY, moved).model_hash() != base


def test_the_config_is_part_of_the_identity() -> None:
    tensors = random_weights(TINY, b"config")
    other = LlamaConfig(**{**TINY.__dict__, "rope_theta": 500_000})
    assert (
        ModelWeights.from_float(TINY, tensors).model_hash()
        != ModelWeights.from_float(other, tensors).model_hash()
    )


def test_every_format_gives_a_distinct_model_hash_and_round_trips(tmp_path: Path) -> None:
    fp32 = ModelWeights.from_float(TINY, random_weights(TINY, b"formats"))
    hashes = {}
    for fmt in FORMATS:
        weights = fp32.quantize(fmt)
        hashes[fmt] = weights.model_hash()
        if fmt != "fp32":
            matrix = weights.tensors["model.layers.0.self_attn.q_proj.weight"]
            assert isinstance(matrix, QuantizedTensor) and matrix.format == fmt
            assert isinstance(weights.tensors["model.norm.weight"], torch.Tensor)
        weights.save(tmp_path / f"{fmt}.safetensors")
        loaded = ModelWeights.load(tmp_path / f"{fmt}.safetensors")
        assert loaded.quant_format == fmt and loaded.model_hash() == hashes[fmt]
    assert len(set(hashes.values())) == len(FORMATS) == 18


def test_quantized_weights_decode_deterministically() -> None:
    weights = ModelWeights.from_float(TINY, random_weights(TINY, b"decode")).quantize("nf4")
    a, b = weights.dequantized(), weights.dequantized()
    assert all(torch.equal(a[n], b[n]) and a[n].dtype == torch.float32 for n in a)


def test_requantizing_and_unknown_formats_are_refused() -> None:
    fp32 = ModelWeights.from_float(TINY, random_weights(TINY, b"r"))
    with pytest.raises(InferenceError) as caught:
        fp32.quantize("int4").quantize("nf4")
    assert caught.value.code == "INFERENCE.REQUANTIZE"
    with pytest.raises(InferenceError) as caught:
        fp32.quantize("int3")
    assert caught.value.code == "INFERENCE.UNKNOWN_FORMAT"


def test_stored_weights_must_match_config_and_format(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    nf4 = ModelWeights.from_float(TINY, random_weights(TINY, b"v")).quantize("nf4")
    mixed = dict(nf4.tensors)
    mixed["model.layers.0.mlp.up_proj.weight"] = random_weights(TINY, b"v")[
        "model.layers.0.mlp.up_proj.weight"
    ]
    with pytest.raises(InferenceError) as caught:
        ModelWeights(TINY, "nf4", mixed)
    assert caught.value.code == "INFERENCE.BAD_WEIGHTS"
    save_file({"x": np.zeros(3, dtype=np.float32)}, str(tmp_path / "bare.safetensors"))
    with pytest.raises(InferenceError) as caught:
        ModelWeights.load(tmp_path / "bare.safetensors")
    assert caught.value.code == "INFERENCE.BAD_WEIGHTS"
