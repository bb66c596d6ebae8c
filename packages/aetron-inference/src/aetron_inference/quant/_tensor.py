"""The stored form of a quantized tensor and its one canonical byte encoding."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
from aetron_types import QuantFormat

from . import _errors
from ._bits import U8
from ._errors import QuantError
from ._layout import LAYOUTS

__all__ = ["FORMAT_NAMES", "PART_NAMES", "QUANT_MAX_RANK", "QuantizedTensor"]

FORMAT_NAMES: tuple[str, ...] = tuple(member.value for member in QuantFormat)
"""The 18 format names; a name's position is its wire code (``aetron_types.QuantFormat``)."""

QUANT_MAX_RANK = 255
PART_NAMES = ("codes", "scales", "tensor_scale")

_U64 = struct.Struct("<Q")


def _as_bytes(name: str, value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, np.ndarray) and value.dtype == np.uint8:
        return value.tobytes()
    raise QuantError(_errors.BAD_PART_LENGTH, f"{name} must be bytes or a uint8 array")


@dataclass(frozen=True)
class QuantizedTensor:
    """A tensor stored in one of the 18 formats: its shape and three raw byte parts.

    ``codes`` holds the packed element codes, ``scales`` one scale per tensor, channel or block
    and ``tensor_scale`` NVFP4's tensor-wide float32 scale; a part a format does not use is
    empty. Multi-byte values inside a part are little-endian. Every length is fixed by the
    format and the shape (``specs/quantization.md``, "Layouts"); anything else raises
    ``QUANT.BAD_PART_LENGTH``. Parts may be given as ``bytes``, ``bytearray``, ``memoryview``
    or a uint8 numpy array and are kept as ``bytes``.
    """

    format: str
    shape: tuple[int, ...]
    codes: bytes
    scales: bytes = b""
    tensor_scale: bytes = b""

    def __post_init__(self) -> None:
        if not isinstance(self.format, str) or self.format not in LAYOUTS:
            raise QuantError(_errors.UNKNOWN_FORMAT, repr(self.format))
        shape = tuple(self.shape) if isinstance(self.shape, tuple | list) else None
        if (
            shape is None
            or len(shape) > QUANT_MAX_RANK
            or not all(type(d) is int and 0 <= d < 2**64 for d in shape)
        ):
            raise QuantError(_errors.BAD_SHAPE, f"shape {self.shape!r}")
        object.__setattr__(self, "format", str(self.format))
        object.__setattr__(self, "shape", shape)
        expected = LAYOUTS[self.format].part_lengths(shape)
        for name, length in zip(PART_NAMES, expected, strict=True):
            data = _as_bytes(name, getattr(self, name))
            if len(data) != length:
                raise QuantError(
                    _errors.BAD_PART_LENGTH,
                    f"{self.format} {name} of shape {shape} is {length} bytes, got {len(data)}",
                )
            object.__setattr__(self, name, data)

    @property
    def format_code(self) -> int:
        """The format's wire code: its position in :data:`FORMAT_NAMES`."""
        return FORMAT_NAMES.index(self.format)

    def tensors(self) -> dict[str, U8]:
        """The parts this format defines, by name, as read-only 1-D uint8 arrays.

        ``fp32``, ``fp16`` and ``bf16`` define ``codes``; ``nvfp4`` defines all three parts;
        every other format defines ``codes`` and ``scales``.
        """
        layout = LAYOUTS[self.format]
        names = ["codes"]
        if layout.grouping != "element":
            names.append("scales")
        if layout.tensor_scale_bytes:
            names.append("tensor_scale")
        return {name: np.frombuffer(getattr(self, name), dtype=np.uint8) for name in names}

    def to_bytes(self) -> bytes:
        """The canonical encoding: the one byte string a model hash covers for this tensor.

        ``u8 format code | u8 rank | rank x u64 dims | (u64 length | bytes) for codes, scales,
        tensor_scale``, integers little-endian.
        """
        head = bytes([self.format_code, len(self.shape)])
        dims = b"".join(_U64.pack(d) for d in self.shape)
        parts = b"".join(
            _U64.pack(len(p)) + p for p in (self.codes, self.scales, self.tensor_scale)
        )
        return head + dims + parts

    @classmethod
    def from_bytes(cls, data: bytes) -> QuantizedTensor:
        """Parse :meth:`to_bytes` output; any other byte string raises a ``QUANT`` error."""
        view = memoryview(bytes(data))
        if len(view) < 2:
            raise QuantError(_errors.TRUNCATED, "header")
        code, rank = view[0], view[1]
        if code >= len(FORMAT_NAMES):
            raise QuantError(_errors.UNKNOWN_FORMAT, f"format code {code}")
        offset = 2
        if len(view) < offset + 8 * rank:
            raise QuantError(_errors.TRUNCATED, "shape")
        shape = tuple(_U64.unpack_from(view, offset + 8 * i)[0] for i in range(rank))
        offset += 8 * rank
        parts = []
        for name in PART_NAMES:
            if len(view) < offset + 8:
                raise QuantError(_errors.TRUNCATED, f"{name} length")
            (length,) = _U64.unpack_from(view, offset)
            offset += 8
            if len(view) - offset < length:
                raise QuantError(_errors.TRUNCATED, name)
            parts.append(bytes(view[offset : offset + length]))
            offset += length
        if offset != len(view):
            raise QuantError(_errors.TRAILING_BYTES, f"{len(view) - offset} bytes")
        return cls(FORMAT_NAMES[code], shape, *parts)
