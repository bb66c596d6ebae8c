"""Building: every path (serial, forked, a failed worker) gives the same tree; misuse is typed."""

from __future__ import annotations

import hashlib
import os
from array import array
from typing import Any

import blake3
import pytest
from aetron_merkle import (
    HASH_NAMES,
    MerkleBuilder,
    MerkleError,
    MerkleTree,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

# Enough leaves for three processes of whole 4,096-leaf chunks plus a ragged last one.
LARGE = 3 * 2**14 + 1234


def _leaves(count: int) -> list[bytes]:
    return [hashlib.sha256(b"%d" % i).digest() * 6 + b"\x07" * 8 for i in range(count)]  # 200 B


@pytest.mark.parametrize("name", HASH_NAMES)
def test_forked_build_equals_serial_build(name: str) -> None:
    leaves = _leaves(LARGE)
    serial = MerkleTree.from_leaves(leaves, hash=name, workers=1)
    forked = MerkleTree.from_leaves(leaves, hash=name, workers=3)
    assert forked.root == serial.root
    for index in (0, 4095, 4096, 2**14, 2**15 + 7, LARGE - 1):
        assert forked.inclusion_proof(index) == serial.inclusion_proof(index)
        proof = forked.inclusion_proof(index)
        assert verify_inclusion(
            leaf_hash(leaves[index], hash=name), index, LARGE, proof, forked.root, hash=name
        )
    assert forked.consistency_proof(40_000) == serial.consistency_proof(40_000)
    assert forked.multiproof([1, 5000, LARGE - 2]) == serial.multiproof([1, 5000, LARGE - 2])


def test_a_bad_leaf_is_reported_by_the_caller_whichever_process_meets_it() -> None:
    leaves: list[Any] = _leaves(LARGE)
    leaves[-1] = "not bytes"
    with pytest.raises(MerkleError) as caught:
        MerkleTree.from_leaves(leaves, workers=3)
    assert caught.value.code == "MERKLE.LEAF_NOT_BYTES"
    with pytest.raises(ChildProcessError):  # no child is left behind
        os.waitpid(-1, os.WNOHANG)


class _FailsInWorkers:
    """Leaf data that cannot be hashed outside the process that built it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.owner = os.getpid()

    def __radd__(self, prefix: bytes) -> bytes:
        if os.getpid() != self.owner:
            raise MemoryError("a worker dies here")
        return prefix + self.data


def test_work_a_dead_worker_leaves_is_redone_by_the_caller() -> None:
    data = _leaves(LARGE)
    expected = MerkleTree.from_leaves(data, workers=1).root
    # Every child dies on its first chunk; the caller hashes everything, nothing twice wrong.
    assert MerkleTree.from_leaves([_FailsInWorkers(d) for d in data], workers=3).root == expected


def test_a_million_artifacts_commit_with_twenty_hash_proofs() -> None:
    size = 1_000_000
    stream = blake3.blake3(b"artifacts").digest(200 * size)
    leaves = [stream[at : at + 200] for at in range(0, 200 * size, 200)]
    tree = MerkleTree.from_leaves(leaves)
    assert tree.size == size
    # 20 hashes at most; the right edge skips the levels where its node is carried up.
    for index, length in ((0, 20), (524_287, 20), (524_288, 20), (999_999, 12)):
        proof = tree.inclusion_proof(index)
        assert len(proof) == length
        assert verify_inclusion(leaf_hash(leaves[index]), index, size, proof, tree.root)
    old = MerkleTree.from_leaves(leaves[:600_000])
    proof = tree.consistency_proof(600_000)
    assert verify_consistency(600_000, size, old.root, tree.root, proof)


def test_leaves_may_be_any_iterable_of_bytes_like_objects() -> None:
    plain = [b"ab", b"cd", b"ef"]
    expected = MerkleTree.from_leaves(plain).root
    assert MerkleTree.from_leaves(iter(plain)).root == expected
    assert MerkleTree.from_leaves(tuple(plain)).root == expected
    assert MerkleTree.from_leaves([bytearray(b"ab"), memoryview(b"cd"), b"ef"]).root == expected
    assert MerkleTree.from_leaves([array("B", b"ab"), b"cd", b"ef"]).root == expected


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: MerkleTree.from_leaves([b"a"], hash="sha-256"), "MERKLE.UNKNOWN_HASH"),
        (lambda: MerkleTree.from_leaves([b"a"], hash=None), "MERKLE.UNKNOWN_HASH"),
        (lambda: MerkleBuilder(hash="md5"), "MERKLE.UNKNOWN_HASH"),
        (lambda: leaf_hash(b"a", hash="BLAKE3"), "MERKLE.UNKNOWN_HASH"),
        (lambda: MerkleTree.from_leaves(5), "MERKLE.LEAVES_NOT_ITERABLE"),
        (lambda: MerkleTree.from_leaves(b"abc"), "MERKLE.LEAF_NOT_BYTES"),
        (lambda: MerkleTree.from_leaves(["text"]), "MERKLE.LEAF_NOT_BYTES"),
        (lambda: MerkleTree.from_leaves([b"a", None]), "MERKLE.LEAF_NOT_BYTES"),
        (lambda: MerkleTree.from_leaves([memoryview(b"abcd")[::2]]), "MERKLE.LEAF_NOT_BYTES"),
        (lambda: leaf_hash("text"), "MERKLE.LEAF_NOT_BYTES"),
        (lambda: MerkleBuilder().append(7), "MERKLE.LEAF_NOT_BYTES"),
        (lambda: MerkleTree.from_leaves([b"a"], workers=0), "MERKLE.INVALID_WORKERS"),
        (lambda: MerkleTree.from_leaves([b"a"], workers=True), "MERKLE.INVALID_WORKERS"),
        (lambda: MerkleTree.from_leaves([b"a"], workers=2.0), "MERKLE.INVALID_WORKERS"),
    ],
)
def test_misuse_raises_typed_errors(call: Any, code: str) -> None:
    with pytest.raises(MerkleError) as caught:
        call()
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("method", "argument", "code"),
    [
        ("inclusion_proof", 5, "MERKLE.INDEX_OUT_OF_RANGE"),
        ("inclusion_proof", -1, "MERKLE.INDEX_OUT_OF_RANGE"),
        ("inclusion_proof", True, "MERKLE.INDEX_OUT_OF_RANGE"),
        ("inclusion_proof", 1.0, "MERKLE.INDEX_OUT_OF_RANGE"),
        ("inclusion_proof", "1", "MERKLE.INDEX_OUT_OF_RANGE"),
        ("consistency_proof", 0, "MERKLE.SIZE_OUT_OF_RANGE"),
        ("consistency_proof", 6, "MERKLE.SIZE_OUT_OF_RANGE"),
        ("consistency_proof", False, "MERKLE.SIZE_OUT_OF_RANGE"),
        ("consistency_proof", None, "MERKLE.SIZE_OUT_OF_RANGE"),
        ("multiproof", [], "MERKLE.NO_INDICES"),
        ("multiproof", 3, "MERKLE.NO_INDICES"),
        ("multiproof", [1, 5], "MERKLE.INDEX_OUT_OF_RANGE"),
        ("multiproof", [2, 1], "MERKLE.INDICES_NOT_INCREASING"),
        ("multiproof", [1, 1], "MERKLE.INDICES_NOT_INCREASING"),
        ("multiproof", [0, True], "MERKLE.INDEX_OUT_OF_RANGE"),
    ],
)
def test_proof_misuse_raises_typed_errors(method: str, argument: Any, code: str) -> None:
    tree = MerkleTree.from_leaves([b"%d" % i for i in range(5)])
    with pytest.raises(MerkleError) as caught:
        getattr(tree, method)(argument)
    assert caught.value.code == code


def test_the_empty_tree_has_a_root_and_no_proofs() -> None:
    for name in HASH_NAMES:
        tree = MerkleTree.from_leaves([], hash=name)
        assert tree.size == 0 and tree.hash == name
        assert tree.root == MerkleBuilder(hash=name).root
        with pytest.raises(MerkleError):
            tree.inclusion_proof(0)
        with pytest.raises(MerkleError):
            tree.consistency_proof(0)


def test_builder_memory_is_logarithmic() -> None:
    builder = MerkleBuilder()
    leaves = _leaves(3000)
    for leaf in leaves:
        builder.append(leaf)
        assert len(builder._stack) == bin(builder.size).count("1")
    assert builder.root == MerkleTree.from_leaves(leaves).root
    assert builder.hash == "blake3"


def test_repr_names_size_hash_and_root() -> None:
    tree = MerkleTree.from_leaves([b"a"], hash="sha256")
    assert repr(tree) == f"MerkleTree(size=1, hash='sha256', root=0x{tree.root.hex()})"
