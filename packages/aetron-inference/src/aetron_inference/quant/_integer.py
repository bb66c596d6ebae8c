"""Symmetric integer formats: int8 per output channel, int4 per group, bfloat16 scales."""

from __future__ import annotations

import math

import numpy as np

from ._bits import (
    F32,
    U8,
    Ints,
    pack_codes,
    round_float,
    round_integer,
    split_float32,
    unpack_codes,
)
from ._elements import BF16, float_from_bf16_bits
from ._format import Format
from ._layout import INT4_GROUP_SIZE, channel_count, from_blocks, to_blocks
from ._tensor import QuantizedTensor

__all__ = [
    "INT4_QMAX",
    "INT8_QMAX",
    "Int4Format",
    "Int8Format",
    "bf16_scales",
    "quantize_symmetric",
]

INT8_QMAX = 127
INT4_QMAX = 7


def bf16_scales(amax: F32, divisor: float) -> Ints:
    """bfloat16 bit patterns of ``amax / divisor`` (float32 division, then nearest even)."""
    scaled = (amax / np.float32(divisor)).astype(np.float32)
    # A quotient of finite float32 values by divisor >= 6 stays far below bfloat16's maximum.
    return round_float(split_float32(scaled), BF16.mantissa_bits, BF16.bias)


def quantize_symmetric(groups: F32, scales: F32, qmax: int) -> Ints:
    """Signed integers ``clamp(round_half_even(x / s), -qmax, qmax)``; zero where ``s`` is 0.

    ``x / s`` is one float32 division; its quotient is rounded exactly on its bits.
    """
    divisor = np.where(scales == 0, np.float32(1), scales).astype(np.float32)
    quotient = (groups / divisor[:, None]).astype(np.float32)
    parts = split_float32(quotient)
    magnitude = np.minimum(round_integer(parts, 0, "even"), qmax)
    signed = np.where(parts.negative, -magnitude, magnitude)
    return np.where(scales[:, None] == 0, 0, signed)


class Int8Format(Format):
    """int8 codes in [-127, 127], one bfloat16 scale ``amax / 127`` per output channel."""

    name = "int8"

    def _quantize(self, x: F32) -> QuantizedTensor:
        rows = x.reshape(_channel_matrix(x.shape))
        scale_bits = bf16_scales(np.abs(rows).max(axis=1, initial=np.float32(0)), INT8_QMAX)
        q = quantize_symmetric(rows, float_from_bf16_bits(scale_bits), INT8_QMAX)
        return self._tensor(x.shape, q.astype(np.int8).view(np.uint8), _u16_bytes(scale_bits))

    def _dequantize(self, q: QuantizedTensor) -> F32:
        codes = np.frombuffer(q.codes, dtype=np.int8).astype(np.float32)
        scales = float_from_bf16_bits(np.frombuffer(q.scales, dtype="<u2").astype(np.int64))
        return codes.reshape(_channel_matrix(q.shape)) * scales[:, None]


class Int4Format(Format):
    """4-bit two's complement codes in [-7, 7], one bfloat16 scale ``amax / 7`` per group."""

    name = "int4"

    def _quantize(self, x: F32) -> QuantizedTensor:
        groups = to_blocks(x, INT4_GROUP_SIZE)
        scale_bits = bf16_scales(np.abs(groups).max(axis=1, initial=np.float32(0)), INT4_QMAX)
        q = quantize_symmetric(groups, float_from_bf16_bits(scale_bits), INT4_QMAX)
        return self._tensor(x.shape, pack_codes(q & 0xF, 4), _u16_bytes(scale_bits))

    def _dequantize(self, q: QuantizedTensor) -> F32:
        codes = unpack_codes(np.frombuffer(q.codes, dtype=np.uint8), 4).reshape(-1, INT4_GROUP_SIZE)
        self._check_padding(codes, q.shape, 0)
        values = ((codes ^ 8) - 8).astype(np.float32)
        scales = float_from_bf16_bits(np.frombuffer(q.scales, dtype="<u2").astype(np.int64))
        return from_blocks(values * scales[:, None], q.shape, INT4_GROUP_SIZE)


def _channel_matrix(shape: tuple[int, ...]) -> tuple[int, int]:
    channels = channel_count(shape)
    return channels, math.prod(shape) // channels if channels else 0


def _u16_bytes(values: Ints) -> U8:
    return values.astype("<u2").view(np.uint8)
