"""RFC 9381 ECVRF on edwards25519 through libsodium: the package's public functions.

Every point operation runs in libsodium via PyNaCl's bindings. libsodium's scalar
multiplications refuse points outside the prime-order subgroup, zero scalars and identity
results, all of which RFC 9381 allows; honest keys and proofs never meet them, so any refusal
hands the whole call to :mod:`aetron_vrf.reference`, which follows the RFC literally. The results
of the two paths are equal on every input.
"""

from __future__ import annotations

from functools import lru_cache

from nacl import bindings
from nacl.exceptions import RuntimeError as SodiumRefusal

from . import reference
from ._args import as_bytes, check_suite
from ._constants import (
    CHALLENGE_LENGTH,
    FIELD_PRIME,
    GROUP_ORDER,
    IDENTITY_ENCODING,
    POINT_LENGTH,
    PROOF_LENGTH,
    SCALAR_LENGTH,
    SECRET_KEY_LENGTH,
)
from ._errors import ErrorCode, InvalidProof, InvalidSecretKey
from ._hash_to_curve import ell2_encode_to_curve
from ._hashing import beta, challenge, expand_secret_key, nonce_string, tai_candidate
from ._suite import DEFAULT_SUITE, Suite

__all__ = ["proof_to_hash", "prove", "public_key", "verify"]

_add = bindings.crypto_core_ed25519_add
_sub = bindings.crypto_core_ed25519_sub
_mul = bindings.crypto_scalarmult_ed25519_noclamp
_mul_base = bindings.crypto_scalarmult_ed25519_base_noclamp
_reduce = bindings.crypto_core_ed25519_scalar_reduce
_scalar_add = bindings.crypto_core_ed25519_scalar_add
_scalar_mul = bindings.crypto_core_ed25519_scalar_mul

_ZERO_PAD = bytes(SCALAR_LENGTH - CHALLENGE_LENGTH)
_Y_MASK = (1 << 255) - 1
# y = 1 and y = p - 1, the two y for which x = 0 (RFC 8032's "negative zero" when the sign is set).
_ZERO_X_Y = (1, FIELD_PRIME - 1)


class _Refused(Exception):
    """libsodium refused an input that RFC 9381 may still accept: take the reference path."""


def _times_cofactor(point: bytes) -> bytes:
    """8 * point for any point on the curve (libsodium's add is complete, so three doublings)."""
    point = _add(point, point)
    point = _add(point, point)
    return _add(point, point)


def _tai_encode_to_curve(suite_string: bytes, pk: bytes, alpha: bytes) -> bytes:
    """RFC 9381 section 5.4.1.1, try-and-increment, as an encoded point."""
    for ctr in range(256):
        candidate = tai_candidate(suite_string, pk, alpha, ctr)
        # A non-canonical y must be refused here: libsodium's add reduces it mod p and accepts it.
        # A negative zero needs no check: it is a small-order point, so 8 * it is the identity.
        if int.from_bytes(candidate, "little") & _Y_MASK >= FIELD_PRIME:
            continue
        try:
            h = _times_cofactor(candidate)
        except SodiumRefusal:  # not on the curve
            continue
        if h != IDENTITY_ENCODING:
            return h
    # Each counter fails with probability about 1/2, so this is never reached.
    raise AssertionError("try-and-increment found no point in 256 tries")


def _encode_to_curve(suite: Suite, pk: bytes, alpha: bytes) -> bytes:
    if suite is Suite.EDWARDS25519_SHA512_TAI:
        return _tai_encode_to_curve(suite.suite_string, pk, alpha)
    h = ell2_encode_to_curve(pk, alpha)
    if h is None:
        raise _Refused
    return h


@lru_cache(maxsize=64)
def _expanded_key(sk: bytes) -> tuple[bytes, bytes, bytes]:
    """x mod q, the nonce prefix and the public key, as a PyNaCl SigningKey keeps them."""
    x, prefix = expand_secret_key(sk)
    x_reduced = _reduce(x.to_bytes(64, "little"))
    return x_reduced, prefix, _mul_base(x_reduced)


def _secret_key(sk: object) -> bytes:
    sk = as_bytes(sk, "sk")
    if len(sk) != SECRET_KEY_LENGTH:
        raise InvalidSecretKey(
            ErrorCode.SECRET_KEY_LENGTH, f"secret key is {len(sk)} bytes, not 32"
        )
    return sk


def public_key(sk: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """The 32-byte public key (RFC 9381's PK_string) of the 32-byte RFC 8032 secret key ``sk``.

    It is the Ed25519 public key of ``sk``, the same for both suites. Raises
    :class:`InvalidSecretKey` if ``sk`` is not 32 bytes.
    """
    check_suite(suite)
    return _expanded_key(_secret_key(sk))[2]


def prove(sk: bytes, alpha: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """The 80-byte proof pi = Gamma || c || s of ``alpha`` under ``sk`` (RFC 9381 section 5.1).

    Deterministic: the same key, alpha and suite always give the same proof. ``alpha`` is any
    byte string.
    """
    suite = check_suite(suite)
    sk = _secret_key(sk)
    alpha = as_bytes(alpha, "alpha")
    x, prefix, pk = _expanded_key(sk)
    try:
        h = _encode_to_curve(suite, pk, alpha)
        k = _reduce(nonce_string(prefix, h))
        gamma = _mul(x, h)
        u, v = _mul_base(k), _mul(k, h)
    except (_Refused, SodiumRefusal):  # k = 0 or H = identity: probability about 2^-250
        return reference.prove(sk, alpha, suite=suite)
    c = challenge(suite.suite_string, pk, h, gamma, u, v)
    return gamma + c + _scalar_add(k, _scalar_mul(c + _ZERO_PAD, x))


def _beta(suite: Suite, gamma: bytes) -> bytes:
    return beta(suite.suite_string, _times_cofactor(gamma))


def proof_to_hash(pi: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """The 64-byte VRF output beta of the proof ``pi`` (RFC 9381 section 5.2).

    Only decodes pi; it does not verify it. Use it on proofs already verified, or call
    :func:`verify`, which returns beta. Raises :class:`InvalidProof` if pi does not decode.
    """
    suite = check_suite(suite)
    pi = as_bytes(pi, "pi")
    if len(pi) != PROOF_LENGTH:
        raise InvalidProof(ErrorCode.PROOF_LENGTH, f"proof is {len(pi)} bytes, not 80")
    gamma = pi[:POINT_LENGTH]
    value = int.from_bytes(gamma, "little")
    if value & _Y_MASK >= FIELD_PRIME:
        raise InvalidProof(ErrorCode.GAMMA_NOT_CANONICAL, "Gamma: y is not below p")
    if value >> 255 and value & _Y_MASK in _ZERO_X_Y:
        raise InvalidProof(ErrorCode.GAMMA_NEGATIVE_ZERO, "Gamma: x is 0 but the sign bit is set")
    try:
        cofactor_gamma = _times_cofactor(gamma)
    except SodiumRefusal:
        raise InvalidProof(
            ErrorCode.GAMMA_NOT_ON_CURVE, "Gamma: no x solves the curve equation for y"
        ) from None
    if int.from_bytes(pi[POINT_LENGTH + CHALLENGE_LENGTH :], "little") >= GROUP_ORDER:
        raise InvalidProof(ErrorCode.S_OUT_OF_RANGE, "s is not below the group order q")
    return beta(suite.suite_string, cofactor_gamma)


def _verify(pk: bytes, alpha: bytes, pi: bytes, suite: Suite) -> bytes:
    """The libsodium path; _Refused for anything it cannot decide exactly."""
    if len(pk) != POINT_LENGTH or len(pi) != PROOF_LENGTH:
        raise _Refused
    gamma = pi[:POINT_LENGTH]
    c = pi[POINT_LENGTH : POINT_LENGTH + CHALLENGE_LENGTH]
    s = pi[POINT_LENGTH + CHALLENGE_LENGTH :]
    if int.from_bytes(s, "little") >= GROUP_ORDER:
        raise _Refused
    h = _encode_to_curve(suite, pk, alpha)
    c_scalar = c + _ZERO_PAD
    try:
        # Each multiplication validates its point (canonical, on the curve, in the prime-order
        # subgroup): success here means Y and Gamma decode, and Y passes validate_key.
        u = _sub(_mul_base(s), _mul(c_scalar, pk))
        v = _sub(_mul(s, h), _mul(c_scalar, gamma))
    except SodiumRefusal:
        raise _Refused from None
    if challenge(suite.suite_string, pk, h, gamma, u, v) != c:
        raise InvalidProof(ErrorCode.CHALLENGE_MISMATCH, "the proof does not verify for alpha")
    return _beta(suite, gamma)


def verify(pk: bytes, alpha: bytes, pi: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """The 64-byte beta if ``pi`` proves ``alpha`` under ``pk``; else :class:`InvalidProof`.

    RFC 9381 section 5.3 with validate_key = TRUE. The exception's ``code`` names the first
    check that failed, in the RFC's order: the public key's length, encoding, curve membership
    and order, then the proof's length, Gamma's encoding and curve membership, s < q, and last the
    challenge. Never raises anything else for bytes input.
    """
    suite = check_suite(suite)
    pk, alpha, pi = as_bytes(pk, "pk"), as_bytes(alpha, "alpha"), as_bytes(pi, "pi")
    try:
        return _verify(pk, alpha, pi, suite)
    except _Refused:
        return reference.verify(pk, alpha, pi, suite=suite)
