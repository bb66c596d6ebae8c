"""Verification accepts every honest proof and rejects every corrupted or malformed one."""

from __future__ import annotations

from typing import Any

from aetron_merkle import (
    MAX_TREE_SIZE,
    MerkleTree,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
    verify_multiproof,
)
from hypothesis import given, settings
from hypothesis import strategies as st

hash_names = st.sampled_from(["blake3", "sha256"])


def _flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _tree(size: int, name: str) -> tuple[MerkleTree, list[bytes]]:
    leaves = [b"leaf %d" % i for i in range(size)]
    return MerkleTree.from_leaves(leaves, hash=name), [leaf_hash(x, hash=name) for x in leaves]


@settings(max_examples=80, deadline=None)
@given(size=st.integers(1, 300), data=st.data(), name=hash_names)
def test_inclusion_honest_verifies_and_every_single_bit_flip_fails(
    size: int, data: st.DataObject, name: str
) -> None:
    tree, hashes = _tree(size, name)
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index)
    assert verify_inclusion(hashes[index], index, size, proof, tree.root, hash=name)
    assert verify_inclusion(hashes[index], index, size, tuple(proof), tree.root, hash=name)
    bit = data.draw(st.integers(0, 255))
    assert not verify_inclusion(_flip(hashes[index], bit), index, size, proof, tree.root, hash=name)
    assert not verify_inclusion(hashes[index], index, size, proof, _flip(tree.root, bit), hash=name)
    for k in range(len(proof)):
        bad = [*proof[:k], _flip(proof[k], bit), *proof[k + 1 :]]
        assert not verify_inclusion(hashes[index], index, size, bad, tree.root, hash=name)
    # Any other leaf position of the same tree, a shorter or a longer proof.
    if size > 1:
        other = (index + data.draw(st.integers(1, size - 1))) % size
        assert not verify_inclusion(hashes[index], other, size, proof, tree.root, hash=name)
    if proof:
        assert not verify_inclusion(hashes[index], index, size, proof[:-1], tree.root, hash=name)
        assert not verify_inclusion(hashes[index], index, size, proof[1:], tree.root, hash=name)
    assert not verify_inclusion(
        hashes[index], index, size, [*proof, tree.root], tree.root, hash=name
    )
    assert not verify_inclusion(
        hashes[index], index, size, [tree.root, *proof], tree.root, hash=name
    )
    # The other hash function never verifies it.
    other_name = "sha256" if name == "blake3" else "blake3"
    if size > 1:
        assert not verify_inclusion(hashes[index], index, size, proof, tree.root, hash=other_name)


@settings(max_examples=80, deadline=None)
@given(size2=st.integers(2, 300), data=st.data(), name=hash_names)
def test_consistency_honest_verifies_and_every_single_bit_flip_fails(
    size2: int, data: st.DataObject, name: str
) -> None:
    new, _ = _tree(size2, name)
    size1 = data.draw(st.integers(1, size2 - 1))
    old, _ = _tree(size1, name)
    proof = new.consistency_proof(size1)
    assert verify_consistency(size1, size2, old.root, new.root, proof, hash=name)
    bit = data.draw(st.integers(0, 255))
    assert not verify_consistency(size1, size2, _flip(old.root, bit), new.root, proof, hash=name)
    assert not verify_consistency(size1, size2, old.root, _flip(new.root, bit), proof, hash=name)
    for k in range(len(proof)):
        bad = [*proof[:k], _flip(proof[k], bit), *proof[k + 1 :]]
        assert not verify_consistency(size1, size2, old.root, new.root, bad, hash=name)
    assert not verify_consistency(size1, size2, old.root, new.root, proof[:-1], hash=name)
    assert not verify_consistency(size1, size2, old.root, new.root, [*proof, proof[0]], hash=name)
    assert not verify_consistency(size1, size2, old.root, new.root, [old.root, *proof], hash=name)
    assert not verify_consistency(size1, size2, new.root, old.root, proof, hash=name)
    assert not verify_consistency(size2, size1, new.root, old.root, proof, hash=name)
    assert not verify_consistency(size1, size2, old.root, new.root, [], hash=name)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 300), data=st.data(), name=hash_names)
def test_multiproof_honest_verifies_and_every_single_bit_flip_fails(
    size: int, data: st.DataObject, name: str
) -> None:
    tree, hashes = _tree(size, name)
    indices = sorted(data.draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=40)))
    chosen = [hashes[i] for i in indices]
    proof = tree.multiproof(indices)
    assert verify_multiproof(chosen, indices, size, proof, tree.root, hash=name)
    separate = sum(len(tree.inclusion_proof(i)) for i in indices)
    assert len(proof) <= separate
    bit = data.draw(st.integers(0, 255))
    assert not verify_multiproof(chosen, indices, size, proof, _flip(tree.root, bit), hash=name)
    for k in range(len(proof)):
        bad = [*proof[:k], _flip(proof[k], bit), *proof[k + 1 :]]
        assert not verify_multiproof(chosen, indices, size, bad, tree.root, hash=name)
    for k in range(len(chosen)):
        bad = [*chosen[:k], _flip(chosen[k], bit), *chosen[k + 1 :]]
        assert not verify_multiproof(bad, indices, size, proof, tree.root, hash=name)
    assert not verify_multiproof(chosen, indices, size, [*proof, tree.root], tree.root, hash=name)
    if proof:
        assert not verify_multiproof(chosen, indices, size, proof[:-1], tree.root, hash=name)
    if len(indices) > 1:
        swapped = [chosen[1], chosen[0], *chosen[2:]]
        assert not verify_multiproof(swapped, indices, size, proof, tree.root, hash=name)
        assert not verify_multiproof(chosen[1:], indices[1:], size, proof, tree.root, hash=name)


def test_multiproof_of_a_replay_sample_is_much_shorter() -> None:
    tree, hashes = _tree(10_000, "blake3")
    indices = list(range(3, 10_000, 14))  # about 7 % of the batch
    proof = tree.multiproof(indices)
    separate = sum(len(tree.inclusion_proof(i)) for i in indices)
    assert len(proof) < separate // 3
    chosen = [hashes[i] for i in indices]
    assert verify_multiproof(chosen, indices, 10_000, proof, tree.root)


def test_edge_sizes() -> None:
    tree, hashes = _tree(1, "blake3")
    assert tree.root == hashes[0] and tree.inclusion_proof(0) == []
    assert verify_inclusion(hashes[0], 0, 1, [], tree.root)
    assert verify_consistency(1, 1, tree.root, tree.root, [])
    assert not verify_consistency(1, 1, tree.root, hashes[0][::-1], [])
    assert not verify_consistency(1, 1, tree.root, tree.root, [tree.root])
    assert verify_multiproof(hashes, [0], 1, [], tree.root)
    empty = MerkleTree.from_leaves([])
    assert not verify_consistency(0, 1, empty.root, tree.root, [])
    assert not verify_consistency(0, 0, empty.root, empty.root, [])
    assert not verify_inclusion(hashes[0], 0, 0, [], empty.root)


def test_a_proof_binds_the_size_only_through_the_root() -> None:
    # RFC 9162 inclusion proofs do not encode the size: leaf 0's proof in a tree of 3 leaves
    # also fits a tree of 4 whose root is the same hash. The size must come with the root.
    tree, hashes = _tree(3, "sha256")
    proof = tree.inclusion_proof(0)
    assert verify_inclusion(hashes[0], 0, 4, proof, tree.root, hash="sha256")


def test_huge_sizes_are_handled_without_building_anything() -> None:
    h = leaf_hash(b"x")
    size = MAX_TREE_SIZE
    # The rightmost leaf of the largest tree: 64 levels, every sibling on the left.
    proof = [bytes([i]) * 32 for i in range(64)]
    assert not verify_inclusion(h, size - 1, size, proof, h)
    assert not verify_inclusion(h, size, size + 1, proof, h)
    assert not verify_consistency(1, size + 1, h, h, proof)
    assert not verify_multiproof([h], [size - 1], size, proof, h)


class _Hostile(list):  # type: ignore[type-arg]
    """A list that raises from everything a verifier might call on it."""

    def __iter__(self) -> Any:
        raise RuntimeError("hostile")

    def __len__(self) -> int:
        raise RuntimeError("hostile")

    def __getitem__(self, item: Any) -> Any:
        raise RuntimeError("hostile")


garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.binary(min_size=32, max_size=32).map(bytearray),
    st.lists(st.binary(min_size=31, max_size=33), max_size=5),
    st.lists(st.integers(-3, 3), max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just([[b"\x00" * 32]]),
    st.just(object()),
    st.just(_Hostile([b"\x00" * 32])),
)


def _call(func: Any, *args: Any, **kwargs: Any) -> bool:
    result = func(*args, **kwargs)
    assert result is False or result is True
    return bool(result)


@settings(max_examples=300, deadline=None)
@given(args=st.lists(garbage, min_size=5, max_size=5), name=st.one_of(hash_names, garbage))
def test_verifiers_never_raise_on_garbage(args: list[Any], name: Any) -> None:
    _call(verify_inclusion, *args, hash=name)
    _call(verify_consistency, *args, hash=name)
    _call(verify_multiproof, *args, hash=name)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), position=st.integers(0, 4), value=garbage)
def test_one_garbage_argument_in_an_honest_call_fails(
    data: st.DataObject, position: int, value: Any
) -> None:
    tree, hashes = _tree(11, "blake3")
    index = data.draw(st.integers(0, 10))
    inclusion: list[Any] = [hashes[index], index, 11, tree.inclusion_proof(index), tree.root]
    old, _ = _tree(6, "blake3")
    consistency: list[Any] = [6, 11, old.root, tree.root, tree.consistency_proof(6)]
    multi: list[Any] = [[hashes[index]], [index], 11, tree.multiproof([index]), tree.root]
    for func, args in (
        (verify_inclusion, inclusion),
        (verify_consistency, consistency),
        (verify_multiproof, multi),
    ):
        assert _call(func, *args)
        if type(value) is type(args[position]) and (type(value) is int or value == args[position]):
            # Not garbage: the honest value itself, or another size, which can be consistent
            # with the same hashes (see the size-binding test).
            continue
        args[position] = value
        assert not _call(func, *args)
    for func in (verify_inclusion, verify_consistency, verify_multiproof):
        assert not _call(func, *inclusion, hash="sha-256")
