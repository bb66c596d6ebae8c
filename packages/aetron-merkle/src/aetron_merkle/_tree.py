"""A whole tree kept in memory: its root, and every proof about it."""

from __future__ import annotations

import mmap
from bisect import bisect_left
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from ._build import build_levels, default_workers
from ._errors import MerkleError
from ._hashing import DEFAULT_HASH, HASH_SIZE, Hash, require_hash
from ._shape import split, subtree_level

__all__ = ["MerkleTree"]


class MerkleTree:
    """An RFC 9162 Merkle tree with every level stored: any proof is a few lookups.

    Build one with :meth:`from_leaves`. A tree of ``n`` leaves stores about ``2n`` hashes
    (64 MB for a million leaves) and not the leaves themselves.
    """

    __slots__ = ("_function", "_nodes", "_offsets", "_root", "_size")

    def __init__(
        self, function: Hash, size: int, root: bytes, nodes: mmap.mmap | None, offsets: list[int]
    ) -> None:
        # Internal: the state build_levels returns. Use from_leaves.
        self._function = function
        self._size = size
        self._root = root
        self._nodes = nodes
        self._offsets = offsets

    @classmethod
    def from_leaves(
        cls, leaves: Iterable[Any], *, hash: str = DEFAULT_HASH, workers: int | None = None
    ) -> MerkleTree:
        """The tree over ``leaves``, each a C-contiguous bytes-like object (its leaf data).

        ``hash`` is one of HASH_NAMES. ``workers`` caps the processes used to hash a large tree
        (default: every core this process may use; 1 hashes in this process only). Raises
        MerkleError: MERKLE.UNKNOWN_HASH, MERKLE.LEAVES_NOT_ITERABLE, MERKLE.LEAF_NOT_BYTES,
        MERKLE.INVALID_WORKERS.
        """
        function = require_hash(hash)
        if workers is None:
            workers = default_workers()
        elif isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise MerkleError(
                "MERKLE.INVALID_WORKERS", f"workers must be None or an int >= 1, not {workers!r}"
            )
        if not isinstance(leaves, list | tuple):
            try:
                leaves = list(leaves)
            except TypeError:
                raise MerkleError(
                    "MERKLE.LEAVES_NOT_ITERABLE",
                    f"leaves must be an iterable, not {type(leaves).__name__}",
                ) from None
        if not leaves:
            return cls(function, 0, function(b""), None, [])
        try:
            nodes, offsets = build_levels(leaves, function, workers)
        except TypeError:
            raise MerkleError(
                "MERKLE.LEAF_NOT_BYTES", "every leaf must be a C-contiguous bytes-like object"
            ) from None
        return cls(function, len(leaves), nodes[offsets[-2] : offsets[-1]], nodes, offsets)

    @property
    def root(self) -> bytes:
        """The tree hash (32 bytes); for the empty tree, the hash of the empty string."""
        return self._root

    @property
    def size(self) -> int:
        """The number of leaves."""
        return self._size

    @property
    def hash(self) -> str:
        """The name of the tree's hash function."""
        return self._function.name

    def __repr__(self) -> str:
        return f"MerkleTree(size={self._size}, hash={self.hash!r}, root=0x{self._root.hex()})"

    def _node(self, height: int, index: int) -> bytes:
        assert self._nodes is not None
        at = self._offsets[height] + HASH_SIZE * index
        return self._nodes[at : at + HASH_SIZE]

    def _subtree(self, lo: int, hi: int) -> bytes:
        height = subtree_level(lo, hi)
        return self._node(height, lo >> height)

    def _check_index(self, index: object) -> int:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self._size:
            raise MerkleError(
                "MERKLE.INDEX_OUT_OF_RANGE",
                f"leaf index {index!r} is not an int in [0, {self._size})",
            )
        return index

    def inclusion_proof(self, index: int) -> list[bytes]:
        """RFC 9162 ``PATH(index, D[n])``: the sibling hashes from the leaf up to the root.

        At most 64 hashes (20 for a million leaves). Raises MerkleError with
        MERKLE.INDEX_OUT_OF_RANGE unless ``0 <= index < size``.
        """
        index = self._check_index(index)
        proof = []
        count = self._size
        for height in range(len(self._offsets) - 2):
            sibling = index ^ 1
            if sibling < count:
                proof.append(self._node(height, sibling))
            index >>= 1
            count = (count + 1) >> 1
        return proof

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """RFC 9162 ``PROOF(old_size, D[n])``: proves this tree extends its first ``old_size`` leaves.

        Empty when ``old_size == size``. Raises MerkleError with MERKLE.SIZE_OUT_OF_RANGE unless
        ``1 <= old_size <= size``.
        """
        if (
            isinstance(old_size, bool)
            or not isinstance(old_size, int)
            or not 1 <= old_size <= self._size
        ):
            raise MerkleError(
                "MERKLE.SIZE_OUT_OF_RANGE",
                f"old size {old_size!r} is not an int in [1, {self._size}]",
            )
        # SUBPROOF(m, D[lo:hi], b) walked top-down: each step adds one sibling subtree hash,
        # and the proof lists them bottom-up, after the hash of the old tree's last subtree.
        lo, hi, m, complete = 0, self._size, old_size, True
        siblings = []
        while m != hi - lo:
            k = split(hi - lo)
            if m <= k:
                siblings.append(self._subtree(lo + k, hi))
                hi = lo + k
            else:
                siblings.append(self._subtree(lo, lo + k))
                lo, m, complete = lo + k, m - k, False
        first = [] if complete else [self._subtree(lo, hi)]
        return first + siblings[::-1]

    def multiproof(self, indices: Iterable[int]) -> list[bytes]:
        """The compact proof that the leaves at ``indices`` are in this tree.

        ``indices`` are strictly increasing leaf indices. The proof holds the hash of every
        maximal subtree with none of those leaves, left to right (specs/merkle.md,
        "Multi-proof"); shared and derivable hashes appear once or not at all, so it is never
        longer than the separate inclusion proofs together. Raises MerkleError:
        MERKLE.NO_INDICES, MERKLE.INDEX_OUT_OF_RANGE, MERKLE.INDICES_NOT_INCREASING.
        """
        try:
            wanted = list(indices)
        except TypeError:
            raise MerkleError(
                "MERKLE.NO_INDICES",
                f"indices must be a non-empty iterable, not {type(indices).__name__}",
            ) from None
        if not wanted:
            raise MerkleError("MERKLE.NO_INDICES", "a multi-proof needs at least one index")
        for index in wanted:
            self._check_index(index)
        if any(a >= b for a, b in pairwise(wanted)):
            raise MerkleError("MERKLE.INDICES_NOT_INCREASING", "indices must strictly increase")
        proof: list[bytes] = []
        self._multiproof(wanted, 0, len(wanted), 0, self._size, proof)
        return proof

    def _multiproof(
        self, wanted: list[int], first: int, last: int, lo: int, hi: int, proof: list[bytes]
    ) -> None:
        # wanted[first:last] are the indices inside leaves [lo, hi); depth is at most 64.
        if first == last:
            proof.append(self._subtree(lo, hi))
        elif hi - lo > 1:
            mid = lo + split(hi - lo)
            cut = bisect_left(wanted, mid, first, last)
            self._multiproof(wanted, first, cut, lo, mid, proof)
            self._multiproof(wanted, cut, last, mid, hi, proof)
