"""How each format cuts a tensor into scaled groups, and how long its stored parts are."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ._bits import F32, Ints

__all__ = [
    "FP4_BLOCK_SIZE",
    "INT4_GROUP_SIZE",
    "LAYOUTS",
    "MX_BLOCK_SIZE",
    "NF4_BLOCK_SIZE",
    "NVFP4_BLOCK_SIZE",
    "Q4_0_BLOCK_SIZE",
    "Q8_0_BLOCK_SIZE",
    "Layout",
    "block_geometry",
    "channel_count",
    "from_blocks",
    "padding_codes",
    "to_blocks",
]

MX_BLOCK_SIZE = 32
NVFP4_BLOCK_SIZE = 16
NF4_BLOCK_SIZE = 64
FP4_BLOCK_SIZE = 64
INT4_GROUP_SIZE = 128
Q8_0_BLOCK_SIZE = 32
Q4_0_BLOCK_SIZE = 32

Grouping = Literal["element", "tensor", "channel", "block"]


@dataclass(frozen=True)
class Layout:
    """The stored shape of one format.

    ``grouping`` says what one scale covers: nothing (``element``), the whole tensor
    (``tensor``), one slice along the first axis (``channel``) or ``block`` consecutive
    elements along the last axis (``block``). ``code_bits`` is the width of one element code,
    ``scale_bytes`` the size of one scale and ``tensor_scale_bytes`` the size of the one
    tensor-wide second-level scale (NVFP4 only).
    """

    grouping: Grouping
    code_bits: int
    block: int = 0
    scale_bytes: int = 0
    tensor_scale_bytes: int = 0

    def part_lengths(self, shape: tuple[int, ...]) -> tuple[int, int, int]:
        """Byte lengths of the codes, scales and tensor-scale parts of a tensor of ``shape``."""
        if self.grouping == "block":
            rows, _, blocks = block_geometry(shape, self.block)
            count = rows * blocks
            codes = count * self.block * self.code_bits // 8
            return codes, count * self.scale_bytes, self.tensor_scale_bytes
        codes = math.prod(shape) * self.code_bits // 8
        if self.grouping == "element":
            return codes, 0, 0
        if self.grouping == "tensor":
            return codes, self.scale_bytes, 0
        return codes, channel_count(shape) * self.scale_bytes, 0


LAYOUTS: dict[str, Layout] = {
    "fp32": Layout("element", 32),
    "fp16": Layout("element", 16),
    "bf16": Layout("element", 16),
    "fp8_e4m3": Layout("tensor", 8, scale_bytes=1),
    "fp8_e5m2": Layout("tensor", 8, scale_bytes=1),
    "int8": Layout("channel", 8, scale_bytes=2),
    "int4": Layout("block", 4, INT4_GROUP_SIZE, 2),
    "nf4": Layout("block", 4, NF4_BLOCK_SIZE, 4),
    "fp4": Layout("block", 4, FP4_BLOCK_SIZE, 2),
    "mxfp4": Layout("block", 4, MX_BLOCK_SIZE, 1),
    "mxfp6_e2m3": Layout("block", 6, MX_BLOCK_SIZE, 1),
    "mxfp6_e3m2": Layout("block", 6, MX_BLOCK_SIZE, 1),
    "mxfp8_e4m3": Layout("block", 8, MX_BLOCK_SIZE, 1),
    "mxfp8_e5m2": Layout("block", 8, MX_BLOCK_SIZE, 1),
    "mxint8": Layout("block", 8, MX_BLOCK_SIZE, 1),
    "nvfp4": Layout("block", 4, NVFP4_BLOCK_SIZE, 1, 4),
    "q8_0": Layout("block", 8, Q8_0_BLOCK_SIZE, 2),
    "q4_0": Layout("block", 4, Q4_0_BLOCK_SIZE, 2),
}
"""The layout of every format, by format name."""


def block_geometry(shape: tuple[int, ...], block: int) -> tuple[int, int, int]:
    """``(rows, cols, blocks per row)`` of a tensor cut into blocks along its last axis.

    A tensor of rank 0 is one row of one element; otherwise rows is the product of every axis
    but the last, and a row's last block is completed with zeros.
    """
    rows = math.prod(shape[:-1]) if shape else 1
    cols = shape[-1] if shape else 1
    return rows, cols, -(-cols // block)


def channel_count(shape: tuple[int, ...]) -> int:
    """Number of per-channel scales: the first axis for rank 2 and up, else one."""
    return shape[0] if len(shape) >= 2 else 1


def to_blocks(x: F32, block: int) -> F32:
    """The tensor as ``(rows * blocks, block)``, each row's last block padded with +0.0."""
    rows, cols, blocks = block_geometry(x.shape, block)
    matrix = x.reshape(rows, cols)
    if blocks * block != cols:
        matrix = np.pad(matrix, ((0, 0), (0, blocks * block - cols)))
    return matrix.reshape(rows * blocks, block)


def from_blocks(values: F32, shape: tuple[int, ...], block: int) -> F32:
    """Inverse of :func:`to_blocks`: drop the padding and restore ``shape``."""
    rows, cols, blocks = block_geometry(shape, block)
    return np.ascontiguousarray(values.reshape(rows, blocks * block)[:, :cols]).reshape(shape)


def padding_codes(codes: Ints, shape: tuple[int, ...], block: int) -> Ints:
    """The codes that stand for padding, from codes laid out as ``(rows * blocks, block)``."""
    rows, cols, blocks = block_geometry(shape, block)
    return codes.reshape(rows, blocks * block)[:, cols:]
