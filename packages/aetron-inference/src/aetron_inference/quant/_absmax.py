"""Blockwise absmax 4-bit formats: bitsandbytes' NF4, and E2M1 under a bfloat16 absmax scale."""

from __future__ import annotations

import numpy as np

from ._bits import F32, U8, Ints, pack_codes, split_float32, unpack_codes
from ._elements import FP4_E2M1, encode_float, float_from_bf16_bits
from ._format import Format
from ._integer import bf16_scales
from ._layout import FP4_BLOCK_SIZE, NF4_BLOCK_SIZE, from_blocks, to_blocks
from ._tensor import QuantizedTensor

__all__ = [
    "FP4_SCALE_DIVISOR",
    "NF4_CODEBOOK",
    "NF4_THRESHOLDS",
    "NF4_ZERO_CODE",
    "AbsmaxFp4Format",
    "Nf4Format",
]

# bitsandbytes' NF4 code values (csrc/kernels.cu, dDequantizeNF4), float32 literals.
NF4_CODEBOOK = np.array(
    [
        -1.0,
        -0.6961928009986877,
        -0.5250730514526367,
        -0.39491748809814453,
        -0.28444138169288635,
        -0.18477343022823334,
        -0.09105003625154495,
        0.0,
        0.07958029955625534,
        0.16093020141124725,
        0.24611230194568634,
        0.33791524171829224,
        0.44070982933044434,
        0.5626170039176941,
        0.7229568362236023,
        1.0,
    ],
    dtype=np.float32,
)
NF4_CODEBOOK.flags.writeable = False

# The decision points of bitsandbytes' dQuantizeNF4, float32 literals, ascending: the code of a
# normalised value is the number of points strictly below it, so a tie goes to the lower code.
NF4_THRESHOLDS = np.array(
    [
        -0.8480964004993439,
        -0.6106329262256622,
        -0.4599952697753906,
        -0.33967943489551544,
        -0.23460740596055984,
        -0.13791173323988914,
        -0.045525018125772476,
        0.03979014977812767,
        0.1202552504837513,
        0.2035212516784668,
        0.2920137718319893,
        0.3893125355243683,
        0.5016634166240692,
        0.6427869200706482,
        0.8614784181118011,
    ],
    dtype=np.float32,
)
NF4_THRESHOLDS.flags.writeable = False

NF4_ZERO_CODE = 7
FP4_SCALE_DIVISOR = 6


class Nf4Format(Format):
    """bitsandbytes NF4: blocks of 64, float32 absmax, codes by reciprocal-multiply thresholds.

    Two codes per byte with the first element in the high nibble, as bitsandbytes packs them.
    """

    name = "nf4"

    def _quantize(self, x: F32) -> QuantizedTensor:
        blocks = to_blocks(x, NF4_BLOCK_SIZE)
        absmax = np.abs(blocks).max(axis=1, initial=np.float32(0))
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            reciprocal = (np.float32(1) / absmax).astype(np.float32)
            normalised = (blocks * reciprocal[:, None]).astype(np.float32)
        codes = np.searchsorted(NF4_THRESHOLDS, normalised, side="left").astype(np.int64)
        # absmax 0, or so small that its reciprocal overflows: the block holds zeros only.
        codes[~np.isfinite(reciprocal)] = NF4_ZERO_CODE
        return self._tensor(x.shape, _pack_high_first(codes), absmax.astype("<f4").view(np.uint8))

    def _dequantize(self, q: QuantizedTensor) -> F32:
        packed = np.frombuffer(q.codes, dtype=np.uint8).astype(np.int64)
        codes = np.stack([packed >> 4, packed & 0xF], axis=1).reshape(-1, NF4_BLOCK_SIZE)
        self._check_padding(codes, q.shape, NF4_ZERO_CODE)
        absmax = np.frombuffer(q.scales, dtype="<f4").astype(np.float32)
        return from_blocks(NF4_CODEBOOK[codes] * absmax[:, None], q.shape, NF4_BLOCK_SIZE)


def _pack_high_first(codes: Ints) -> U8:
    pairs = codes.reshape(-1, 2)
    return ((pairs[:, 0] << 4) | pairs[:, 1]).astype(np.uint8)


class AbsmaxFp4Format(Format):
    """E2M1 codes in blocks of 64 under a bfloat16 scale ``absmax / 6`` per block."""

    name = "fp4"

    def _quantize(self, x: F32) -> QuantizedTensor:
        blocks = to_blocks(x, FP4_BLOCK_SIZE)
        scale_bits = bf16_scales(
            np.abs(blocks).max(axis=1, initial=np.float32(0)), FP4_SCALE_DIVISOR
        )
        scales = float_from_bf16_bits(scale_bits)
        divisor = np.where(scales == 0, np.float32(1), scales).astype(np.float32)
        quotient = (blocks / divisor[:, None]).astype(np.float32)
        codes = np.where(scales[:, None] == 0, 0, encode_float(split_float32(quotient), FP4_E2M1))
        return self._tensor(x.shape, pack_codes(codes, 4), scale_bits.astype("<u2").view(np.uint8))

    def _dequantize(self, q: QuantizedTensor) -> F32:
        codes = unpack_codes(np.frombuffer(q.codes, dtype=np.uint8), 4).reshape(-1, FP4_BLOCK_SIZE)
        self._check_padding(codes, q.shape, 0)
        scales = float_from_bf16_bits(np.frombuffer(q.scales, dtype="<u2").astype(np.int64))
        return from_blocks(FP4_E2M1.table()[codes] * scales[:, None], q.shape, FP4_BLOCK_SIZE)
