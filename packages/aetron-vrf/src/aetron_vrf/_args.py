"""Checks of argument types and ranges shared by the public functions."""

from __future__ import annotations

from ._errors import ArgumentTypeError, ErrorCode, InvalidArgument
from ._suite import Suite


def check_suite(suite: object) -> Suite:
    if not isinstance(suite, Suite):
        raise ArgumentTypeError(ErrorCode.UNKNOWN_SUITE, f"suite must be a Suite, got {suite!r}")
    return suite


def as_bytes(value: object, name: str) -> bytes:
    """``value`` as bytes; bytearray and memoryview are copied, anything else is refused."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise ArgumentTypeError(
        ErrorCode.NOT_BYTES, f"{name} must be bytes, got {type(value).__name__}"
    )


def as_uint(value: object, name: str, maximum: int, code: ErrorCode, minimum: int = 0) -> int:
    """``value`` if it is an int (not a bool) in minimum..maximum; ``code`` if out of range."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ArgumentTypeError(
            ErrorCode.NOT_INTEGER, f"{name} must be an int, got {type(value).__name__}"
        )
    if not minimum <= value <= maximum:
        raise InvalidArgument(code, f"{name} = {value} is not in {minimum}..{maximum}")
    return value
