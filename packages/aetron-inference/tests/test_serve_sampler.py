"""The canonical sampler: exact integer arithmetic, reproducible draws, the right distribution."""

from __future__ import annotations

import math

import blake3
import numpy as np
import pytest
from aetron_inference._errors import InferenceError
from aetron_inference._sampling import (
    SAMPLER_EXP_TERMS,
    SAMPLER_LN2_Q32,
    SAMPLER_LOG2E_Q16,
    candidate_order,
    exp2_neg_q32,
    rng_u64,
    sample_tokens,
)
from aetron_types import InferenceRequest
from hypothesis import given, settings
from hypothesis import strategies as st


def _request(t: int, k: int, p: int, seed: int = 7) -> InferenceRequest:
    return InferenceRequest(
        prompt=b"", max_new_tokens=1, seed=seed, temperature_milli=t, top_k=k, top_p_ppm=p
    )


def _spec_sample(logits: list[float], t: int, k: int, p: int, seed: int, index: int) -> int:
    """specs/inference.md "Sampling", transcribed step by step with Python integers."""
    fixed = [math.floor(min(max(z, -(2**15)), 2**15) * 2**16) for z in logits]
    order = sorted(range(len(logits)), key=lambda i: (-fixed[i], i))
    if t == 0:
        return order[0]
    keep = order if k == 0 else order[:k]
    weights = []
    for i in keep:
        y = (fixed[order[0]] - fixed[i]) * 1000 * SAMPLER_LOG2E_Q16 // t
        shift, frac = y >> 32, y & (2**32 - 1)
        u = frac * SAMPLER_LN2_Q32 >> 32
        term = total = 2**32
        for j in range(1, SAMPLER_EXP_TERMS + 1):
            term = (term * u >> 32) // j
            total += term if j % 2 == 0 else -term
        weights.append(total >> shift if shift < 32 else 0)
    total_weight = sum(weights)
    cumulative, count = 0, 0
    while cumulative * 1_000_000 < p * total_weight:
        cumulative += weights[count]
        count += 1
    word = blake3.blake3(
        b"AETRON/sample/v1" + seed.to_bytes(8, "little") + index.to_bytes(4, "little")
    ).digest(8)
    r = int.from_bytes(word, "little") * cumulative >> 64
    running = 0
    for j in range(count):
        running += weights[j]
        if running > r:
            return keep[j]
    raise AssertionError("the draw fell outside the kept mass")


finite32 = st.floats(min_value=-40, max_value=40, width=32)


@settings(max_examples=200, deadline=None)
@given(
    logits=st.lists(finite32, min_size=1, max_size=40),
    t=st.sampled_from([0, 1, 300, 1000, 2500, 10**6]),
    k=st.integers(0, 45),
    p=st.integers(1, 1_000_000),
    seed=st.integers(0, 2**64 - 1),
    index=st.integers(0, 2**32 - 1),
)
def test_vectorised_sampler_is_the_spec(
    logits: list[float], t: int, k: int, p: int, seed: int, index: int
) -> None:
    row = np.asarray([logits], dtype=np.float32)
    got = int(sample_tokens(row, _request(t, k, p, seed), index)[0])
    assert got == _spec_sample(row[0].tolist(), t, k, p, seed, index)


def test_rows_decide_consecutive_indices() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(30, 50)).astype(np.float32) * 3
    request = _request(900, 20, 950_000, seed=99)
    together = sample_tokens(logits, request, 5)
    alone = [int(sample_tokens(logits[i : i + 1], request, 5 + i)[0]) for i in range(30)]
    assert together.tolist() == alone


def test_greedy_takes_the_first_maximum() -> None:
    row = np.asarray([[1.0, 3.0, -2.0, 3.0]], dtype=np.float32)
    assert sample_tokens(row, _request(0, 0, 1_000_000), 0).tolist() == [1]


def test_exp2_is_exact_at_zero_and_close_elsewhere() -> None:
    frac = np.arange(0, 2**32, 2**22, dtype=np.uint64)
    got = exp2_neg_q32(frac).astype(np.float64) / 2**32
    want = np.exp2(-frac.astype(np.float64) / 2**32)
    assert int(exp2_neg_q32(np.zeros(1, dtype=np.uint64))[0]) == 2**32
    assert np.max(np.abs(got - want)) < 2**-29


def test_rng_word_is_blake3_of_seed_and_index() -> None:
    word = blake3.blake3(b"AETRON/sample/v1" + (5).to_bytes(8, "little") + bytes(4)).digest(8)
    assert rng_u64(5, 0) == int.from_bytes(word, "little")
    assert rng_u64(5, 0) != rng_u64(5, 1) != rng_u64(6, 1)


def test_top_k_and_top_p_keep_only_their_candidates() -> None:
    rng = np.random.default_rng(2)
    row = rng.normal(size=(1, 100)).astype(np.float32) * 2
    rows = np.repeat(row, 3000, axis=0)
    order = candidate_order(row)[1][0]
    chosen = set(sample_tokens(rows, _request(1500, 7, 1_000_000), 0).tolist())
    assert chosen <= set(order[:7].tolist())
    probs = np.exp((row[0] - row[0].max()).astype(np.float64))
    mass = np.cumsum(probs[order]) / probs.sum()
    nucleus = int(np.searchsorted(mass, 0.6)) + 1
    chosen = set(sample_tokens(rows, _request(1000, 0, 600_000), 0).tolist())
    assert chosen <= set(order[:nucleus].tolist())


def test_frequencies_follow_softmax_over_temperature() -> None:
    rng = np.random.default_rng(3)
    row = rng.normal(size=(1, 20)).astype(np.float32) * 1.5
    draws = 40_000
    for temperature_milli in (500, 1000, 2000):
        choices = sample_tokens(np.repeat(row, draws, 0), _request(temperature_milli, 0, 10**6), 0)
        counts = np.bincount(choices, minlength=20)
        z = row[0].astype(np.float64) * 1000 / temperature_milli
        p = np.exp(z - z.max())
        p /= p.sum()
        chi2 = float((((counts - draws * p) ** 2) / (draws * p)).sum())
        # 19 degrees of freedom: P(chi2 > 50) is about 1e-4 for a correct sampler.
        assert chi2 < 50, (temperature_milli, chi2)


def test_non_finite_logits_are_refused() -> None:
    row = np.asarray([[0.0, np.nan]], dtype=np.float32)
    with pytest.raises(InferenceError) as caught:
        sample_tokens(row, _request(0, 0, 10**6), 0)
    assert caught.value.code == "INFERENCE.NONFINITE_LOGITS"
