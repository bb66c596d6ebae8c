"""The 18 AETRON weight formats, bit for bit (``specs/quantization.md``).

:data:`FORMATS` maps every format name to an object whose ``quantize(tensor)`` returns a
:class:`QuantizedTensor` (packed codes, scales, shape, canonical bytes) and whose
``dequantize(q)`` gives back exact float32 values. :func:`encode_elements` and
:func:`decode_elements` expose the element codecs (FP8, FP6, FP4, E8M0) on their own. Every
rounding is done on integer bit patterns; bad input raises :class:`QuantError` with a stable
``code``.
"""

from __future__ import annotations

from ._elements import ELEMENTS, decode_elements, encode_elements
from ._errors import QUANT_ERROR_CODES, QuantError
from ._format import Format
from ._layout import LAYOUTS, Layout
from ._registry import FORMATS, dequantize, get_format
from ._tensor import FORMAT_NAMES, QuantizedTensor

__all__ = [
    "ELEMENTS",
    "FORMATS",
    "FORMAT_NAMES",
    "LAYOUTS",
    "QUANT_ERROR_CODES",
    "Format",
    "Layout",
    "QuantError",
    "QuantizedTensor",
    "decode_elements",
    "dequantize",
    "encode_elements",
    "get_format",
]
