"""The root of a growing tree in O(log n) memory."""

from __future__ import annotations

from ._errors import MerkleError
from ._hashing import DEFAULT_HASH, LEAF_PREFIX, require_hash

__all__ = ["MerkleBuilder"]


class MerkleBuilder:
    """Append-only: takes leaves one at a time and gives the RFC 9162 root of those so far.

    It keeps the roots of the perfect subtrees the leaves so far fall into, one per set bit
    of the size (at most 64 hashes), so memory stays O(log n) however many leaves come.
    """

    __slots__ = ("_function", "_size", "_stack")

    def __init__(self, *, hash: str = DEFAULT_HASH) -> None:
        """An empty builder. Raises MerkleError with MERKLE.UNKNOWN_HASH for an unknown hash."""
        self._function = require_hash(hash)
        self._size = 0
        # Roots of perfect subtrees, largest (leftmost) first.
        self._stack: list[bytes] = []

    @property
    def size(self) -> int:
        """The number of leaves appended so far."""
        return self._size

    @property
    def hash(self) -> str:
        """The name of the builder's hash function."""
        return self._function.name

    def append(self, data: bytes | bytearray | memoryview) -> None:
        """Add one leaf. Raises MerkleError with MERKLE.LEAF_NOT_BYTES unless ``data`` is bytes-like."""
        try:
            prefixed = LEAF_PREFIX + data
        except TypeError:
            raise MerkleError(
                "MERKLE.LEAF_NOT_BYTES", f"a leaf must be bytes-like, not {type(data).__name__}"
            ) from None
        node = self._function(prefixed)
        # Each trailing set bit of the old size is a perfect subtree this leaf completes.
        size = self._size
        while size & 1:
            node = self._function.node(self._stack.pop(), node)
            size >>= 1
        self._stack.append(node)
        self._size += 1

    @property
    def root(self) -> bytes:
        """The root of the tree of the leaves so far; the hash of the empty string when none."""
        if not self._stack:
            return self._function(b"")
        node = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            node = self._function.node(left, node)
        return node
