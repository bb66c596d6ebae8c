"""GGUF Q8_0 and Q4_0, computed the way ggml's reference quantizers compute them."""

from __future__ import annotations

import numpy as np

from . import _errors
from ._bits import F32, Ints, round_float, round_integer, split_float32
from ._elements import FP16, float_from_fp16_bits
from ._errors import QuantError
from ._format import Format
from ._layout import Q4_0_BLOCK_SIZE, Q8_0_BLOCK_SIZE, from_blocks, to_blocks
from ._tensor import QuantizedTensor

__all__ = ["Q4_0_OFFSET", "Q4_0_QMAX", "Q8_0_QMAX", "Q4_0Format", "Q8_0Format"]

Q8_0_QMAX = 127
Q4_0_OFFSET = 8
Q4_0_QMAX = 15


def _fp16_scales(d: F32, name: str) -> Ints:
    """binary16 bit patterns of ``d``, nearest even (ggml's FP32_TO_FP16); overflow is refused."""
    parts = split_float32(d)
    magnitude = round_float(parts, FP16.mantissa_bits, FP16.bias)
    if (magnitude > FP16.max_code).any():
        raise QuantError(_errors.OVERFLOW, f"a {name} block scale overflows float16")
    return magnitude | (parts.negative.astype(np.int32) << 15)


def _reciprocals(d: F32) -> F32:
    """``1.0f / d``, or 0 where ``d`` is zero; also 0 where the quotient overflows.

    ggml leaves the overflow case undefined (a C cast of an infinite value); it only arises
    when every magnitude in the block is below about 2**-120, and such a block's float16
    scale is zero anyway, so its codes are defined as those of zero.
    """
    with np.errstate(divide="ignore", over="ignore"):
        inverse = (np.float32(1) / np.where(d == 0, np.float32(1), d)).astype(np.float32)
    return np.where((d == 0) | ~np.isfinite(inverse), np.float32(0), inverse).astype(np.float32)


class Q8_0Format(Format):
    """Q8_0: blocks of 32, ``d = amax / 127`` stored as float16, ``q = roundf(x * (1/d))``."""

    name = "q8_0"

    def _quantize(self, x: F32) -> QuantizedTensor:
        blocks = to_blocks(x, Q8_0_BLOCK_SIZE)
        d = (np.abs(blocks).max(axis=1, initial=np.float32(0)) / np.float32(Q8_0_QMAX)).astype(
            np.float32
        )
        scale_bits = _fp16_scales(d, self.name)
        scaled = (blocks * _reciprocals(d)[:, None]).astype(np.float32)
        parts = split_float32(scaled)
        magnitude = round_integer(parts, 0, "away")
        q = np.where(parts.negative, -magnitude, magnitude)
        return self._tensor(x.shape, q.astype(np.int8).view(np.uint8), _u16(scale_bits))

    def _dequantize(self, q: QuantizedTensor) -> F32:
        codes = np.frombuffer(q.codes, dtype=np.int8).astype(np.int64).reshape(-1, Q8_0_BLOCK_SIZE)
        self._check_padding(codes, q.shape, 0)
        d = float_from_fp16_bits(np.frombuffer(q.scales, dtype="<u2").astype(np.int64))
        return from_blocks(codes.astype(np.float32) * d[:, None], q.shape, Q8_0_BLOCK_SIZE)


class Q4_0Format(Format):
    """Q4_0: blocks of 32, ``d = max / -8`` (max: the first value of largest magnitude),
    ``q = min(15, trunc(x * (1/d) + 8.5))``, byte ``j`` holding ``q[j] | q[j + 16] << 4``.
    """

    name = "q4_0"

    def _quantize(self, x: F32) -> QuantizedTensor:
        blocks = to_blocks(x, Q4_0_BLOCK_SIZE)
        magnitudes = np.abs(blocks)
        first = np.argmax(magnitudes, axis=1) if blocks.size else np.zeros(0, dtype=np.int64)
        rows = np.arange(blocks.shape[0])
        # ggml starts from max = +0.0 and replaces it only on a strictly larger magnitude.
        peak = np.where(magnitudes[rows, first] == 0, np.float32(0), blocks[rows, first])
        d = (peak / np.float32(-Q4_0_OFFSET)).astype(np.float32)
        scale_bits = _fp16_scales(d, self.name)
        scaled = (blocks * _reciprocals(d)[:, None]).astype(np.float32)
        shifted = (scaled + np.float32(Q4_0_OFFSET + 0.5)).astype(np.float32)
        # shifted >= 0.4999 always: |x| <= |max|, so |x * (1/d)| is 8 up to float32 rounding.
        q = np.minimum(round_integer(split_float32(shifted), 0, "down"), Q4_0_QMAX)
        halves = q.reshape(-1, 2, Q4_0_BLOCK_SIZE // 2)
        packed = (halves[:, 0, :] | (halves[:, 1, :] << 4)).astype(np.uint8).reshape(-1)
        return self._tensor(x.shape, packed, _u16(scale_bits))

    def _dequantize(self, q: QuantizedTensor) -> F32:
        packed = np.frombuffer(q.codes, dtype=np.uint8).astype(np.int64)
        halves = packed.reshape(-1, Q4_0_BLOCK_SIZE // 2)
        codes = np.concatenate([halves & 0xF, halves >> 4], axis=1)
        self._check_padding(codes, q.shape, Q4_0_OFFSET)
        d = float_from_fp16_bits(np.frombuffer(q.scales, dtype="<u2").astype(np.int64))
        values = (codes - Q4_0_OFFSET).astype(np.float32) * d[:, None]
        return from_blocks(values, q.shape, Q4_0_BLOCK_SIZE)


def _u16(values: Ints) -> np.ndarray:
    return values.astype("<u2").view(np.uint8)
