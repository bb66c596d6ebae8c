"""The canonical sampler: logits to a token by integer arithmetic and a counter-based RNG.

Everything after the logits is exact: each float32 logit becomes a fixed-point integer, the
temperature and the exponential are integer operations on at most 64-bit values, and the random
draw is BLAKE3 of the seed and the token's index. Any implementation that follows
specs/inference.md ("Sampling") makes every sampling decision this module makes.
"""

from __future__ import annotations

import blake3
import numpy as np
import numpy.typing as npt
from aetron_types import InferenceRequest

from ._errors import InferenceError

__all__ = [
    "SAMPLER_EXP_TERMS",
    "SAMPLER_LN2_Q32",
    "SAMPLER_LOG2E_Q16",
    "SAMPLER_LOGIT_CLAMP",
    "SAMPLER_LOGIT_FRAC_BITS",
    "SAMPLER_RNG_TAG",
    "SAMPLER_WEIGHT_BITS",
    "candidate_order",
    "candidate_weights",
    "exp2_neg_q32",
    "rng_u64",
    "sample_tokens",
]

SAMPLER_LOGIT_FRAC_BITS = 16
"""Fractional bits of the fixed-point logit: ``floor(clamp(z) * 2**16)``."""
SAMPLER_LOGIT_CLAMP = 2**15
"""Logits are clamped to ``[-2**15, 2**15]`` first, so every intermediate fits in 64 bits."""
SAMPLER_WEIGHT_BITS = 32
"""The most likely candidate weighs exactly ``2**32``; the others weigh less."""
SAMPLER_LOG2E_Q16 = 94548
"""``floor(log2(e) * 2**16)``: turns a logit gap into powers of two."""
SAMPLER_LN2_Q32 = 2977044471
"""``floor(ln(2) * 2**32)``: turns a power-of-two fraction back into a natural exponent."""
SAMPLER_EXP_TERMS = 12
"""Taylor terms of ``exp(-u)`` after the constant one; ``u < ln 2`` so 12 are plenty."""
SAMPLER_RNG_TAG = b"AETRON/sample/v1"
"""Domain tag of the sampler's random stream."""

_Q32 = 1 << 32
_MASK32 = np.uint64(_Q32 - 1)
_PPM = 1_000_000

IntArray = npt.NDArray[np.int64]


def rng_u64(seed: int, index: int) -> int:
    """The sampler's random word for response token ``index`` of a request seeded ``seed``.

    The first 8 bytes, little-endian, of BLAKE3(``SAMPLER_RNG_TAG`` || u64le(seed) || u32le(index)).
    """
    message = SAMPLER_RNG_TAG + seed.to_bytes(8, "little") + index.to_bytes(4, "little")
    return int.from_bytes(blake3.blake3(message).digest(length=8), "little")


def _fixed_logits(logits: npt.NDArray[np.float32]) -> IntArray:
    if not np.isfinite(logits).all():
        raise InferenceError("INFERENCE.NONFINITE_LOGITS", "a logit is NaN or infinite")
    # float32 -> float64 and the power-of-two scaling are exact, so is the floor.
    clamped = np.clip(logits.astype(np.float64), -SAMPLER_LOGIT_CLAMP, SAMPLER_LOGIT_CLAMP)
    return np.floor(clamped * float(1 << SAMPLER_LOGIT_FRAC_BITS)).astype(np.int64)


def candidate_order(logits: npt.NDArray[np.float32]) -> tuple[IntArray, IntArray]:
    """Fixed-point logits ``a`` and every row's token ids ordered by (``a`` descending, id ascending).

    ``logits`` is ``[rows, vocab]`` float32; both results have its shape. Raises
    ``INFERENCE.NONFINITE_LOGITS`` for a NaN or infinite logit.
    """
    fixed = _fixed_logits(logits)
    order = np.argsort(-fixed, axis=1, kind="stable").astype(np.int64)
    return fixed, order


def exp2_neg_q32(frac: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """``2**32 * 2**(-frac / 2**32)`` by the spec's integer series, for ``0 <= frac < 2**32``.

    ``u = (frac * SAMPLER_LN2_Q32) >> 32``; ``term_0 = 2**32``;
    ``term_k = ((term_{k-1} * u) >> 32) // k``; the result is the alternating sum of the terms.
    Every product is below ``2**64``. ``exp2_neg_q32(0) == 2**32``.
    """
    u = (frac * np.uint64(SAMPLER_LN2_Q32)) >> np.uint64(32)
    term = np.full(frac.shape, _Q32, dtype=np.uint64)
    total = term.astype(np.int64)
    for k in range(1, SAMPLER_EXP_TERMS + 1):
        term = ((term * u) >> np.uint64(32)) // np.uint64(k)
        signed = term.astype(np.int64)
        total = total + signed if k % 2 == 0 else total - signed
    return total.astype(np.uint64)


def _exponents(gaps: IntArray, temperature_milli: int) -> npt.NDArray[np.uint64]:
    scaled = gaps.astype(np.uint64) * np.uint64(1000 * SAMPLER_LOG2E_Q16)
    exponents: npt.NDArray[np.uint64] = scaled // np.uint64(temperature_milli)
    return exponents


def candidate_weights(gaps: IntArray, temperature_milli: int) -> IntArray:
    """Integer weights of candidates whose fixed-point logits sit ``gaps`` below the best one.

    ``y = gap * 1000 * SAMPLER_LOG2E_Q16 // temperature_milli`` is the weight's base-2 exponent in
    Q32; the weight is ``exp2_neg_q32(y mod 2**32) >> (y >> 32)``, or 0 from ``y >> 32 >= 32``.
    """
    y = _exponents(gaps, temperature_milli)
    shift = y >> np.uint64(32)
    small = shift < np.uint64(SAMPLER_WEIGHT_BITS)
    mantissa = exp2_neg_q32(y & _MASK32)
    weights = np.where(small, mantissa >> np.where(small, shift, np.uint64(0)), np.uint64(0))
    return weights.astype(np.int64)


def sample_tokens(
    logits: npt.NDArray[np.float32], request: InferenceRequest, first_index: int
) -> IntArray:
    """The sampler's decision for each row of ``logits`` (``[rows, vocab]`` float32).

    Row ``i`` decides response token ``first_index + i`` of ``request``: greedy when its
    ``temperature_milli`` is 0, else temperature, top-k and top-p as specs/inference.md says.
    """
    rows = logits.shape[0]
    fixed = _fixed_logits(logits)
    if request.temperature_milli == 0:
        # The first candidate: the largest fixed-point logit, the lowest id among equals.
        greedy: IntArray = np.argmax(fixed, axis=1).astype(np.int64)
        return greedy
    # Only candidates of nonzero weight can be drawn or move a threshold, and in the candidate
    # order they all come first: order just those (the same decisions, in O(vocab) per row).
    gaps = fixed.max(axis=1, keepdims=True) - fixed
    live = _exponents(gaps, request.temperature_milli) >> np.uint64(32) < SAMPLER_WEIGHT_BITS
    width = int(live.sum(axis=1).max())
    if request.top_k:
        width = min(width, request.top_k)
    vocab = logits.shape[1]
    key = np.where(live, -fixed * vocab + np.arange(vocab), np.iinfo(np.int64).max)
    part = np.argpartition(key, width - 1, axis=1)[:, :width]
    keep = np.take_along_axis(part, np.argsort(np.take_along_axis(key, part, 1), 1), 1)
    weights = candidate_weights(np.take_along_axis(gaps, keep, 1), request.temperature_milli)
    cumulative = np.cumsum(weights, axis=1)
    # Products of up to 113 bits: Python integers (object arrays), everything else int64.
    total = cumulative[:, -1].astype(object)
    threshold = (-(-request.top_p_ppm * total // _PPM)).astype(np.int64)
    count = (cumulative < threshold[:, None]).sum(axis=1) + 1
    mass = cumulative[np.arange(rows), count - 1].astype(object)
    words = np.array([rng_u64(request.seed, first_index + i) for i in range(rows)], dtype=object)
    draw = ((words * mass) >> 64).astype(np.int64)
    # The first kept candidate whose cumulative weight exceeds the draw (always before `count`).
    chosen = (cumulative <= draw[:, None]).sum(axis=1)
    result: IntArray = keep[np.arange(rows), chosen]
    return result
