"""Element encodings (FP8, FP6, FP4, E8M0 and the IEEE halves) and their exact codecs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from . import _errors
from ._arrays import as_float32, as_integers
from ._bits import (
    F32,
    U8,
    Float32Parts,
    Ints,
    float32_from_bits,
    power_of_two,
    round_float,
    split_float32,
)
from ._errors import QuantError

__all__ = [
    "BF16",
    "DECODED_NAN_BITS",
    "E8M0",
    "E8M0_BIAS",
    "E8M0_MAX_CODE",
    "E8M0_NAN_CODE",
    "ELEMENTS",
    "FP4_E2M1",
    "FP6_E2M3",
    "FP6_E3M2",
    "FP8_E4M3",
    "FP8_E5M2",
    "FP16",
    "FloatElement",
    "decode_elements",
    "encode_elements",
    "encode_float",
    "float_from_bf16_bits",
    "float_from_fp16_bits",
]

E8M0_BIAS = 127
E8M0_MAX_CODE = 0xFE
E8M0_NAN_CODE = 0xFF
DECODED_NAN_BITS = 0x7FC00000


@dataclass(frozen=True)
class FloatElement:
    """A signed binary floating-point element: sign, exponent field, mantissa field.

    ``max_code`` is the magnitude code of the largest finite value. ``nan_code`` is the
    magnitude code written for a NaN input, or None when the format has no NaN. With
    ``ieee_specials`` the all-ones exponent field holds infinities (fraction 0) and NaNs
    (fraction non-zero), as in IEEE 754; otherwise only ``nan_code`` (if any) is special.
    """

    name: str
    exponent_bits: int
    mantissa_bits: int
    bias: int
    max_code: int
    nan_code: int | None
    ieee_specials: bool

    @property
    def bits(self) -> int:
        """Width of a code: sign, exponent and mantissa bits."""
        return 1 + self.exponent_bits + self.mantissa_bits

    @property
    def emax(self) -> int:
        """Unbiased exponent of the largest finite value (the MX spec's ``emax_elem``)."""
        return (self.max_code >> self.mantissa_bits) - self.bias

    @property
    def max_value(self) -> float:
        """The largest finite value."""
        return float(self.table()[self.max_code])

    def table(self) -> F32:
        """Float32 value of every code, indexed by code; read-only."""
        return _float_table(self)


FP8_E4M3 = FloatElement("fp8_e4m3", 4, 3, 7, 0x7E, 0x7F, ieee_specials=False)
FP8_E5M2 = FloatElement("fp8_e5m2", 5, 2, 15, 0x7B, 0x7F, ieee_specials=True)
FP6_E2M3 = FloatElement("fp6_e2m3", 2, 3, 1, 0x1F, None, ieee_specials=False)
FP6_E3M2 = FloatElement("fp6_e3m2", 3, 2, 3, 0x1F, None, ieee_specials=False)
FP4_E2M1 = FloatElement("fp4_e2m1", 2, 1, 1, 0x7, None, ieee_specials=False)
FP16 = FloatElement("fp16", 5, 10, 15, 0x7BFF, 0x7FFF, ieee_specials=True)
BF16 = FloatElement("bf16", 8, 7, 127, 0x7F7F, 0x7FFF, ieee_specials=True)
E8M0 = "e8m0"

ELEMENTS = ("fp8_e4m3", "fp8_e5m2", "fp6_e2m3", "fp6_e3m2", "fp4_e2m1", "e8m0")
"""The element names :func:`encode_elements` and :func:`decode_elements` accept."""

_FLOAT_ELEMENTS = {e.name: e for e in (FP8_E4M3, FP8_E5M2, FP6_E2M3, FP6_E3M2, FP4_E2M1)}


@cache
def _float_table(element: FloatElement) -> F32:
    codes = np.arange(1 << element.bits, dtype=np.int64)
    sign_bit = 1 << (element.bits - 1)
    magnitude = codes & (sign_bit - 1)
    field = magnitude >> element.mantissa_bits
    fraction = magnitude & ((1 << element.mantissa_bits) - 1)
    significand = np.where(field == 0, fraction, fraction | (1 << element.mantissa_bits))
    exponent = np.maximum(field, 1) - element.bias - element.mantissa_bits
    # Every value has at most 11 significant bits and an exponent inside float32's range.
    values = np.ldexp(significand.astype(np.float64), exponent)
    table = np.where(codes & sign_bit, -values, values).astype(np.float32)
    bits = table.view(np.uint32)
    sign32 = np.where(codes & sign_bit, 0x80000000, 0).astype(np.uint32)
    top = (1 << element.exponent_bits) - 1
    if element.ieee_specials:
        special = field == top
        bits[special & (fraction == 0)] = (0x7F800000 | sign32)[special & (fraction == 0)]
        bits[special & (fraction != 0)] = (DECODED_NAN_BITS | sign32)[special & (fraction != 0)]
    elif element.nan_code is not None:
        nan = magnitude == element.nan_code
        bits[nan] = (DECODED_NAN_BITS | sign32)[nan]
    table.flags.writeable = False
    return table


@cache
def _e8m0_table() -> F32:
    table = power_of_two(np.arange(256, dtype=np.int64) - E8M0_BIAS).copy()
    table.view(np.uint32)[E8M0_NAN_CODE] = DECODED_NAN_BITS
    table.flags.writeable = False
    return table


def encode_float(parts: Float32Parts, element: FloatElement, scale_exp: Ints | int = 0) -> Ints:
    """Codes of ``x * 2**-scale_exp``: round to nearest even, saturate to the largest finite.

    NaN positions get meaningless codes; callers reject or replace them.
    """
    magnitude = np.minimum(
        round_float(parts, element.mantissa_bits, element.bias, scale_exp), element.max_code
    )
    return magnitude | (parts.negative.astype(np.int32) << (element.bits - 1))


def _encode_e8m0(parts: Float32Parts) -> Ints:
    if (parts.negative & ~parts.zero & ~parts.nan).any():
        raise QuantError(_errors.NEGATIVE_NOT_REPRESENTABLE, "e8m0 holds positive values only")
    # The nearest power of two; a tie (significand exactly 1.5) goes to the larger one.
    nearest = parts.exponent + E8M0_BIAS + (parts.significand >= 0xC00000)
    code = np.where(parts.zero, 0, np.clip(nearest, 0, E8M0_MAX_CODE))
    return np.where(parts.nan, E8M0_NAN_CODE, code)


def encode_elements(values: Any, element: str) -> U8:
    """Encode float values as element codes, one uint8 per value, same shape.

    ``element`` is one of :data:`ELEMENTS`. A code is the element's bit pattern in the low bits
    of the byte, sign bit highest. Floating-point elements round to nearest with ties to even
    and saturate every magnitude beyond the largest finite value (infinities included) to it;
    NaN becomes the element's NaN code with the input's sign, or raises
    ``QUANT.NAN_NOT_REPRESENTABLE`` where the element has no NaN. ``e8m0`` gives the nearest
    power of two in ``[2**-127, 2**127]`` with ties to the larger, maps NaN to ``0xFF`` and
    raises ``QUANT.NEGATIVE_NOT_REPRESENTABLE`` for values below zero.
    """
    if element != E8M0 and element not in _FLOAT_ELEMENTS:
        raise QuantError(_errors.UNKNOWN_ELEMENT, repr(element))
    array = as_float32(values)
    parts = split_float32(array)
    if element == E8M0:
        return _encode_e8m0(parts).astype(np.uint8).reshape(array.shape)
    spec = _FLOAT_ELEMENTS[element]
    codes = encode_float(parts, spec)
    if parts.nan.any():
        if spec.nan_code is None:
            raise QuantError(_errors.NAN_NOT_REPRESENTABLE, f"{element} has no NaN")
        nan_codes = spec.nan_code | (parts.negative.astype(np.int32) << (spec.bits - 1))
        codes = np.where(parts.nan, nan_codes, codes)
    return codes.astype(np.uint8).reshape(array.shape)


def decode_elements(codes: Any, element: str) -> F32:
    """Decode element codes to float32, exactly, same shape.

    Codes must be integers in ``[0, 2**bits)`` (``QUANT.CODE_OUT_OF_RANGE``). NaN codes decode
    to the float32 quiet NaN ``0x7FC00000`` carrying the code's sign (``e8m0``: unsigned).
    """
    if element == E8M0:
        table = _e8m0_table()
    elif element in _FLOAT_ELEMENTS:
        table = _FLOAT_ELEMENTS[element].table()
    else:
        raise QuantError(_errors.UNKNOWN_ELEMENT, repr(element))
    indices = as_integers(codes)
    if indices.size and (int(indices.min()) < 0 or int(indices.max()) >= table.size):
        raise QuantError(_errors.CODE_OUT_OF_RANGE, f"{element} codes lie in [0, {table.size})")
    return table[indices]


def float_from_fp16_bits(bits: Ints) -> F32:
    """The float32 values of IEEE binary16 bit patterns (exact)."""
    return FP16.table()[bits]


def float_from_bf16_bits(bits: Ints) -> F32:
    """The float32 values of bfloat16 bit patterns (exact: the pattern is float32's top half)."""
    return float32_from_bits(bits.astype(np.uint32) << 16)
