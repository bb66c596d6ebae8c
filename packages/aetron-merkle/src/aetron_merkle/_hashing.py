"""The hash functions a tree can use, and the RFC 9162 leaf and node hashes built on them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import blake3

from ._errors import MerkleError

__all__ = [
    "DEFAULT_HASH",
    "HASH_NAMES",
    "HASH_SIZE",
    "LEAF_PREFIX",
    "NODE_PREFIX",
    "Hash",
    "find_hash",
    "leaf_hash",
    "require_hash",
]

HASH_SIZE: Final = 32
LEAF_PREFIX: Final = b"\x00"
NODE_PREFIX: Final = b"\x01"
HASH_NAMES: Final = ("blake3", "sha256")
DEFAULT_HASH: Final = "blake3"


@dataclass(frozen=True, slots=True)
class Hash:
    """One hash function, as the constructor and the unbound ``digest`` of its binding.

    Keeping the two apart lets the tree builder run ``map(digest, map(new, inputs))``, which
    makes each hash call from C without a Python frame per call.
    """

    name: str
    new: Callable[[Any], Any]
    digest: Callable[[Any], bytes]

    def __call__(self, data: bytes) -> bytes:
        return self.digest(self.new(data))

    def node(self, left: bytes, right: bytes) -> bytes:
        """RFC 9162 interior node: ``H(0x01 || left || right)``."""
        return self.digest(self.new(NODE_PREFIX + left + right))


_HASHES: Final = {
    "blake3": Hash("blake3", blake3.blake3, blake3.blake3.digest),
    "sha256": Hash("sha256", hashlib.sha256, type(hashlib.sha256()).digest),
}


def find_hash(name: object) -> Hash | None:
    """The hash called ``name``, or None for anything that is not one of HASH_NAMES."""
    return _HASHES.get(name) if type(name) is str else None


def require_hash(name: object) -> Hash:
    """The hash called ``name``; MERKLE.UNKNOWN_HASH for anything else."""
    found = find_hash(name)
    if found is None:
        raise MerkleError("MERKLE.UNKNOWN_HASH", f"hash must be one of {HASH_NAMES}, not {name!r}")
    return found


def leaf_hash(data: bytes | bytearray | memoryview, *, hash: str = DEFAULT_HASH) -> bytes:
    """The RFC 9162 leaf hash ``H(0x00 || data)`` of one leaf's bytes.

    ``data`` is any C-contiguous bytes-like object. Raises MerkleError with MERKLE.LEAF_NOT_BYTES
    for anything else and MERKLE.UNKNOWN_HASH for a hash name not in HASH_NAMES.
    """
    function = require_hash(hash)
    try:
        prefixed = LEAF_PREFIX + data
    except TypeError:
        raise MerkleError(
            "MERKLE.LEAF_NOT_BYTES", f"a leaf must be bytes-like, not {type(data).__name__}"
        ) from None
    return function(prefixed)
