"""The 18 format objects, by name, in wire-code order."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import torch

from . import _errors
from ._absmax import AbsmaxFp4Format, Nf4Format
from ._elements import BF16, FP4_E2M1, FP6_E2M3, FP6_E3M2, FP8_E4M3, FP8_E5M2, FP16
from ._errors import QuantError
from ._float import Float8Format, IeeeFormat
from ._format import Format
from ._ggml import Q4_0Format, Q8_0Format
from ._integer import Int4Format, Int8Format
from ._mx import MxFormat
from ._nvfp4 import Nvfp4Format
from ._tensor import QuantizedTensor

__all__ = ["FORMATS", "dequantize", "get_format"]

_ALL: tuple[Format, ...] = (
    IeeeFormat("fp32", None),
    IeeeFormat("fp16", FP16),
    IeeeFormat("bf16", BF16),
    Float8Format("fp8_e4m3", FP8_E4M3),
    Float8Format("fp8_e5m2", FP8_E5M2),
    Int8Format(),
    Int4Format(),
    Nf4Format(),
    AbsmaxFp4Format(),
    MxFormat("mxfp4", FP4_E2M1),
    MxFormat("mxfp6_e2m3", FP6_E2M3),
    MxFormat("mxfp6_e3m2", FP6_E3M2),
    MxFormat("mxfp8_e4m3", FP8_E4M3),
    MxFormat("mxfp8_e5m2", FP8_E5M2),
    MxFormat("mxint8", None),
    Nvfp4Format(),
    Q8_0Format(),
    Q4_0Format(),
)

FORMATS: Mapping[str, Format] = MappingProxyType({f.name: f for f in _ALL})
"""Every format object by name (``aetron_types.QuantFormat`` values), in wire-code order."""


def get_format(name: str) -> Format:
    """The format called ``name``; an unknown name raises ``QUANT.UNKNOWN_FORMAT``."""
    if not isinstance(name, str) or name not in FORMATS:
        raise QuantError(_errors.UNKNOWN_FORMAT, repr(name))
    return FORMATS[name]


def dequantize(q: QuantizedTensor) -> torch.Tensor:
    """Dequantize ``q`` with the format it names: ``FORMATS[q.format].dequantize(q)``."""
    if not isinstance(q, QuantizedTensor):
        raise QuantError(_errors.FORMAT_MISMATCH, f"not a QuantizedTensor: {type(q).__name__}")
    return FORMATS[q.format].dequantize(q)
