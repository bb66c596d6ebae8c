"""Proof verification. These functions answer True or False and never raise: any input that
is not exactly what a valid proof needs (a hash that is not 32 ``bytes``, an index or size that
is not an ``int`` in range, a proof that is not exactly a list or tuple) is a proof that fails.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from ._hashing import DEFAULT_HASH, HASH_SIZE, Hash, find_hash
from ._shape import MAX_TREE_SIZE, split

__all__ = ["verify_consistency", "verify_inclusion", "verify_multiproof"]


def _is_hash(value: object) -> bool:
    return type(value) is bytes and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_TREE_SIZE


def _is_list(value: object) -> bool:
    # Exactly list or tuple: a subclass could raise from its own __iter__ or __len__.
    return type(value) is list or type(value) is tuple


def verify_inclusion(
    leaf_hash: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    root: bytes,
    *,
    hash: str = DEFAULT_HASH,
) -> bool:
    """True when ``proof`` shows ``leaf_hash`` at ``index`` in the tree of ``size`` leaves with ``root``.

    RFC 9162 section 2.1.3.2, with ``0 <= index < size <= MAX_TREE_SIZE`` and every hash 32
    bytes. False for any other input; never raises.
    """
    function = find_hash(hash)
    if (
        function is None
        or not _is_hash(leaf_hash)
        or not _is_hash(root)
        or not _is_size(index)
        or not _is_size(size)
        or not index < size
        or not _is_list(proof)
    ):
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0 or not _is_hash(p):
            return False
        if fn & 1 or fn == sn:
            r = function.node(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = function.node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    size1: int,
    size2: int,
    root1: bytes,
    root2: bytes,
    proof: Sequence[bytes],
    *,
    hash: str = DEFAULT_HASH,
) -> bool:
    """True when ``proof`` shows the tree ``(size2, root2)`` extends the tree ``(size1, root1)``.

    RFC 9162 section 2.1.4.2 for ``0 < size1 < size2``; when ``size1 == size2`` the proof must
    be empty and the roots equal. Requires ``1 <= size1 <= size2 <= MAX_TREE_SIZE`` and every
    hash 32 bytes. False for any other input; never raises.
    """
    function = find_hash(hash)
    if (
        function is None
        or not _is_hash(root1)
        or not _is_hash(root2)
        or not _is_size(size1)
        or not _is_size(size2)
        or not 0 < size1 <= size2
        or not _is_list(proof)
    ):
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if not proof:
        return False
    # When size1 is a power of two, the old tree is a subtree of the new one and its root is
    # the proof's implicit first hash.
    rest = iter(proof)
    seed = root1 if size1 & (size1 - 1) == 0 else next(rest)
    if not _is_hash(seed):
        return False
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = seed
    for c in rest:
        if sn == 0 or not _is_hash(c):
            return False
        if fn & 1 or fn == sn:
            fr = function.node(c, fr)
            sr = function.node(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = function.node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


class _Reject(Exception):
    pass


def verify_multiproof(
    leaf_hashes: Sequence[bytes],
    indices: Sequence[int],
    size: int,
    proof: Sequence[bytes],
    root: bytes,
    *,
    hash: str = DEFAULT_HASH,
) -> bool:
    """True when ``proof`` shows each ``leaf_hashes[j]`` at ``indices[j]`` in the tree ``(size, root)``.

    ``indices`` strictly increase and ``leaf_hashes`` is in the same order; ``proof`` is what
    :meth:`MerkleTree.multiproof` returns, every hash of it used exactly once. False for any
    other input; never raises.
    """
    function = find_hash(hash)
    if (
        function is None
        or not _is_hash(root)
        or not _is_size(size)
        or not _is_list(leaf_hashes)
        or not _is_list(indices)
        or not _is_list(proof)
        or not 0 < len(indices) == len(leaf_hashes)
        or not all(map(_is_hash, leaf_hashes))
        or not all(map(_is_size, indices))
        or not all(a < b for a, b in pairwise(indices))
        or not indices[-1] < size
    ):
        return False
    replay = _Replay(function, leaf_hashes, indices, proof)
    try:
        computed = replay.subtree(0, len(indices), 0, size)
    except _Reject:
        return False
    return replay.used == len(proof) and computed == root


class _Replay:
    """Recomputes tree hashes from the proven leaves and the proof's hashes, in proof order."""

    def __init__(
        self, function: Hash, leaf_hashes: Sequence[bytes], indices: Sequence[int], proof: Any
    ) -> None:
        self.function = function
        self.leaf_hashes = leaf_hashes
        self.indices = indices
        self.proof = proof
        self.used = 0

    def subtree(self, first: int, last: int, lo: int, hi: int) -> bytes:
        # indices[first:last] are the proven leaves inside [lo, hi); depth is at most 64.
        if first == last:
            if self.used == len(self.proof) or not _is_hash(self.proof[self.used]):
                raise _Reject
            self.used += 1
            hash_: bytes = self.proof[self.used - 1]
            return hash_
        if hi - lo == 1:
            return self.leaf_hashes[first]
        mid = lo + split(hi - lo)
        cut = bisect_left(self.indices, mid, first, last)
        left = self.subtree(first, cut, lo, mid)
        right = self.subtree(cut, last, mid, hi)
        return self.function.node(left, right)
