"""The exception of the quantization subpackage and its stable reason codes."""

from __future__ import annotations

__all__ = ["QUANT_ERROR_CODES", "QuantError"]


class QuantError(ValueError):
    """Input a quantization routine cannot accept.

    ``code`` is a stable ``QUANT.REASON`` string listed in the Errors table of
    ``specs/quantization.md``; the message is for people and may change.
    """

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


UNKNOWN_FORMAT = "QUANT.UNKNOWN_FORMAT"
UNKNOWN_ELEMENT = "QUANT.UNKNOWN_ELEMENT"
UNSUPPORTED_DTYPE = "QUANT.UNSUPPORTED_DTYPE"
NON_FINITE_INPUT = "QUANT.NON_FINITE_INPUT"
NAN_NOT_REPRESENTABLE = "QUANT.NAN_NOT_REPRESENTABLE"
NEGATIVE_NOT_REPRESENTABLE = "QUANT.NEGATIVE_NOT_REPRESENTABLE"
CODE_OUT_OF_RANGE = "QUANT.CODE_OUT_OF_RANGE"
OVERFLOW = "QUANT.OVERFLOW"
BAD_SHAPE = "QUANT.BAD_SHAPE"
BAD_PART_LENGTH = "QUANT.BAD_PART_LENGTH"
FORMAT_MISMATCH = "QUANT.FORMAT_MISMATCH"
NONCANONICAL_PADDING = "QUANT.NONCANONICAL_PADDING"
NON_FINITE_VALUE = "QUANT.NON_FINITE_VALUE"
TRUNCATED = "QUANT.TRUNCATED"
TRAILING_BYTES = "QUANT.TRAILING_BYTES"

QUANT_ERROR_CODES = (
    UNKNOWN_FORMAT,
    UNKNOWN_ELEMENT,
    UNSUPPORTED_DTYPE,
    NON_FINITE_INPUT,
    NAN_NOT_REPRESENTABLE,
    NEGATIVE_NOT_REPRESENTABLE,
    CODE_OUT_OF_RANGE,
    OVERFLOW,
    BAD_SHAPE,
    BAD_PART_LENGTH,
    FORMAT_MISMATCH,
    NONCANONICAL_PADDING,
    NON_FINITE_VALUE,
    TRUNCATED,
    TRAILING_BYTES,
)
"""Every reason code the subpackage raises, in the order of the spec's Errors table."""
