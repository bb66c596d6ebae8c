"""The interface every format object has, and the checks they all share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np
import torch

from . import _errors
from ._arrays import as_float32
from ._bits import F32, U8, Ints
from ._errors import QuantError
from ._layout import LAYOUTS, Layout, padding_codes
from ._tensor import FORMAT_NAMES, QuantizedTensor

__all__ = ["QUANT_INPUT_LIMIT", "Format"]

QUANT_INPUT_LIMIT = 2**127


class Format(ABC):
    """One weight format: a reference quantizer and its exact inverse.

    ``quantize`` takes a float16, bfloat16 or float32 tensor (torch or numpy, any shape) and
    returns a :class:`QuantizedTensor`; ``dequantize`` returns a float32 torch tensor of the
    original shape. Both are deterministic functions of their input bits.
    """

    name: str

    @property
    def code(self) -> int:
        """The format's wire code (``aetron_types.QuantFormat`` position)."""
        return FORMAT_NAMES.index(self.name)

    @property
    def layout(self) -> Layout:
        """How the format groups elements under scales and how long its parts are."""
        return LAYOUTS[self.name]

    def quantize(self, tensor: Any) -> QuantizedTensor:
        """Quantize ``tensor``.

        NaN or infinite input raises ``QUANT.NON_FINITE_INPUT``; a magnitude of
        :data:`QUANT_INPUT_LIMIT` or more raises ``QUANT.OVERFLOW``, which keeps every
        dequantized value of every format finite.
        """
        x = as_float32(tensor)
        if not np.isfinite(x).all():
            raise QuantError(_errors.NON_FINITE_INPUT, f"{self.name} quantizes finite values only")
        if x.size and np.abs(x).max() >= QUANT_INPUT_LIMIT:
            raise QuantError(_errors.OVERFLOW, f"a magnitude reaches 2**127 ({self.name})")
        return self._quantize(x)

    def dequantize(self, q: QuantizedTensor) -> torch.Tensor:
        """The float32 values ``q`` stands for, as a tensor of ``q.shape``.

        Raises ``QUANT.FORMAT_MISMATCH`` for a tensor of another format,
        ``QUANT.NONCANONICAL_PADDING`` when a padding code is not the one quantization writes,
        and ``QUANT.NON_FINITE_VALUE`` when a value is NaN or infinite (a NaN code, or scales
        that overflow float32); quantization never produces either.
        """
        if not isinstance(q, QuantizedTensor) or q.format != self.name:
            got = q.format if isinstance(q, QuantizedTensor) else type(q).__name__
            raise QuantError(_errors.FORMAT_MISMATCH, f"{self.name} cannot decode {got}")
        with np.errstate(over="ignore", invalid="ignore"):  # crafted scales; refused below
            values = self._dequantize(q)
        if not np.isfinite(values).all():
            raise QuantError(_errors.NON_FINITE_VALUE, f"{self.name} data decodes to NaN or inf")
        return torch.from_numpy(values.reshape(q.shape))

    def _check_padding(self, codes: Ints, shape: tuple[int, ...], pad_code: int) -> None:
        if (padding_codes(codes, shape, self.layout.block) != pad_code).any():
            raise QuantError(
                _errors.NONCANONICAL_PADDING, f"{self.name} padding codes must be {pad_code}"
            )

    def _tensor(
        self, shape: tuple[int, ...], codes: U8, scales: U8 | None = None
    ) -> QuantizedTensor:
        return QuantizedTensor(
            self.name, shape, codes.tobytes(), b"" if scales is None else scales.tobytes()
        )

    @abstractmethod
    def _quantize(self, x: F32) -> QuantizedTensor: ...

    @abstractmethod
    def _dequantize(self, q: QuantizedTensor) -> F32: ...

    def __repr__(self) -> str:
        return f"<quant format {self.name}>"
