"""OCP Microscaling v1.0: blocks of 32 elements sharing one E8M0 power-of-two scale."""

from __future__ import annotations

import numpy as np

from ._bits import F32, Ints, pack_codes, power_of_two, round_integer, split_float32, unpack_codes
from ._elements import E8M0_BIAS, E8M0_NAN_CODE, FloatElement, encode_float
from ._format import Format
from ._layout import MX_BLOCK_SIZE, from_blocks, to_blocks
from ._tensor import QuantizedTensor

__all__ = [
    "MXINT8_FRACTION_BITS",
    "MXINT8_QMAX",
    "MX_SCALE_EXP_MIN",
    "MxFormat",
    "shared_exponents",
]

MX_SCALE_EXP_MIN = -127
MXINT8_FRACTION_BITS = 6
MXINT8_QMAX = 127


def shared_exponents(amax: F32, emax: int) -> Ints:
    """``floor(log2(amax)) - emax`` per block, exactly, raised to -127; -127 where amax is 0."""
    parts = split_float32(amax)
    return np.where(
        parts.zero, MX_SCALE_EXP_MIN, np.maximum(parts.exponent - emax, MX_SCALE_EXP_MIN)
    )


class MxFormat(Format):
    """An MX format: FP elements (``element``) or, with ``element=None``, MXINT8.

    ``X = 2**shared_exp``; every element is ``x / X`` rounded to nearest even and saturated to
    the element's largest finite magnitude (127/64 for MXINT8).
    """

    def __init__(self, name: str, element: FloatElement | None) -> None:
        self.name = name
        self._element = element

    @property
    def _emax(self) -> int:
        return 0 if self._element is None else self._element.emax

    def _quantize(self, x: F32) -> QuantizedTensor:
        blocks = to_blocks(x, MX_BLOCK_SIZE)
        shared = shared_exponents(np.abs(blocks).max(axis=1, initial=np.float32(0)), self._emax)
        parts = split_float32(blocks)
        if self._element is None:
            scale_exp = MXINT8_FRACTION_BITS - shared[:, None]
            magnitude = np.minimum(round_integer(parts, scale_exp, "even"), MXINT8_QMAX)
            codes = np.where(parts.negative, -magnitude, magnitude) & 0xFF
        else:
            codes = encode_float(parts, self._element, shared[:, None])
        bits = self.layout.code_bits
        return self._tensor(x.shape, pack_codes(codes, bits), (shared + E8M0_BIAS).astype(np.uint8))

    def _dequantize(self, q: QuantizedTensor) -> F32:
        packed = np.frombuffer(q.codes, dtype=np.uint8)
        codes = unpack_codes(packed, self.layout.code_bits).reshape(-1, MX_BLOCK_SIZE)
        self._check_padding(codes, q.shape, 0)
        scale_codes = np.frombuffer(q.scales, dtype=np.uint8).astype(np.int64)
        if self._element is None:
            elements = ((codes ^ 0x80) - 0x80).astype(np.float32)
            exponents = scale_codes - E8M0_BIAS - MXINT8_FRACTION_BITS
        else:
            elements = self._element.table()[codes]
            exponents = scale_codes - E8M0_BIAS
        nan = np.float32(np.nan)  # for the NaN scale 0xFF; dequantize then refuses the block
        scales = np.where(scale_codes == E8M0_NAN_CODE, nan, power_of_two(exponents))
        return from_blocks(elements * scales[:, None].astype(np.float32), q.shape, MX_BLOCK_SIZE)
