"""The libsodium path and the pure-Python reference give the same result on every input."""

from __future__ import annotations

from collections.abc import Callable

import aetron_vrf
from aetron_vrf import InvalidProof, Suite, reference
from aetron_vrf._ecvrf import _encode_to_curve
from aetron_vrf._hash_to_curve import ell2_map
from hypothesis import given, settings
from hypothesis import strategies as st

P = 2**255 - 19
suites = st.sampled_from(list(Suite))
keys = st.binary(min_size=32, max_size=32)
alphas = st.binary(max_size=100)


def outcome(call: Callable[[], bytes]) -> bytes | str:
    try:
        return call()
    except InvalidProof as exc:
        return exc.code


@settings(max_examples=30, deadline=None)
@given(sk=keys, alpha=alphas, suite=suites)
def test_prove_and_verify_agree_with_the_reference(sk: bytes, alpha: bytes, suite: Suite) -> None:
    pk = aetron_vrf.public_key(sk, suite=suite)
    pi = aetron_vrf.prove(sk, alpha, suite=suite)
    assert pk == reference.public_key(sk, suite=suite)
    assert pi == reference.prove(sk, alpha, suite=suite)
    beta = aetron_vrf.verify(pk, alpha, pi, suite=suite)
    assert beta == reference.verify(pk, alpha, pi, suite=suite)
    assert beta == aetron_vrf.proof_to_hash(pi, suite=suite)
    assert len(pi) == 80 and len(beta) == 64


@settings(max_examples=60, deadline=None)
@given(
    sk=keys, alpha=alphas, suite=suites, bit=st.integers(0, 80 * 8 - 1), other_alpha=st.booleans()
)
def test_a_changed_proof_or_alpha_fails_the_same_way_on_both_paths(
    sk: bytes, alpha: bytes, suite: Suite, bit: int, other_alpha: bool
) -> None:
    pk = aetron_vrf.public_key(sk)
    pi = bytearray(aetron_vrf.prove(sk, alpha, suite=suite))
    pi[bit // 8] ^= 1 << bit % 8
    if other_alpha:
        alpha += b"\x00"
    fast = outcome(lambda: aetron_vrf.verify(pk, alpha, bytes(pi), suite=suite))
    assert fast == outcome(lambda: reference.verify(pk, alpha, bytes(pi), suite=suite))
    assert isinstance(fast, str)


@settings(max_examples=60, deadline=None)
@given(pk=st.binary(min_size=32, max_size=32), pi=st.binary(min_size=80, max_size=80), suite=suites)
def test_arbitrary_bytes_get_the_same_answer_on_both_paths(
    pk: bytes, pi: bytes, suite: Suite
) -> None:
    alpha = b"alpha"
    fast = outcome(lambda: aetron_vrf.verify(pk, alpha, pi, suite=suite))
    assert fast == outcome(lambda: reference.verify(pk, alpha, pi, suite=suite))
    fast_hash = outcome(lambda: aetron_vrf.proof_to_hash(pi, suite=suite))
    assert fast_hash == outcome(lambda: reference.proof_to_hash(pi, suite=suite))


@settings(max_examples=40, deadline=None)
@given(pk=keys, alpha=alphas)
def test_encode_to_curve_agrees_with_the_reference(pk: bytes, alpha: bytes) -> None:
    for suite in Suite:
        expected = reference.encode_point(reference.encode_to_curve(suite, pk, alpha))
        assert _encode_to_curve(suite, pk, alpha) == expected


@settings(max_examples=200, deadline=None)
@given(u=st.integers(1, P - 1))
def test_the_elligator_map_on_libsodium_is_rfc_9380s(u: int) -> None:
    expected = reference.point_mul(8, reference.map_to_curve_ell2(u))
    assert ell2_map(u) == reference.encode_point(expected)


def test_the_one_exceptional_elligator_input_goes_to_the_reference() -> None:
    # u = 0: s = 0 and t = 0, where RFC 9380's rational map gives the identity.
    assert ell2_map(0) is None
    assert reference.map_to_curve_ell2(0) == reference.IDENTITY


def test_the_other_exceptional_case_cannot_happen() -> None:
    """s = -1 would need 1 + 2u^2 = A (x1 = -1) or = A/(A - 1) (x2 = -1); neither has a root u,
    and 1 + 2u^2 = 0 has none either, which is why the map code has no branch for them."""
    a = 486662

    def is_square(v: int) -> bool:
        return pow(v % P, (P - 1) // 2, P) in (0, 1)

    half = pow(2, -1, P)
    assert not is_square((a - 1) * half)
    assert not is_square((a * pow(a - 1, -1, P) - 1) * half)
    assert not is_square(-half)
