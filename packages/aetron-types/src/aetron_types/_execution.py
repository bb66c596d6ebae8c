"""The canonical execution spec a task pins, and the inference request a client sends."""

from __future__ import annotations

import math
from typing import Annotated

from . import _errors as err
from ._constants import MAX_LABEL_BYTES, MAX_PROMPT_BYTES, MILLI, PPM
from ._model import CanonicalModel
from ._scalars import (
    U16,
    U32,
    U64,
    AttentionBackendField,
    ComputeDtypeField,
    HardwareArchField,
    QuantFormatField,
)
from ._wire import Label, UInt, VarBytes

__all__ = ["ExecutionSpec", "InferenceRequest", "temperature_to_milli", "top_p_to_ppm"]

VersionLabel = Annotated[str, Label(MAX_LABEL_BYTES)]


class ExecutionSpec(CanonicalModel):
    """Everything that decides a model's output bits: the canonical execution of a task.

    Two executions under equal specs MUST give bit-identical logits; a replay is only meaningful
    between miners that run the same spec.
    """

    compute_dtype: ComputeDtypeField
    """The dtype activations are computed in."""
    quant_format: QuantFormatField
    """The format the weights are stored and dequantised in."""
    hardware_arch: HardwareArchField
    """The processor family the execution is pinned to."""
    attention_backend: AttentionBackendField
    """The attention kernel family."""
    torch_version: VersionLabel
    """The PyTorch release, for example ``2.13.0``."""
    cuda_version: VersionLabel
    """The CUDA toolkit release, ``""`` when none is used."""
    rocm_version: VersionLabel
    """The ROCm release, ``""`` when none is used."""
    thread_count: U16
    """Intra-op CPU threads; reduction order, and so the result bits, can depend on it."""


class InferenceRequest(CanonicalModel):
    """One request to a task: prompt and sampling parameters, all integers.

    Its hash (:func:`request_hash`) is what a validation artifact binds to.
    """

    prompt: Annotated[bytes, VarBytes(MAX_PROMPT_BYTES, code=err.PROMPT_TOO_LONG)]
    """The prompt bytes (UTF-8 text for language models), at most ``MAX_PROMPT_BYTES``."""
    max_new_tokens: U32
    """Most tokens to generate."""
    seed: U64
    """Seed of the sampler's random stream."""
    temperature_milli: U32
    """Sampling temperature times 1000 (see :func:`temperature_to_milli`); 0 means greedy."""
    top_k: U32
    """Keep only the ``top_k`` most likely tokens; 0 turns the filter off."""
    top_p_ppm: Annotated[int, UInt(32, lo=1, hi=PPM)]
    """Nucleus mass in parts per million, 1 to 1,000,000; 1,000,000 turns the filter off."""


def _scaled(value: float, unit: int) -> int:
    # One IEEE-754 binary64 multiplication (correctly rounded, so the same everywhere), then
    # round half to even: Python's round(), and roundeven / round_ties_even elsewhere.
    if not math.isfinite(value) or value < 0:
        raise err.AetronTypesError(err.OUT_OF_RANGE, f"{value!r} is not a finite value >= 0")
    return round(value * unit)


def temperature_to_milli(temperature: float) -> int:
    """``temperature_milli`` for a float temperature: ``round(temperature * 1000)``.

    The product is one binary64 multiplication and the rounding is half to even, so
    ``0.0005`` gives 0 and ``0.0015`` gives 2.
    """
    return UInt(32).check(_scaled(temperature, MILLI))


def top_p_to_ppm(top_p: float) -> int:
    """``top_p_ppm`` for a float nucleus mass in ``(0, 1]``: ``round(top_p * 1_000_000)``."""
    return UInt(32, lo=1, hi=PPM).check(_scaled(top_p, PPM))
