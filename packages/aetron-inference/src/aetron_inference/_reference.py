"""The shipped reference model and the corpus it was trained on."""

from __future__ import annotations

from functools import cache
from importlib import resources

from ._errors import InferenceError
from ._model import LlamaForCausalLM
from ._runtime import Runtime
from ._weights import ModelWeights

__all__ = [
    "REFERENCE_INIT_SEED",
    "REFERENCE_MODEL_HASH",
    "corpus_bytes",
    "load_reference_model",
    "load_reference_weights",
]

REFERENCE_INIT_SEED = b"AETRON reference model v1"
"""Seed of the random weights training started from (`random_weights`)."""
REFERENCE_MODEL_HASH = bytes.fromhex(
    "b97af8eabf549a1d940a6f2b49ea7d3226e6c25084d26b34e9a874a091d5c9cd"
)
"""Model hash of the shipped weights in format fp32 (specs/inference.md, "Reference model")."""
_FILE = "reference-model.safetensors"


def corpus_bytes() -> bytes:
    """The training text shipped with the package (``data/corpus.txt``, ASCII)."""
    return resources.files("aetron_inference").joinpath("data", "corpus.txt").read_bytes()


@cache
def _fp32_weights() -> ModelWeights:
    with resources.as_file(resources.files("aetron_inference").joinpath("data", _FILE)) as path:
        weights = ModelWeights.load(path)
    if weights.model_hash() != REFERENCE_MODEL_HASH:
        raise InferenceError(
            "INFERENCE.MODEL_HASH_MISMATCH", f"{_FILE} does not have the pinned model hash"
        )
    return weights


@cache
def load_reference_weights(quant_format: str = "fp32") -> ModelWeights:
    """The reference model's weights, quantized to ``quant_format`` (checked against its hash)."""
    return _fp32_weights().quantize(quant_format)


def load_reference_model(runtime: Runtime | None = None) -> LlamaForCausalLM:
    """The reference model built for ``runtime`` (its spec's format, dtype, device, attention).

    Without a runtime: fp32 weights, float32 compute, eager attention, on the CPU.
    """
    fmt = "fp32" if runtime is None else runtime.quant_format
    return load_reference_weights(fmt).build(runtime)
