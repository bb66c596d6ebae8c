"""RFC 9162 Merkle trees with BLAKE3-256: AETRON's commitment to a batch of artifacts.

A miner commits up to a million validation artifacts per epoch with one root; any one of
them, or any set of them, can later be proven to be in the batch. The tree is the one of
RFC 9162 (Certificate Transparency v2); with ``hash="sha256"`` every root and proof is
exactly RFC 9162's. See specs/merkle.md.
"""

from __future__ import annotations

from ._builder import MerkleBuilder
from ._errors import MerkleError
from ._hashing import DEFAULT_HASH, HASH_NAMES, HASH_SIZE, LEAF_PREFIX, NODE_PREFIX, leaf_hash
from ._shape import MAX_TREE_SIZE
from ._tree import MerkleTree
from ._verify import verify_consistency, verify_inclusion, verify_multiproof

__all__ = [
    "DEFAULT_HASH",
    "HASH_NAMES",
    "HASH_SIZE",
    "LEAF_PREFIX",
    "MAX_TREE_SIZE",
    "NODE_PREFIX",
    "MerkleBuilder",
    "MerkleError",
    "MerkleTree",
    "leaf_hash",
    "verify_consistency",
    "verify_inclusion",
    "verify_multiproof",
]
