"""Merkle vectors: RFC 9162 trees with BLAKE3-256 and SHA-256, their proofs, and broken proofs.

Handlers (every ``hash`` is ``"blake3"`` or ``"sha256"``; sizes and indices are u64 decimal
strings; byte strings are ``0x`` hex):

``merkle.leaf_hash``
    input ``{"hash", "data"}``; output ``{"leaf_hash"}``.
``merkle.root``
    input ``{"hash", "leaves": [...]}``; output ``{"root"}``.
``merkle.inclusion_proof``
    input ``{"hash", "leaves", "index"}``; output ``{"proof": [...]}``.
``merkle.consistency_proof``
    input ``{"hash", "leaves", "old_size"}``; output ``{"proof": [...]}``.
``merkle.multiproof``
    input ``{"hash", "leaves", "indices": [...]}``; output ``{"proof": [...]}``.
``merkle.verify_inclusion``
    input ``{"hash", "leaf_hash", "index", "size", "proof", "root"}``; output
    ``{"verified": true}``, or the rejection MERKLE.INCLUSION_PROOF_INVALID.
``merkle.verify_consistency``
    input ``{"hash", "size1", "size2", "root1", "root2", "proof"}``; output
    ``{"verified": true}``, or the rejection MERKLE.CONSISTENCY_PROOF_INVALID.
``merkle.verify_multiproof``
    input ``{"hash", "leaf_hashes", "indices", "size", "proof", "root"}``; output
    ``{"verified": true}``, or the rejection MERKLE.MULTIPROOF_INVALID.

A verifier answers only valid or invalid: a size or index that is not a u64 (``"-1"``,
``"18446744073709551616"``) or a hash that is not 32 bytes is a proof that fails, with the
same code. The SHA-256 trees over the Certificate Transparency test leaves are checked, when
generated, against the roots and proofs published with transparency-dev/merkle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import aetron_merkle as m

from .._vector import HandlerError, Vector

DOMAIN = "merkle"
_GENERATOR = "aetron_conformance.domains.merkle"
_SPEC = "specs/merkle.md"
_CT_SOURCE = (
    "transparency-dev/merkle proof/verify_test.go at 02194e9afb6c1d95b5381350007963aa70fff472 "
    "(the RFC 6962 reference tree of google/certificate-transparency)"
)

# The published reference tree (see _CT_SOURCE): leaves, the roots of sizes 0..8, and proofs.
_CT_LEAVES = [
    bytes.fromhex(x)
    for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f")
]  # fmt: skip
_CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
_CT_INCLUSION = {
    (0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (1, 5): ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
}  # fmt: skip
_CT_CONSISTENCY = {
    (1, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
    (6, 7): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}  # fmt: skip

_INVALID = {
    "merkle.verify_inclusion": "MERKLE.INCLUSION_PROOF_INVALID",
    "merkle.verify_consistency": "MERKLE.CONSISTENCY_PROOF_INVALID",
    "merkle.verify_multiproof": "MERKLE.MULTIPROOF_INVALID",
}


# --- JSON forms ----------------------------------------------------------------------------


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def _hexes(items: list[bytes]) -> list[str]:
    return [_hex(item) for item in items]


def _unhex(value: Any) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(r"0x(?:[0-9a-f]{2})*", value):
        raise ValueError(f"not 0x-prefixed lowercase hex: {value!r}")
    return bytes.fromhex(value[2:])


def _int(value: Any) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?(?:0|[1-9][0-9]*)", value):
        raise ValueError(f"not a decimal string: {value!r}")
    return int(value)


def _leaves(input: dict[str, Any]) -> list[bytes]:
    return [_unhex(leaf) for leaf in input["leaves"]]


def _tree(input: dict[str, Any]) -> m.MerkleTree:
    return m.MerkleTree.from_leaves(_leaves(input), hash=input["hash"])


# --- Handlers ------------------------------------------------------------------------------


def _verified(handler: str, ok: bool) -> dict[str, Any]:
    if not ok:
        raise HandlerError(_INVALID[handler])
    return {"verified": True}


def _verify_inclusion(input: dict[str, Any]) -> dict[str, Any]:
    ok = m.verify_inclusion(
        _unhex(input["leaf_hash"]),
        _int(input["index"]),
        _int(input["size"]),
        [_unhex(p) for p in input["proof"]],
        _unhex(input["root"]),
        hash=input["hash"],
    )
    return _verified("merkle.verify_inclusion", ok)


def _verify_consistency(input: dict[str, Any]) -> dict[str, Any]:
    ok = m.verify_consistency(
        _int(input["size1"]),
        _int(input["size2"]),
        _unhex(input["root1"]),
        _unhex(input["root2"]),
        [_unhex(p) for p in input["proof"]],
        hash=input["hash"],
    )
    return _verified("merkle.verify_consistency", ok)


def _verify_multiproof(input: dict[str, Any]) -> dict[str, Any]:
    ok = m.verify_multiproof(
        [_unhex(h) for h in input["leaf_hashes"]],
        [_int(i) for i in input["indices"]],
        _int(input["size"]),
        [_unhex(p) for p in input["proof"]],
        _unhex(input["root"]),
        hash=input["hash"],
    )
    return _verified("merkle.verify_multiproof", ok)


_HANDLERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "merkle.leaf_hash": lambda i: {
        "leaf_hash": _hex(m.leaf_hash(_unhex(i["data"]), hash=i["hash"]))
    },
    "merkle.root": lambda i: {"root": _hex(_tree(i).root)},
    "merkle.inclusion_proof": lambda i: {
        "proof": _hexes(_tree(i).inclusion_proof(_int(i["index"])))
    },
    "merkle.consistency_proof": lambda i: {
        "proof": _hexes(_tree(i).consistency_proof(_int(i["old_size"])))
    },
    "merkle.multiproof": lambda i: {
        "proof": _hexes(_tree(i).multiproof([_int(x) for x in i["indices"]]))
    },
    "merkle.verify_inclusion": _verify_inclusion,
    "merkle.verify_consistency": _verify_consistency,
    "merkle.verify_multiproof": _verify_multiproof,
}


def handle(handler: str, input: dict[str, Any]) -> Any:
    """Run one merkle case."""
    return _HANDLERS[handler](input)


# --- Cases ---------------------------------------------------------------------------------


def _artifact(index: int) -> bytes:
    """Short deterministic leaf data, different for every index."""
    return m.leaf_hash(b"artifact %d" % index)[: 8 + index % 9]


def _data(size: int) -> list[bytes]:
    return _CT_LEAVES[:size] if size <= len(_CT_LEAVES) else [_artifact(i) for i in range(size)]


def _case(
    group: str,
    case: str,
    description: str,
    input: dict[str, Any],
    section: str,
    *,
    expect: str | None = None,
    source: str | None = None,
) -> Vector:
    """A vector whose expectation is what the reference answers; ``expect`` pins an error code."""
    handler = f"merkle.{group}"
    try:
        expected = Vector.valid(handle(handler, input))
    except (HandlerError, m.MerkleError) as exc:
        expected = Vector.invalid(exc.code)
    if case.startswith("invalid_") != (expected["result"] == "invalid"):
        raise AssertionError(f"merkle/{group}/{case}: reference answered {expected}")
    if expect is not None and expected != Vector.invalid(expect):
        raise AssertionError(f"merkle/{group}/{case}: expected {expect}, got {expected}")
    return Vector(
        id=f"merkle/{group}/{case}",
        handler=handler,
        description=description,
        input=input,
        expected=expected,
        spec=f"{_SPEC}#{section}",
        generator=_GENERATOR,
        source=source,
    )


def _flip(data: bytes, bit: int = 3) -> bytes:
    out = bytearray(data)
    out[0] ^= 1 << bit
    return bytes(out)


def _generation(name: str) -> Iterator[Vector]:
    ct = name == "sha256"
    for size in [*range(9), 13, 97, 257]:
        leaves = _data(size)
        source = _CT_SOURCE if ct and size <= 8 else None
        if source is not None:
            root = m.MerkleTree.from_leaves(leaves, hash=name).root.hex()
            assert root == _CT_ROOTS[size], f"SHA-256 root of size {size} is not RFC 6962's"
        yield _case(
            "root",
            f"{name}_size_{size}",
            f"{name} tree hash of {size} leaves.",
            {"hash": name, "leaves": _hexes(leaves)},
            "tree-hash",
            source=source,
        )
    for data in (b"", bytes(range(200))):
        yield _case(
            "leaf_hash",
            f"{name}_{len(data)}_bytes",
            f"{name} leaf hash of {len(data)} bytes: H(0x00 || data).",
            {"hash": name, "data": _hex(data)},
            "leaf-and-node-hashes",
        )
    for size, indices in ((7, list(range(7))), (8, list(range(8))), (97, [0, 44, 63, 64, 96])):
        leaves = _data(size)
        for index in indices:
            known = _CT_INCLUSION.get((index, size)) if ct else None
            if known is not None:
                got = m.MerkleTree.from_leaves(leaves, hash=name).inclusion_proof(index)
                assert _hexes(got) == ["0x" + k for k in known]
            yield _case(
                "inclusion_proof",
                f"{name}_{index}_of_{size}",
                f"{name} inclusion proof of leaf {index} in a tree of {size}.",
                {"hash": name, "leaves": _hexes(leaves), "index": str(index)},
                "inclusion-proof",
                source=_CT_SOURCE if known is not None else None,
            )
    for size, olds in (
        (5, list(range(1, 6))),
        (7, list(range(1, 8))),
        (8, list(range(1, 9))),
        (97, [1, 40, 64]),
    ):
        leaves = _data(size)
        for old in olds:
            known = _CT_CONSISTENCY.get((old, size)) if ct else None
            if known is not None:
                got = m.MerkleTree.from_leaves(leaves, hash=name).consistency_proof(old)
                assert _hexes(got) == ["0x" + k for k in known]
            yield _case(
                "consistency_proof",
                f"{name}_{old}_to_{size}",
                f"{name} consistency proof from the first {old} leaves to all {size}.",
                {"hash": name, "leaves": _hexes(leaves), "old_size": str(old)},
                "consistency-proof",
                source=_CT_SOURCE if known is not None else None,
            )
    for size, indices in (
        (8, [5]),
        (8, list(range(8))),
        (13, [0, 5, 6, 12]),
        (97, [3, 40, 41, 42, 90]),
    ):
        leaves = _data(size)
        label = "_".join(map(str, indices)) if len(indices) < 8 else "all"
        yield _case(
            "multiproof",
            f"{name}_{label}_of_{size}",
            f"{name} multi-proof of leaves {indices} in a tree of {size}.",
            {"hash": name, "leaves": _hexes(leaves), "indices": [str(i) for i in indices]},
            "multi-proof",
        )
    seven = _hexes(_data(7))
    for group, key, value, code, what in (
        ("inclusion_proof", "index", "7", "MERKLE.INDEX_OUT_OF_RANGE", "index == size"),
        ("inclusion_proof", "index", "-1", "MERKLE.INDEX_OUT_OF_RANGE", "a negative index"),
        ("consistency_proof", "old_size", "0", "MERKLE.SIZE_OUT_OF_RANGE", "old size 0"),
        ("consistency_proof", "old_size", "8", "MERKLE.SIZE_OUT_OF_RANGE", "old size > size"),
        ("multiproof", "indices", [], "MERKLE.NO_INDICES", "no indices"),
        ("multiproof", "indices", ["3", "2"], "MERKLE.INDICES_NOT_INCREASING", "unsorted indices"),
        ("multiproof", "indices", ["2", "2"], "MERKLE.INDICES_NOT_INCREASING", "a repeated index"),
        ("multiproof", "indices", ["1", "7"], "MERKLE.INDEX_OUT_OF_RANGE", "index == size"),
    ):
        case = re.sub(r"[^a-z0-9]+", "_", what).strip("_")
        yield _case(
            group,
            f"invalid_{name}_{case}",
            f"Asking for a proof with {what} is misuse.",
            {"hash": name, "leaves": seven, key: value},
            "errors",
            expect=code,
        )


def _other_hash(name: str) -> tuple[str, str, dict[str, Any]]:
    other = "sha256" if name == "blake3" else "blake3"
    return "other_hash", "the other hash function", {"hash": other}


def _proof_mutations(
    proof: list[bytes], root: bytes, limit: int = 4
) -> Iterator[tuple[str, str, list[bytes]]]:
    """(case, description, proof) for each way to break a proof's hash list."""
    for k in range(min(len(proof), limit)):
        flipped = [*proof[:k], _flip(proof[k]), *proof[k + 1 :]]
        yield f"bit_flip_{k}", f"bit 3 of proof[{k}] flipped", flipped
    if proof:
        yield "truncated", "the last hash dropped", proof[:-1]
        yield "first_dropped", "the first hash dropped", proof[1:]
        yield "short_hash", "proof[0] one byte short", [proof[0][:31], *proof[1:]]
        yield "long_hash", "proof[0] one byte long", [proof[0] + b"\x00", *proof[1:]]
        yield "empty_hash", "proof[0] empty", [b"", *proof[1:]]
    if len(proof) > 1:
        yield "swapped", "proof[0] and proof[1] swapped", [proof[1], proof[0], *proof[2:]]
    yield "extended", "the root appended", [*proof, root]
    yield "extended_zero", "32 zero bytes appended", [*proof, bytes(32)]
    yield "prepended", "the root prepended", [root, *proof]


def _inclusion_verification(name: str) -> Iterator[Vector]:
    section = "inclusion-proof"
    for index, size in ((0, 1), (5, 8), (6, 7), (44, 97)):
        leaves = _data(size)
        tree = m.MerkleTree.from_leaves(leaves, hash=name)
        base: dict[str, Any] = {
            "hash": name,
            "leaf_hash": _hex(m.leaf_hash(leaves[index], hash=name)),
            "index": str(index),
            "size": str(size),
            "proof": _hexes(tree.inclusion_proof(index)),
            "root": _hex(tree.root),
        }
        label = f"{name}_{index}_of_{size}"
        yield _case(
            "verify_inclusion", label, f"Honest proof, leaf {index} of {size}.", base, section
        )
        changes: list[tuple[str, str, dict[str, Any]]] = [
            ("index_plus_one", "index + 1", {"index": str(index + 1)}),
            ("index_minus_one", "index - 1", {"index": str(index - 1)}),
            ("index_xor_two", "index ^ 2", {"index": str(index ^ 2)}),
            ("index_is_size", "index == size", {"index": str(size)}),
            ("size_plus_one", "size + 1", {"size": str(size + 1)}),
            ("size_minus_one", "size - 1", {"size": str(size - 1)}),
            ("size_doubled", "size * 2", {"size": str(size * 2)}),
            ("size_halved", "size // 2", {"size": str(size // 2)}),
            ("size_zero", "size 0", {"size": "0"}),
            ("size_over_u64", "size 2**64", {"size": str(2**64)}),
            (
                "wrong_leaf",
                "bit 3 of the leaf hash flipped",
                {"leaf_hash": _hex(_flip(_unhex(base["leaf_hash"])))},
            ),
            ("wrong_root", "bit 3 of the root flipped", {"root": _hex(_flip(tree.root))}),
            (
                "empty_tree_root",
                "the empty tree's root",
                {"root": _hex(m.MerkleTree.from_leaves([], hash=name).root)},
            ),
            ("short_leaf_hash", "a 31-byte leaf hash", {"leaf_hash": base["leaf_hash"][:-2]}),
            ("long_root", "a 33-byte root", {"root": base["root"] + "00"}),
        ]
        proof = [_unhex(p) for p in base["proof"]]
        if proof:  # with no proof hash there is no hashing for the other function to change
            changes.append(_other_hash(name))
        for case, what, hashes in _proof_mutations(proof, tree.root):
            changes.append((case, what, {"proof": _hexes(hashes)}))
        yield from _mutated("verify_inclusion", label, changes, base, section)


def _mutated(
    group: str,
    label: str,
    changes: list[tuple[str, str, dict[str, Any]]],
    base: dict[str, Any],
    section: str,
) -> Iterator[Vector]:
    """The honest case with one change each; the first of changes that give the same input."""
    seen = [base]
    for case, what, change in changes:
        input = {**base, **change}
        if input not in seen:
            seen.append(input)
            yield _one_change(group, label, case, what, input, section)


def _one_change(
    group: str, label: str, case: str, what: str, input: dict[str, Any], section: str
) -> Vector:
    """Invalid, or valid where RFC 9162 still accepts the changed input."""
    try:
        handle(f"merkle.{group}", input)
    except HandlerError:
        return _case(
            group,
            f"invalid_{label}_{case}",
            f"The honest proof with {what} fails.",
            input,
            section,
            expect=_INVALID[f"merkle.{group}"],
        )
    # Sizes are bound only through the root (see the chapter's security considerations):
    # a few size changes keep the same shape of path and still verify.
    if not case.startswith("size"):
        raise AssertionError(f"merkle/{group}/{label}: {what} still verifies")
    return _case(
        group,
        f"{label}_{case}_same_shape",
        f"With {what} the path has the same shape and the same root, so RFC 9162 accepts it: "
        "a proof does not bind the size, the signed (size, root) pair does.",
        input,
        section,
    )


def _consistency_verification(name: str) -> Iterator[Vector]:
    section = "consistency-proof"
    for size1, size2 in ((4, 8), (6, 8), (3, 7), (40, 97), (5, 5)):
        leaves = _data(size2)
        new = m.MerkleTree.from_leaves(leaves, hash=name)
        old = m.MerkleTree.from_leaves(leaves[:size1], hash=name)
        base: dict[str, Any] = {
            "hash": name,
            "size1": str(size1),
            "size2": str(size2),
            "root1": _hex(old.root),
            "root2": _hex(new.root),
            "proof": _hexes(new.consistency_proof(size1)),
        }
        label = f"{name}_{size1}_to_{size2}"
        yield _case(
            "verify_consistency",
            label,
            f"Honest proof from {size1} to {size2} leaves.",
            base,
            section,
        )
        changes: list[tuple[str, str, dict[str, Any]]] = [
            ("size1_plus_one", "size1 + 1", {"size1": str(size1 + 1)}),
            ("size1_minus_one", "size1 - 1", {"size1": str(size1 - 1)}),
            ("size1_zero", "size1 0", {"size1": "0"}),
            ("size2_plus_one", "size2 + 1", {"size2": str(size2 + 1)}),
            ("size2_minus_one", "size2 - 1", {"size2": str(size2 - 1)}),
            ("size2_doubled", "size2 * 2", {"size2": str(size2 * 2)}),
            ("size2_over_u64", "size2 2**64", {"size2": str(2**64)}),
            ("sizes_swapped", "the sizes swapped", {"size1": str(size2), "size2": str(size1)}),
            ("wrong_root1", "bit 3 of root1 flipped", {"root1": _hex(_flip(old.root))}),
            ("wrong_root2", "bit 3 of root2 flipped", {"root2": _hex(_flip(new.root))}),
            (
                "roots_swapped",
                "the roots swapped",
                {"root1": base["root2"], "root2": base["root1"]},
            ),
            ("short_root1", "a 31-byte root1", {"root1": base["root1"][:-2]}),
            ("long_root2", "a 33-byte root2", {"root2": base["root2"] + "00"}),
            ("empty_proof", "an empty proof", {"proof": []}),
        ]
        proof = [_unhex(p) for p in base["proof"]]
        if proof:
            changes.append(_other_hash(name))
        for case, what, hashes in _proof_mutations(proof, new.root):
            changes.append((case, what, {"proof": _hexes(hashes)}))
        yield from _mutated("verify_consistency", label, changes, base, section)


def _multiproof_verification(name: str) -> Iterator[Vector]:
    section = "multi-proof"
    for size, indices in ((13, [0, 5, 6, 12]), (97, [3, 40, 41, 42, 90]), (8, list(range(8)))):
        leaves = _data(size)
        tree = m.MerkleTree.from_leaves(leaves, hash=name)
        hashes = [m.leaf_hash(leaves[i], hash=name) for i in indices]
        base: dict[str, Any] = {
            "hash": name,
            "leaf_hashes": _hexes(hashes),
            "indices": [str(i) for i in indices],
            "size": str(size),
            "proof": _hexes(tree.multiproof(indices)),
            "root": _hex(tree.root),
        }
        label = f"{name}_{len(indices)}_of_{size}"
        yield _case(
            "verify_multiproof",
            label,
            f"Honest multi-proof of {len(indices)} leaves of {size}.",
            base,
            section,
        )
        shifted = [str(i + 1) for i in indices]
        changes: list[tuple[str, str, dict[str, Any]]] = [
            ("indices_shifted", "every index + 1", {"indices": shifted}),
            (
                "index_replaced",
                "the first index replaced",
                {"indices": ["1" if indices[0] != 1 else "2", *base["indices"][1:]]},
            ),
            (
                "indices_unsorted",
                "the first two indices swapped",
                {"indices": [base["indices"][1], base["indices"][0], *base["indices"][2:]]},
            ),
            (
                "index_repeated",
                "the first index repeated",
                {
                    "indices": [base["indices"][0], *base["indices"]],
                    "leaf_hashes": [base["leaf_hashes"][0], *base["leaf_hashes"]],
                },
            ),
            (
                "leaf_missing",
                "the last leaf and index dropped",
                {"indices": base["indices"][:-1], "leaf_hashes": base["leaf_hashes"][:-1]},
            ),
            (
                "count_mismatch",
                "one leaf hash more than indices",
                {"leaf_hashes": [*base["leaf_hashes"], base["leaf_hashes"][0]]},
            ),
            ("no_leaves", "no leaves at all", {"indices": [], "leaf_hashes": []}),
            (
                "leaves_swapped",
                "the first two leaf hashes swapped",
                {
                    "leaf_hashes": [
                        base["leaf_hashes"][1],
                        base["leaf_hashes"][0],
                        *base["leaf_hashes"][2:],
                    ]
                },
            ),
            (
                "wrong_leaf",
                "bit 3 of the first leaf hash flipped",
                {"leaf_hashes": [_hex(_flip(hashes[0])), *base["leaf_hashes"][1:]]},
            ),
            (
                "short_leaf_hash",
                "a 31-byte leaf hash",
                {"leaf_hashes": [base["leaf_hashes"][0][:-2], *base["leaf_hashes"][1:]]},
            ),
            ("size_plus_one", "size + 1", {"size": str(size + 1)}),
            ("size_minus_one", "size - 1", {"size": str(size - 1)}),
            (
                "index_is_size",
                "the last index == size",
                {"indices": [*base["indices"][:-1], str(size)]},
            ),
            ("wrong_root", "bit 3 of the root flipped", {"root": _hex(_flip(tree.root))}),
        ]
        changes.append(_other_hash(name))
        proof = [_unhex(p) for p in base["proof"]]
        for case, what, mutated in _proof_mutations(proof, tree.root, limit=2):
            changes.append((case, what, {"proof": _hexes(mutated)}))
        yield from _mutated("verify_multiproof", label, changes, base, section)


def generate() -> Iterator[Vector]:
    """Every merkle vector, for both hash functions."""
    for name in m.HASH_NAMES:
        yield from _generation(name)
        yield from _inclusion_verification(name)
        yield from _consistency_verification(name)
        yield from _multiproof_verification(name)
    yield _case(
        "root",
        "invalid_unknown_hash",
        "A hash name outside HASH_NAMES is misuse.",
        {"hash": "sha3-256", "leaves": ["0x00"]},
        "errors",
        expect="MERKLE.UNKNOWN_HASH",
    )
