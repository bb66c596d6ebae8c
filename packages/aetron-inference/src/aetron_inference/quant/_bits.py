"""Exact arithmetic on float32 bit patterns: splitting, rounding, and packing narrow codes.

Every rounding decision in the subpackage is made here, on integers, so that no result depends
on a floating-point rounding mode, on fused operations or on a library's cast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "F32",
    "U8",
    "Float32Parts",
    "Ints",
    "float32_from_bits",
    "pack_codes",
    "power_of_two",
    "round_float",
    "round_integer",
    "split_float32",
    "unpack_codes",
]

F32 = npt.NDArray[np.float32]
Ints = npt.NDArray[np.signedinteger[Any]]
U8 = npt.NDArray[np.uint8]
Bools = npt.NDArray[np.bool_]
Rounding = Literal["even", "away", "down"]

# A right shift by this much leaves nothing of a 24-bit significand and rounds it to zero.
_MAX_SHIFT = 25


@dataclass(frozen=True)
class Float32Parts:
    """A float32 array taken apart: ``|x| = significand * 2**(exponent - 23)``.

    The integers are int32, which holds every intermediate of the rounding below and halves the
    memory traffic of int64. Subnormal inputs are normalised, so ``significand`` has bit 23 set
    for every non-zero value.
    Infinity splits as ``2**23 * 2**(128 - 23)``, one binade above the largest finite float32,
    so that every saturating encoder treats it as the overflow it is. At NaN positions the
    significand and exponent are meaningless; ``nan`` marks them.
    """

    negative: Bools
    zero: Bools
    nan: Bools
    significand: Ints
    exponent: Ints


def split_float32(x: F32) -> Float32Parts:
    """Split float32 values into sign, normalised 24-bit significand and unbiased exponent."""
    bits = np.asarray(x, dtype=np.float32, order="C").view(np.int32)
    magnitude = bits & 0x7FFFFFFF
    field = magnitude >> 23
    mantissa = magnitude & 0x7FFFFF
    zero = magnitude == 0
    subnormal = (field == 0) & ~zero
    significand = mantissa | 0x800000
    exponent = field - 127
    if subnormal.any():
        # frexp of an integer below 2**23 is exact; it gives the position of the leading one.
        lead = np.frexp(mantissa.astype(np.float64))[1].astype(np.int32) - 1
        significand = np.where(subnormal, mantissa << np.clip(23 - lead, 0, 23), significand)
        exponent = np.where(subnormal, lead - 149, exponent)
    return Float32Parts(
        negative=bits < 0,
        zero=zero,
        nan=magnitude > 0x7F800000,
        significand=significand,
        exponent=exponent,
    )


def _shift_round(value: Ints, shift: Ints, rounding: Rounding) -> Ints:
    """``value / 2**shift`` rounded to an integer; ``shift`` is at least 1 everywhere."""
    kept = value >> shift
    rest = value - (kept << shift)
    half = np.left_shift(1, shift - 1)
    if rounding == "even":
        up = (rest > half) | ((rest == half) & ((kept & 1) == 1))
    elif rounding == "away":
        up = rest >= half
    else:
        return kept
    return kept + up


def round_float(
    parts: Float32Parts, mantissa_bits: int, bias: int, scale_exp: Ints | int = 0
) -> Ints:
    """Magnitude code of ``|x| * 2**-scale_exp`` in a binary format, rounded to nearest even.

    The format has ``mantissa_bits`` stored fraction bits, exponent bias ``bias`` and
    subnormals; its exponent range is unbounded above, so a result beyond the format's largest
    finite value comes back as a larger code and the caller saturates (or rejects) it. The
    code of a value is ``(biased exponent << mantissa_bits) | fraction``; carries out of the
    fraction move into the exponent, as they must.
    """
    emin = 1 - bias
    exponent = parts.exponent - scale_exp
    shift = np.minimum((23 - mantissa_bits) + np.maximum(emin - exponent, 0), _MAX_SHIFT)
    rounded = _shift_round(parts.significand, shift, "even")
    code = ((np.maximum(exponent, emin) - emin) << mantissa_bits) + rounded
    return np.where(parts.zero, 0, code)


def round_integer(parts: Float32Parts, scale_exp: Ints | int, rounding: Rounding) -> Ints:
    """``|x| * 2**scale_exp`` rounded to an integer magnitude.

    ``rounding`` is ``"even"`` (ties to even), ``"away"`` (ties away from zero, C ``roundf``)
    or ``"down"`` (toward zero, a C cast). The result is exact below 2**23; a larger magnitude
    comes back as its significand, some integer in [2**23, 2**24), which every caller clamps
    far below.
    """
    shift = 23 - (parts.exponent + scale_exp)
    rounded = _shift_round(parts.significand, np.clip(shift, 1, _MAX_SHIFT), rounding)
    return np.where(parts.zero, 0, np.where(shift <= 0, parts.significand, rounded))


def float32_from_bits(bits: npt.NDArray[np.integer]) -> F32:
    """The float32 values whose bit patterns are ``bits``."""
    return np.asarray(bits, dtype=np.uint32, order="C").view(np.float32)


def power_of_two(exponent: Ints | int) -> F32:
    """``2**exponent`` as float32, built from its bit pattern; exact for exponents in [-149, 127]."""
    e = np.asarray(exponent, dtype=np.int64)
    normal = (e + 127) << 23
    subnormal = np.left_shift(1, np.clip(e + 149, 0, 22))
    return float32_from_bits(np.where(e >= -126, normal, subnormal))


def pack_codes(codes: Ints, bits: int) -> U8:
    """Pack codes of ``bits`` bits (4, 6 or 8) into bytes, least significant bits first.

    Code ``i`` occupies bits ``[bits*i, bits*i + bits)`` of a little-endian bit string: two
    4-bit codes per byte with the first in the low nibble; four 6-bit codes per three bytes.
    The number of codes must be a multiple of 8 / gcd(bits, 8).
    """
    flat = codes.reshape(-1)
    if bits == 8:
        return flat.astype(np.uint8)
    if bits == 4:
        pairs = flat.reshape(-1, 2)
        return (pairs[:, 0] | (pairs[:, 1] << 4)).astype(np.uint8)
    quads = flat.reshape(-1, 4)
    word = quads[:, 0] | (quads[:, 1] << 6) | (quads[:, 2] << 12) | (quads[:, 3] << 18)
    return (
        np.stack([word & 0xFF, (word >> 8) & 0xFF, word >> 16], axis=1).astype(np.uint8).reshape(-1)
    )


def unpack_codes(data: U8, bits: int) -> Ints:
    """Inverse of :func:`pack_codes`: every code in ``data``, in order."""
    raw = data.astype(np.int32)
    if bits == 8:
        return raw
    if bits == 4:
        return np.stack([raw & 0xF, raw >> 4], axis=1).reshape(-1)
    triples = raw.reshape(-1, 3)
    word = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
    return np.stack([(word >> (6 * i)) & 0x3F for i in range(4)], axis=1).reshape(-1)
