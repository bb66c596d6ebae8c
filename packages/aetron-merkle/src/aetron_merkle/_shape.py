"""The shape of an RFC 9162 tree: where it splits and how its levels are laid out."""

from __future__ import annotations

from typing import Final

from ._hashing import HASH_SIZE

__all__ = ["MAX_TREE_SIZE", "level_offsets", "split", "subtree_level"]

# Tree sizes and leaf indices travel as u64.
MAX_TREE_SIZE: Final = 2**64 - 1


def split(size: int) -> int:
    """The largest power of two smaller than ``size`` (``size >= 2``): RFC 9162's ``k``."""
    return 1 << ((size - 1).bit_length() - 1)


def level_offsets(size: int) -> list[int]:
    """Byte offsets of the stored levels of a tree of ``size >= 1`` leaves, plus the total.

    Level 0 holds the leaf hashes; level ``l + 1`` holds ``ceil(count(l) / 2)`` hashes, an
    unpaired last hash being carried up unchanged, until a level of one hash, the root.
    Node ``i`` of level ``l`` is the tree hash of leaves ``[i * 2**l, min((i + 1) * 2**l, size))``.
    """
    offsets = [0]
    count = size
    while True:
        offsets.append(offsets[-1] + HASH_SIZE * count)
        if count == 1:
            return offsets
        count = (count + 1) // 2


def subtree_level(lo: int, hi: int) -> int:
    """The level whose node ``lo >> level`` is the tree hash of leaves ``[lo, hi)``.

    Valid for the ranges RFC 9162's recursion visits: ``hi - lo`` is a power of two with ``lo``
    a multiple of it, or ``hi`` is the tree size and ``lo`` is a multiple of
    ``2**ceil(log2(hi - lo))``.
    """
    return (hi - lo - 1).bit_length()
