"""Every rejection rule of RFC 9381 verification (validate_key = TRUE) and of proof_to_hash, with
the reason code; the libsodium path and the pure-Python reference agree on each."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import aetron_vrf
import pytest
from aetron_vrf import InvalidProof, Suite, reference
from nacl import bindings

P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493
SK = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
PK = aetron_vrf.public_key(SK)
ALPHA = b"sample"
SUITES = list(Suite)


def encoding(y: int, sign: int = 0) -> bytes:
    return (y | sign << 255).to_bytes(32, "little")


SMALL_ORDER = [
    reference.encode_point(reference.point_mul(j, reference.TORSION_GENERATOR)) for j in range(8)
]
NON_CANONICAL = [encoding(P + t, sign) for t in range(19) for sign in (0, 1)]
NEGATIVE_ZERO = [encoding(1, 1), encoding(P - 1, 1)]
OFF_CURVE = [encoding(y, sign) for y in (2, 7, 8) for sign in (0, 1)]


def rejection(call: Callable[[], bytes]) -> str:
    with pytest.raises(InvalidProof) as info:
        call()
    assert info.value.message in str(info.value)
    return info.value.code


def verify_code(pk: bytes, alpha: bytes, pi: bytes, suite: Suite) -> str:
    """The code both paths give; they must agree."""
    fast = rejection(lambda: aetron_vrf.verify(pk, alpha, pi, suite=suite))
    slow = rejection(lambda: reference.verify(pk, alpha, pi, suite=suite))
    assert fast == slow
    return fast


def honest(suite: Suite) -> bytes:
    return aetron_vrf.prove(SK, ALPHA, suite=suite)


def with_gamma(pi: bytes, gamma: bytes) -> bytes:
    return gamma + pi[32:]


def with_s(pi: bytes, s: int) -> bytes:
    return pi[:48] + s.to_bytes(32, "little")


def test_the_edge_encodings_are_what_their_names_say() -> None:
    for data in NON_CANONICAL:
        assert reference.decode_point(data) is reference.Rejection.NOT_CANONICAL
    for data in NEGATIVE_ZERO:
        assert reference.decode_point(data) is reference.Rejection.NEGATIVE_ZERO
    for data in OFF_CURVE:
        assert reference.decode_point(data) is reference.Rejection.NOT_ON_CURVE
    assert (
        len(set(SMALL_ORDER)) == 8 and reference.decode_point(SMALL_ORDER[0]) == reference.IDENTITY
    )


def test_libsodium_add_accepts_non_canonical_encodings_so_the_package_checks_them() -> None:
    accepted = 0
    for data in NON_CANONICAL:
        try:
            bindings.crypto_core_ed25519_add(data, data)
        except RuntimeError:
            continue
        accepted += 1
    assert accepted > 0


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_public_key_of_wrong_length(suite: Suite, length: int) -> None:
    assert verify_code(bytes(length), ALPHA, honest(suite), suite) == "VRF.PUBLIC_KEY_LENGTH"


@pytest.mark.parametrize("suite", SUITES)
def test_public_key_encodings_that_do_not_decode(suite: Suite) -> None:
    pi = honest(suite)
    for pk in NON_CANONICAL:
        assert verify_code(pk, ALPHA, pi, suite) == "VRF.PUBLIC_KEY_NOT_CANONICAL"
    for pk in NEGATIVE_ZERO:
        assert verify_code(pk, ALPHA, pi, suite) == "VRF.PUBLIC_KEY_NEGATIVE_ZERO"
    for pk in OFF_CURVE:
        assert verify_code(pk, ALPHA, pi, suite) == "VRF.PUBLIC_KEY_NOT_ON_CURVE"


@pytest.mark.parametrize("suite", SUITES)
def test_every_small_order_public_key_fails_validate_key(suite: Suite) -> None:
    for pk in SMALL_ORDER:
        assert verify_code(pk, ALPHA, honest(suite), suite) == "VRF.PUBLIC_KEY_SMALL_ORDER"


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("length", [0, 79, 81, 96])
def test_proof_of_wrong_length(suite: Suite, length: int) -> None:
    pi = (honest(suite) * 2)[:length]
    assert verify_code(PK, ALPHA, pi, suite) == "VRF.PROOF_LENGTH"
    assert rejection(lambda: aetron_vrf.proof_to_hash(pi, suite=suite)) == "VRF.PROOF_LENGTH"


@pytest.mark.parametrize("suite", SUITES)
def test_gamma_encodings_that_do_not_decode(suite: Suite) -> None:
    pi = honest(suite)
    for gammas, code in (
        (NON_CANONICAL, "VRF.GAMMA_NOT_CANONICAL"),
        (NEGATIVE_ZERO, "VRF.GAMMA_NEGATIVE_ZERO"),
        (OFF_CURVE, "VRF.GAMMA_NOT_ON_CURVE"),
    ):
        for gamma in gammas:
            bad = with_gamma(pi, gamma)
            assert verify_code(PK, ALPHA, bad, suite) == code
            assert rejection(lambda bad=bad: aetron_vrf.proof_to_hash(bad, suite=suite)) == code
            assert rejection(lambda bad=bad: reference.proof_to_hash(bad, suite=suite)) == code


@pytest.mark.parametrize("suite", SUITES)
def test_s_not_below_the_group_order(suite: Suite) -> None:
    pi = honest(suite)
    s = int.from_bytes(pi[48:], "little")
    for bad_s in (s + Q, Q, 2**256 - 1):
        bad = with_s(pi, bad_s)
        assert verify_code(PK, ALPHA, bad, suite) == "VRF.S_OUT_OF_RANGE"
        assert rejection(lambda bad=bad: aetron_vrf.proof_to_hash(bad, suite=suite)) == (
            "VRF.S_OUT_OF_RANGE"
        )


@pytest.mark.parametrize("suite", SUITES)
def test_proofs_that_decode_but_do_not_verify(suite: Suite) -> None:
    pi = honest(suite)
    other_key = aetron_vrf.public_key(bytes(32))
    s = int.from_bytes(pi[48:], "little")
    cases = [
        (PK, b"other alpha", pi),
        (other_key, ALPHA, pi),
        (PK, ALPHA, pi[:32] + bytes([pi[32] ^ 1]) + pi[33:]),  # c
        (PK, ALPHA, with_s(pi, (s + 1) % Q)),
        (PK, ALPHA, with_s(pi, 0)),  # libsodium refuses the zero scalar
        (PK, ALPHA, pi[:32] + bytes(16) + pi[48:]),  # c = 0: refused too
        (PK, ALPHA, with_gamma(pi, PK)),  # a valid point, the wrong one
    ]
    cases += [(PK, ALPHA, with_gamma(pi, point)) for point in SMALL_ORDER]
    for pk, alpha, bad in cases:
        assert verify_code(pk, alpha, bad, suite) == "VRF.CHALLENGE_MISMATCH"


@pytest.mark.parametrize("suite", SUITES)
def test_checks_run_in_the_rfc_order(suite: Suite) -> None:
    pi = honest(suite)
    bad_gamma_and_s = with_s(with_gamma(pi, OFF_CURVE[0]), Q)
    assert verify_code(SMALL_ORDER[1], ALPHA, pi[:79], suite) == "VRF.PUBLIC_KEY_SMALL_ORDER"
    assert verify_code(OFF_CURVE[0], ALPHA, pi[:79], suite) == "VRF.PUBLIC_KEY_NOT_ON_CURVE"
    assert verify_code(PK, ALPHA, bad_gamma_and_s, suite) == "VRF.GAMMA_NOT_ON_CURVE"
    assert rejection(lambda: aetron_vrf.proof_to_hash(bad_gamma_and_s, suite=suite)) == (
        "VRF.GAMMA_NOT_ON_CURVE"
    )


def secret_scalar(sk: bytes) -> int:
    """RFC 8032's clamped scalar x of a secret key, so that the public key is x*B."""
    x = int.from_bytes(hashlib.sha512(sk).digest()[:32], "little")
    return x & (1 << 254) - 8 | 1 << 254


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("torsion", [1, 2, 4, 7])
def test_torsion_in_gamma_gives_another_valid_proof_with_the_honest_beta(
    suite: Suite, torsion: int
) -> None:
    pk, pi = reference.prove_nonstandard(
        secret_scalar(SK), ALPHA, suite=suite, nonce=1, gamma_torsion=torsion
    )
    assert pk == PK and pi[:32] != honest(suite)[:32]
    beta = aetron_vrf.verify(PK, ALPHA, pi, suite=suite)
    assert beta == reference.verify(PK, ALPHA, pi, suite=suite)
    assert beta == aetron_vrf.verify(PK, ALPHA, honest(suite), suite=suite)
    assert beta == aetron_vrf.proof_to_hash(pi, suite=suite)


@pytest.mark.parametrize("suite", SUITES)
def test_the_zero_nonce_proof_is_valid_with_the_honest_beta(suite: Suite) -> None:
    pk, pi = reference.prove_nonstandard(secret_scalar(SK), ALPHA, suite=suite, nonce=0)
    assert pk == PK and pi != honest(suite)
    beta = aetron_vrf.verify(PK, ALPHA, pi, suite=suite)
    assert beta == aetron_vrf.verify(PK, ALPHA, honest(suite), suite=suite)
    assert beta == reference.verify(PK, ALPHA, pi, suite=suite)


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("torsion", [1, 4])
def test_a_key_outside_the_prime_order_subgroup_passes_validate_key(
    suite: Suite, torsion: int
) -> None:
    pk, pi = reference.prove_nonstandard(12345, ALPHA, suite=suite, nonce=3, key_torsion=torsion)
    with pytest.raises(RuntimeError):  # libsodium refuses the key, the reference path decides
        bindings.crypto_scalarmult_ed25519_noclamp((1).to_bytes(32, "little"), pk)
    assert aetron_vrf.verify(pk, ALPHA, pi, suite=suite) == reference.verify(
        pk, ALPHA, pi, suite=suite
    )
