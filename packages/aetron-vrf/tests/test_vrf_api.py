"""The public surface: names, argument checking with reason codes, verify_many."""

from __future__ import annotations

import aetron_vrf
import pytest
from aetron_vrf import (
    ArgumentTypeError,
    ErrorCode,
    InvalidArgument,
    InvalidProof,
    InvalidSecretKey,
    Suite,
    VRFError,
    reference,
)

SK = bytes(range(32))
PK = aetron_vrf.public_key(SK)


def test_exports() -> None:
    assert set(aetron_vrf.__all__) >= {
        "Suite",
        "public_key",
        "prove",
        "verify",
        "proof_to_hash",
        "verify_many",
        "InvalidProof",
    }
    assert {s.name for s in Suite} == {"EDWARDS25519_SHA512_TAI", "EDWARDS25519_SHA512_ELL2"}
    assert Suite("ECVRF-EDWARDS25519-SHA512-ELL2").suite_string == b"\x04"
    assert aetron_vrf.DEFAULT_SUITE is Suite.EDWARDS25519_SHA512_TAI


def test_errors_are_value_or_type_errors_with_codes() -> None:
    assert issubclass(InvalidProof, ValueError) and issubclass(InvalidProof, VRFError)
    assert issubclass(ArgumentTypeError, TypeError)
    assert all(code.value.startswith("VRF.") and code.value.isupper() for code in ErrorCode)


def test_the_default_suite_is_tai() -> None:
    assert aetron_vrf.prove(SK, b"a") == aetron_vrf.prove(
        SK, b"a", suite=Suite.EDWARDS25519_SHA512_TAI
    )
    assert aetron_vrf.prove(SK, b"a") != aetron_vrf.prove(
        SK, b"a", suite=Suite.EDWARDS25519_SHA512_ELL2
    )


def test_both_suites_share_the_ed25519_public_key() -> None:
    from nacl.signing import SigningKey

    assert bytes(SigningKey(SK).verify_key) == PK
    assert aetron_vrf.public_key(SK, suite=Suite.EDWARDS25519_SHA512_ELL2) == PK


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_secret_key_of_wrong_length(length: int) -> None:
    for call in (aetron_vrf.public_key, reference.public_key):
        with pytest.raises(InvalidSecretKey) as info:
            call(bytes(length))
        assert info.value.code == "VRF.SECRET_KEY_LENGTH"
    with pytest.raises(InvalidSecretKey):
        aetron_vrf.prove(bytes(length), b"")


def test_bytes_like_arguments_are_accepted_and_others_refused() -> None:
    pi = aetron_vrf.prove(bytearray(SK), memoryview(b"abc"))
    assert aetron_vrf.verify(bytearray(PK), bytearray(b"abc"), memoryview(pi)) == aetron_vrf.verify(
        PK, b"abc", pi
    )
    for call in (
        lambda: aetron_vrf.verify(PK.hex(), b"abc", pi),  # type: ignore[arg-type]
        lambda: aetron_vrf.prove(SK, "abc"),  # type: ignore[arg-type]
        lambda: aetron_vrf.proof_to_hash(list(pi)),  # type: ignore[arg-type]
    ):
        with pytest.raises(ArgumentTypeError) as info:
            call()
        assert info.value.code == "VRF.NOT_BYTES"


def test_an_unknown_suite_is_refused() -> None:
    for call in (
        lambda: aetron_vrf.prove(SK, b"", suite="ECVRF-EDWARDS25519-SHA512-TAI"),  # type: ignore[arg-type]
        lambda: aetron_vrf.verify(PK, b"", bytes(80), suite=3),  # type: ignore[arg-type]
        lambda: aetron_vrf.verify_many([], suite=None),  # type: ignore[arg-type]
    ):
        with pytest.raises(ArgumentTypeError) as info:
            call()
        assert info.value.code == "VRF.UNKNOWN_SUITE"


def test_verify_many_returns_what_verify_returns_or_raises_in_order() -> None:
    items = []
    for i in range(23):
        alpha = bytes([i])
        pi = aetron_vrf.prove(SK, alpha)
        if i % 3 == 1:
            pi = pi[:79]
        if i % 5 == 2:
            alpha += b"!"
        items.append((PK, alpha, pi))
    expected: list[bytes | str] = []
    for pk, alpha, pi in items:
        try:
            expected.append(aetron_vrf.verify(pk, alpha, pi))
        except InvalidProof as exc:
            expected.append(exc.code)
    for workers in (None, 1, 2, 7, 64):
        got = aetron_vrf.verify_many(iter(items), workers=workers)
        assert [r.code if isinstance(r, InvalidProof) else r for r in got] == expected
    assert aetron_vrf.verify_many([]) == []


@pytest.mark.parametrize("workers", [0, -1, 1025])
def test_verify_many_refuses_a_worker_count_out_of_range(workers: int) -> None:
    with pytest.raises(InvalidArgument) as info:
        aetron_vrf.verify_many([], workers=workers)
    assert info.value.code == "VRF.WORKERS_OUT_OF_RANGE"


def test_prove_is_deterministic_and_keys_do_not_mix() -> None:
    other = bytes(32)
    first = [aetron_vrf.prove(k, b"x") for k in (SK, other, SK)]
    assert first[0] == first[2] != first[1]
    assert aetron_vrf.verify(aetron_vrf.public_key(other), b"x", first[1])
