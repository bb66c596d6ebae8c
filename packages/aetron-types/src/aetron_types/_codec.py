"""The functions over any protocol object: bytes, JSON, hashes and signing messages."""

from __future__ import annotations

from typing import Any, TypeVar

from ._constants import SIGNATURE_SIZE, SIGNING_DOMAIN
from ._model import CanonicalModel

__all__ = [
    "decode",
    "encode",
    "from_json",
    "object_hash",
    "request_hash",
    "signing_bytes",
    "to_json",
]

M = TypeVar("M", bound=CanonicalModel)


def encode(obj: CanonicalModel) -> bytes:
    """The canonical byte encoding of a protocol object."""
    return obj.encode()


def decode(cls: type[M], data: bytes) -> M:
    """Parse ``data`` as a canonical encoding of ``cls``.

    Raises:
        AetronTypesError: for any byte string that is not exactly such an encoding.
    """
    return cls.decode(data)


def to_json(obj: CanonicalModel) -> dict[str, Any]:
    """The JSON form of a protocol object, as a JSON-ready ``dict``."""
    return obj.to_json()


def from_json(cls: type[M], value: Any) -> M:
    """Parse the JSON form of ``cls`` (a parsed ``dict`` or JSON text).

    Raises:
        AetronTypesError: for anything that is not exactly that JSON form.
    """
    return cls.from_json(value)


def object_hash(obj: CanonicalModel) -> bytes:
    """BLAKE3-256 of the canonical encoding: the id of a task, a batch, an assignment ..."""
    return obj.hash()


def request_hash(request: CanonicalModel) -> bytes:
    """``request_hash`` of an ``InferenceRequest``: BLAKE3-256 of its canonical encoding."""
    return request.hash()


def signing_bytes(obj: CanonicalModel) -> bytes:
    """The message an object's ``signature`` field signs.

    ``SIGNING_DOMAIN || 0x00 || type name (ASCII) || 0x00 || encoding without the signature``.
    The type name keeps a signature on one kind of object from being valid on another.
    """
    names = list(type(obj).model_fields)
    if not names or names[-1] != "signature":
        raise TypeError(f"{type(obj).__name__} carries no signature")
    body = obj.encode()[:-SIGNATURE_SIZE]
    return SIGNING_DOMAIN + b"\x00" + type(obj).__name__.encode("ascii") + b"\x00" + body
