"""Diffusion: the replay's fast paths give exactly what the definitions in the spec give."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

import blake3
import numpy as np
import pytest
import torch
from aetron_inference import SpecMismatch, default_spec, make_request
from aetron_inference._commitment import bf16_bits
from aetron_inference._errors import InferenceError
from aetron_inference.diffusion import (
    DIFFUSION_NOISE_TAG,
    Denoiser,
    initial_noise,
    load_diffusion_model,
    open_chain,
    replay_diffusion,
    replay_steps,
    serve_diffusion,
)
from aetron_inference.diffusion._chain import _artifact, _sample_bf16, _sums_of_squares
from aetron_types import ArtifactKind, ExecutionSpec, QuantFormat, ValidationArtifact
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

FLOAT32 = st.floats(width=32, allow_nan=False, allow_infinity=False)


@cache
def _model() -> Denoiser:
    return load_diffusion_model()


def _cpu_spec(**changes: object) -> ExecutionSpec:
    from aetron_inference import detect_platforms

    offered = {p.hardware_arch for p in detect_platforms()}
    arch = next(a for a in ("x86_64-avx512", "x86_64-avx2", "aarch64") if a in offered)
    spec = default_spec(hardware_arch=arch)
    return ExecutionSpec(**{**dict(spec), **changes}) if changes else spec


def _bf16_reference(value: float) -> int:
    """Round a float to float32, then to bfloat16 (nearest, ties to even), by the definition."""
    bits = int(np.asarray(value, np.float32).view(np.uint32))
    return (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16


def _exact_sum_of_squares(values: list[float]) -> float:
    # The exact sum as a fraction, rounded once (Fraction to float is correctly rounded).
    return float(sum((Fraction(v) ** 2 for v in values), Fraction(0)))


def _rms_reference(values: list[float]) -> int:
    return _bf16_reference(math.sqrt(_exact_sum_of_squares(values) / len(values)))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(FLOAT32, min_size=1, max_size=70), min_size=1, max_size=8))
def test_sums_of_squares_are_exactly_rounded(rows: list[list[float]]) -> None:
    latents = [np.asarray(r, np.float32) for r in rows]
    assert _sums_of_squares(latents) == [_exact_sum_of_squares(r) for r in rows]
    assert _sample_bf16(latents) == [_rms_reference(r) for r in rows]


def test_sums_of_squares_keep_what_float64_addition_drops() -> None:
    # 1 plus 64 squares of 2**-27 (2**-54 each): added to 1 one by one in float64, each square
    # rounds away (numpy's own sum does so too); their total, 2**-48, survives one rounding.
    row = np.asarray([1.0] + [2.0**-27] * 64, np.float32)
    assert _sums_of_squares([row]) == [1.0 + 2.0**-48]
    assert float(np.sum(np.square(row, dtype=np.float64))) != 1.0 + 2.0**-48


def test_sample_rms_at_the_edges_of_float32() -> None:
    tiny, huge = float(np.float32(2**-149)), float(np.finfo(np.float32).max)
    rows = [[tiny] * 64, [huge] * 64, [huge, tiny] + [0.0] * 62, [0.0] * 64, [-3.5, 2**-20] * 32]
    assert _sample_bf16([np.asarray(r, np.float32) for r in rows]) == [
        _rms_reference(r) for r in rows
    ]
    assert _sample_bf16([]) == []


@settings(max_examples=300, deadline=None)
@given(bits=st.lists(st.integers(0, 2**32 - 1), max_size=16))
def test_bf16_bits_rounds_to_nearest_even(bits: list[int]) -> None:
    values = np.asarray(bits, np.uint32).view(np.float32)
    assert bf16_bits(values) == [(b + 0x7FFF + ((b >> 16) & 1)) >> 16 for b in bits]


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), size=st.integers(1, 300))
def test_noise_is_the_exact_sum_of_its_words(seed: int, size: int) -> None:
    stream = blake3.blake3(DIFFUSION_NOISE_TAG + seed.to_bytes(8, "little")).digest(48 * size)
    words = [int.from_bytes(stream[4 * i : 4 * i + 4], "little") for i in range(12 * size)]
    expected = [
        float(Fraction(sum(words[12 * i : 12 * i + 12]) - 6 * 2**32, 2**32)) for i in range(size)
    ]
    assert initial_noise(seed, size).tobytes() == np.asarray(expected, np.float32).tobytes()


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**64 - 1),
    prompt=st.sampled_from([b"", b"\x00", b"\x09"]),
    steps=st.integers(1, 100),
    quant=st.sampled_from(list(QuantFormat)),
    commitment=st.binary(min_size=32, max_size=32),
    data=st.data(),
)
def test_artifact_encoding_is_the_canonical_one(
    seed: int,
    prompt: bytes,
    steps: int,
    quant: QuantFormat,
    commitment: bytes,
    data: st.DataObject,
) -> None:
    request = make_request(prompt, max_new_tokens=steps, seed=seed)
    spec = _cpu_spec(quant_format=quant)
    count = min(steps, 8)
    samples = [data.draw(arrays(np.float32, 64, elements=FLOAT32)) for _ in range(count)]
    encoded = _artifact(request, spec, steps, 64, commitment, samples)
    indices = (
        [k + 1 for k in range(steps)] if steps < 8 else [(j + 1) * steps // 8 for j in range(8)]
    )
    values = _sample_bf16(samples)
    # Built through the validating constructor: the codecs the fast path calls give its bytes.
    expected = ValidationArtifact(
        kind=ArtifactKind.diffusion,
        quant_format=quant,
        sample_count=count,
        prompt_len=steps,
        output_len=64,
        seed=seed,
        request_hash=request.hash(),
        context_hash=blake3.blake3(prompt).digest(),
        commitment=commitment,
        sample_ids=tuple(indices + [0] * (8 - count)),
        sample_values=tuple(values + [0] * (8 - count)),
    )
    assert encoded == expected.encode()


def _replays(spec: ExecutionSpec | None = None) -> bool:
    request = make_request(b"\x02", max_new_tokens=20, seed=5)
    spec = spec or _cpu_spec()
    served = serve_diffusion(_model(), request, spec=spec)
    steps = replay_steps(b"b" * 64, 0, 20)
    opening = open_chain(served.chain, steps)
    return replay_diffusion(
        _model(), request, served.latent, served.artifact, opening, steps, spec=spec
    )


@pytest.mark.parametrize(
    "disturb",
    [
        lambda: torch.set_num_threads(2),
        lambda: torch.use_deterministic_algorithms(False),
        lambda: torch.use_deterministic_algorithms(True, warn_only=True),
        lambda: torch.set_float32_matmul_precision("medium"),
    ],
)
def test_a_disturbed_runtime_is_pinned_again(disturb: object) -> None:
    assert _replays()
    disturb()  # type: ignore[operator]
    assert _replays()
    assert torch.get_num_threads() == 1
    assert torch.are_deterministic_algorithms_enabled()
    assert not torch.is_deterministic_algorithms_warn_only_enabled()
    assert torch.get_float32_matmul_precision() == "highest"


def test_the_spec_check_still_refuses_after_a_good_spec() -> None:
    assert _replays()
    with pytest.raises(SpecMismatch):
        _replays(_cpu_spec(torch_version="0.0.1"))
    with pytest.raises(SpecMismatch):
        _replays(_cpu_spec(torch_version="0.0.1"))


def test_a_moved_denoiser_is_refused() -> None:
    model = load_diffusion_model()
    request = make_request(b"\x01", max_new_tokens=5, seed=1)
    serve_diffusion(model, request, spec=_cpu_spec())
    model.to("meta")
    assert model.device.type == "meta" and model.weight("in_proj").device.type == "meta"
    with pytest.raises(InferenceError, match="denoiser on meta"):
        serve_diffusion(model, request, spec=_cpu_spec())


def test_a_nan_sample_is_refused_not_raised() -> None:
    # A negative NaN with a full payload has no bfloat16 pattern in u16: the artifact cannot
    # be rebuilt, so no artifact matches, whatever the miner committed to.
    request = make_request(b"\x02", max_new_tokens=8, seed=3)
    served = serve_diffusion(_model(), request, spec=_cpu_spec())
    chain = list(served.chain)
    chain[4] = chain[4].copy()
    chain[4].view(np.uint32)[0] = 0xFFFFFFFF
    steps = (1,)
    opening = open_chain(chain, steps)
    assert not replay_diffusion(
        _model(), request, chain[-1], served.artifact, opening, steps, spec=_cpu_spec()
    )
