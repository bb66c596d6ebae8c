"""NVFP4: E2M1 elements in blocks of 16, an E4M3 scale per block and a float32 tensor scale."""

from __future__ import annotations

import numpy as np

from ._bits import F32, pack_codes, split_float32, unpack_codes
from ._elements import FP4_E2M1, FP8_E4M3, encode_float
from ._format import Format
from ._layout import NVFP4_BLOCK_SIZE, from_blocks, to_blocks
from ._tensor import QuantizedTensor

__all__ = ["NVFP4_ELEMENT_MAX", "NVFP4_TENSOR_SCALE_DIVISOR", "Nvfp4Format"]

NVFP4_ELEMENT_MAX = 6
NVFP4_TENSOR_SCALE_DIVISOR = 2688


class Nvfp4Format(Format):
    """NVIDIA's two-level FP4 as NVIDIA's reference quantizer computes it, in float32.

    ``s_t = amax / 2688``; per block ``s_b = E4M3(amax_b / (6 * s_t))``; every element is
    ``E2M1(x / (s_b * s_t))``. A block whose divisor is zero holds zeros only.
    """

    name = "nvfp4"

    def _quantize(self, x: F32) -> QuantizedTensor:
        blocks = to_blocks(x, NVFP4_BLOCK_SIZE)
        amax = np.abs(blocks).max(axis=1, initial=np.float32(0))
        tensor_amax = amax.max(initial=np.float32(0))
        tensor_scale = np.float32(tensor_amax / np.float32(NVFP4_TENSOR_SCALE_DIVISOR))
        if tensor_scale == 0:
            scale_codes = np.zeros(amax.shape, dtype=np.int64)
            codes = np.zeros(blocks.shape, dtype=np.int64)
        else:
            ratio = (amax / (np.float32(NVFP4_ELEMENT_MAX) * tensor_scale)).astype(np.float32)
            scale_codes = encode_float(split_float32(ratio), FP8_E4M3)
            divisor = (FP8_E4M3.table()[scale_codes] * tensor_scale).astype(np.float32)
            safe = np.where(divisor == 0, np.float32(1), divisor).astype(np.float32)
            quotient = (blocks / safe[:, None]).astype(np.float32)
            codes = encode_float(split_float32(quotient), FP4_E2M1)
            codes = np.where(divisor[:, None] == 0, 0, codes)
        return QuantizedTensor(
            self.name,
            x.shape,
            pack_codes(codes, 4).tobytes(),
            scale_codes.astype(np.uint8).tobytes(),
            np.asarray([tensor_scale], dtype="<f4").tobytes(),
        )

    def _dequantize(self, q: QuantizedTensor) -> F32:
        codes = unpack_codes(np.frombuffer(q.codes, dtype=np.uint8), 4).reshape(
            -1, NVFP4_BLOCK_SIZE
        )
        self._check_padding(codes, q.shape, 0)
        block_scales = FP8_E4M3.table()[np.frombuffer(q.scales, dtype=np.uint8)]
        tensor_scale = np.frombuffer(q.tensor_scale, dtype="<f4")[0]
        # The first product is exact (2 by 4 significant bits); the second rounds once.
        scaled = (FP4_E2M1.table()[codes] * block_scales[:, None]).astype(np.float32)
        return from_blocks((scaled * tensor_scale).astype(np.float32), q.shape, NVFP4_BLOCK_SIZE)
