"""Element-wise float formats: fp32, fp16, bf16, and FP8 with one power-of-two tensor scale."""

from __future__ import annotations

import numpy as np

from . import _errors
from ._bits import F32, power_of_two, round_float, split_float32
from ._elements import (
    E8M0_BIAS,
    FP16,
    FloatElement,
    encode_float,
    float_from_bf16_bits,
    float_from_fp16_bits,
)
from ._errors import QuantError
from ._format import Format
from ._tensor import QuantizedTensor

__all__ = ["FP8_SCALE_EXP_MAX", "FP8_SCALE_EXP_MIN", "Float8Format", "IeeeFormat"]

FP8_SCALE_EXP_MIN = -127
FP8_SCALE_EXP_MAX = 127


class IeeeFormat(Format):
    """fp32 (the bits as they are), fp16 or bf16 (round to nearest even, overflow rejected)."""

    def __init__(self, name: str, element: FloatElement | None) -> None:
        self.name = name
        self._element = element

    def _quantize(self, x: F32) -> QuantizedTensor:
        if self._element is None:
            return QuantizedTensor(self.name, x.shape, x.astype("<f4").tobytes())
        parts = split_float32(x)
        magnitude = round_float(parts, self._element.mantissa_bits, self._element.bias)
        if (magnitude > self._element.max_code).any():
            raise QuantError(
                _errors.OVERFLOW, f"a value rounds beyond the largest finite {self.name}"
            )
        codes = magnitude | (parts.negative.astype(np.int32) << 15)
        return QuantizedTensor(self.name, x.shape, codes.astype("<u2").tobytes())

    def _dequantize(self, q: QuantizedTensor) -> F32:
        if self._element is None:
            return np.frombuffer(q.codes, dtype="<f4").astype(np.float32)
        bits = np.frombuffer(q.codes, dtype="<u2").astype(np.int64)
        if self._element is FP16:
            return float_from_fp16_bits(bits)
        return float_from_bf16_bits(bits)


class Float8Format(Format):
    """FP8 elements under one power-of-two scale for the whole tensor, stored as E8M0.

    The scale is the smallest power of two that brings the tensor's largest magnitude within
    the element's largest finite value, so no element saturates.
    """

    def __init__(self, name: str, element: FloatElement) -> None:
        self.name = name
        self._element = element

    def _quantize(self, x: F32) -> QuantizedTensor:
        amax = np.abs(x).max() if x.size else np.float32(0)
        if amax == 0:
            scale_exp = FP8_SCALE_EXP_MIN
        else:
            top = split_float32(np.asarray([amax], dtype=np.float32))
            largest = split_float32(np.asarray([self._element.max_value], dtype=np.float32))
            above = int(top.significand[0] > largest.significand[0])
            scale_exp = int(top.exponent[0]) - self._element.emax + above
            scale_exp = min(max(scale_exp, FP8_SCALE_EXP_MIN), FP8_SCALE_EXP_MAX)
        codes = encode_float(split_float32(x), self._element, scale_exp)
        scale = np.asarray([scale_exp + E8M0_BIAS], dtype=np.uint8)
        return self._tensor(x.shape, codes.astype(np.uint8), scale)

    def _dequantize(self, q: QuantizedTensor) -> F32:
        codes = np.frombuffer(q.codes, dtype=np.uint8)
        # The NaN scale 0xFF comes out as 2**128 = inf and every value as inf or NaN: refused.
        return self._element.table()[codes] * power_of_two(int(q.scales[0]) - E8M0_BIAS)
