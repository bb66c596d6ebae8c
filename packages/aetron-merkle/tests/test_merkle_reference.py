"""Roots and proofs equal RFC 9162's, checked against published values and a naive model.

The model below is written straight from the recursive definitions of RFC 9162 section 2.1
(MTH, PATH, PROOF/SUBPROOF) and shares no code with the package. SHA-256 mode must equal it
and the published Certificate Transparency values; BLAKE3 mode must equal the same model
with BLAKE3 as HASH.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import blake3
import pytest
from aetron_merkle import (
    MerkleBuilder,
    MerkleTree,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
    verify_multiproof,
)
from hypothesis import given, settings
from hypothesis import strategies as st

HashFn = Callable[[bytes], bytes]
HASHES: dict[str, HashFn] = {
    "sha256": lambda data: hashlib.sha256(data).digest(),
    "blake3": lambda data: blake3.blake3(data).digest(),
}


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(h: HashFn, d: list[bytes]) -> bytes:
    if not d:
        return h(b"")
    if len(d) == 1:
        return h(b"\x00" + d[0])
    k = _k(len(d))
    return h(b"\x01" + mth(h, d[:k]) + mth(h, d[k:]))


def path(h: HashFn, m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*path(h, m, d[:k]), mth(h, d[k:])]
    return [*path(h, m - k, d[k:]), mth(h, d[:k])]


def subproof(h: HashFn, m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(h, d)]
    k = _k(len(d))
    if m <= k:
        return [*subproof(h, m, d[:k], b), mth(h, d[k:])]
    return [*subproof(h, m - k, d[k:], False), mth(h, d[:k])]


def multi(h: HashFn, s: list[int], d: list[bytes]) -> list[bytes]:
    """The multi-proof by its definition in specs/merkle.md, over the leaf list itself."""
    if not s:
        return [mth(h, d)]
    if len(d) == 1:
        return []
    k = _k(len(d))
    return [
        *multi(h, [i for i in s if i < k], d[:k]),
        *multi(h, [i - k for i in s if i >= k], d[k:]),
    ]


# transparency-dev/merkle, proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472;
# the same values as google/certificate-transparency's C++ and Go tests): leaves, the roots of
# their prefixes of size 1..8, and known inclusion and consistency proofs. Indices there are
# 1-based for inclusion proofs; they are 0-based here.
CT_LEAVES = [
    bytes.fromhex(x)
    for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f")
]  # fmt: skip
CT_EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CT_CONSISTENCY = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip


def test_published_roots() -> None:
    assert MerkleTree.from_leaves([], hash="sha256").root.hex() == CT_EMPTY_ROOT
    for size, root in enumerate(CT_ROOTS, start=1):
        assert MerkleTree.from_leaves(CT_LEAVES[:size], hash="sha256").root.hex() == root
        assert mth(HASHES["sha256"], CT_LEAVES[:size]).hex() == root  # the model is right too


@pytest.mark.parametrize(("index", "size", "proof"), CT_INCLUSION)
def test_published_inclusion_proofs(index: int, size: int, proof: list[str]) -> None:
    tree = MerkleTree.from_leaves(CT_LEAVES[:size], hash="sha256")
    assert [p.hex() for p in tree.inclusion_proof(index)] == proof
    leaf = leaf_hash(CT_LEAVES[index], hash="sha256")
    assert verify_inclusion(
        leaf, index, size, tree.inclusion_proof(index), tree.root, hash="sha256"
    )


@pytest.mark.parametrize(("size1", "size2", "proof"), CT_CONSISTENCY)
def test_published_consistency_proofs(size1: int, size2: int, proof: list[str]) -> None:
    tree = MerkleTree.from_leaves(CT_LEAVES[:size2], hash="sha256")
    assert [p.hex() for p in tree.consistency_proof(size1)] == proof
    root1 = bytes.fromhex(CT_ROOTS[size1 - 1])
    assert verify_consistency(
        size1, size2, root1, tree.root, [bytes.fromhex(p) for p in proof], hash="sha256"
    )


def test_blake3_empty_root_is_blake3_of_nothing() -> None:
    assert MerkleTree.from_leaves([]).root == blake3.blake3(b"").digest()
    assert MerkleTree.from_leaves([]).root.hex().startswith("af1349b9")


def test_a_promoted_node_is_never_duplicated() -> None:
    h = HASHES["blake3"]
    a, b, c = (h(b"\x00" + x) for x in (b"a", b"b", b"c"))
    # Three leaves: ((a, b), c), with c carried up unchanged; duplicating it would give
    # ((a, b), (c, c)), the CVE-2012-2459 shape.
    tree = MerkleTree.from_leaves([b"a", b"b", b"c"])
    assert tree.root == h(b"\x01" + h(b"\x01" + a + b) + c)
    assert tree.root != MerkleTree.from_leaves([b"a", b"b", b"c", b"c"]).root


leaf_lists = st.lists(st.binary(max_size=24), min_size=1, max_size=70)
hash_names = st.sampled_from(sorted(HASHES))


@settings(max_examples=60, deadline=None)
@given(leaves=leaf_lists, name=hash_names)
def test_roots_and_all_proofs_equal_the_rfc_model(leaves: list[bytes], name: str) -> None:
    h = HASHES[name]
    tree = MerkleTree.from_leaves(leaves, hash=name)
    assert tree.size == len(leaves)
    assert tree.root == mth(h, leaves)
    for m in range(len(leaves)):
        assert tree.inclusion_proof(m) == path(h, m, leaves)
    for m in range(1, len(leaves) + 1):
        assert tree.consistency_proof(m) == subproof(h, m, leaves, True)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), leaves=leaf_lists, name=hash_names)
def test_multiproof_equals_its_definition(
    data: st.DataObject, leaves: list[bytes], name: str
) -> None:
    h = HASHES[name]
    indices = sorted(data.draw(st.sets(st.integers(0, len(leaves) - 1), min_size=1)))
    tree = MerkleTree.from_leaves(leaves, hash=name)
    proof = tree.multiproof(indices)
    assert proof == multi(h, indices, leaves)
    hashes = [leaf_hash(leaves[i], hash=name) for i in indices]
    assert verify_multiproof(hashes, indices, len(leaves), proof, tree.root, hash=name)


@settings(max_examples=40, deadline=None)
@given(leaves=st.lists(st.binary(max_size=8), max_size=140), name=hash_names)
def test_builder_root_equals_the_tree_root_at_every_size(leaves: list[bytes], name: str) -> None:
    h = HASHES[name]
    builder = MerkleBuilder(hash=name)
    assert builder.root == h(b"")
    for size, leaf in enumerate(leaves, start=1):
        builder.append(leaf)
        assert builder.size == size
        assert builder.root == mth(h, leaves[:size])


def test_leaf_hash_is_prefixed_with_zero() -> None:
    for name, h in HASHES.items():
        assert leaf_hash(b"artifact", hash=name) == h(b"\x00artifact")
        assert leaf_hash(bytearray(b"ab"), hash=name) == leaf_hash(memoryview(b"ab"), hash=name)
    assert leaf_hash(b"x") == leaf_hash(b"x", hash="blake3")
