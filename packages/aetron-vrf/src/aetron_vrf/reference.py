"""RFC 9381 ECVRF on edwards25519 in pure Python: the readable reference.

Field arithmetic on Python integers, points in extended coordinates, double-and-add scalar
multiplication, in the style of RFC 8032's section 6. It follows the RFC's steps literally and is
ten to twenty-five times slower than :mod:`aetron_vrf`'s libsodium path, whose results it must
equal on every input: it is the benchmark's baseline, the tests' cross-check, and the exact path that
:func:`aetron_vrf.verify` falls back to for the crafted inputs libsodium refuses (points outside
the prime-order subgroup, zero scalars). Its functions take and raise what the fast ones do.
"""

from __future__ import annotations

from enum import Enum

from ._args import as_bytes, check_suite
from ._constants import (
    BASE_POINT_Y,
    CHALLENGE_LENGTH,
    COFACTOR,
    CURVE_D,
    ELL2_MAP_C1,
    ELL2_Z,
    FIELD_PRIME,
    GROUP_ORDER,
    MONTGOMERY_A,
    POINT_LENGTH,
    PROOF_LENGTH,
    SECRET_KEY_LENGTH,
    SQRT_MINUS_ONE,
)
from ._errors import ErrorCode, InvalidProof, InvalidSecretKey
from ._hashing import beta, challenge, expand_secret_key, hash_to_field, nonce_string, tai_candidate
from ._suite import DEFAULT_SUITE, Suite

__all__ = [
    "BASE",
    "IDENTITY",
    "TORSION_GENERATOR",
    "Point",
    "Rejection",
    "decode_point",
    "encode_point",
    "encode_to_curve",
    "map_to_curve_ell2",
    "point_add",
    "point_equal",
    "point_mul",
    "point_neg",
    "proof_to_hash",
    "prove",
    "prove_nonstandard",
    "public_key",
    "verify",
]

Point = tuple[int, int, int, int]
"""A point in extended coordinates (X, Y, Z, T): x = X/Z, y = Y/Z, x*y = T/Z."""

_P = FIELD_PRIME


def _sqrt_ratio(u: int, v: int) -> int | None:
    """A square root of u/v in the field, or None when there is none (RFC 8032 section 5.1.3)."""
    x = u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P) % _P
    if (v * x * x - u) % _P == 0:
        return x
    if (v * x * x + u) % _P == 0:
        return x * SQRT_MINUS_ONE % _P
    return None


def _from_affine(x: int, y: int) -> Point:
    return (x, y, 1, x * y % _P)


def point_add(p: Point, q: Point) -> Point:
    """p + q, RFC 8032's unified formula for a = -1 (complete: it also doubles)."""
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * CURVE_D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def point_neg(p: Point) -> Point:
    """-p."""
    return (-p[0] % _P, p[1], p[2], -p[3] % _P)


def point_mul(n: int, p: Point) -> Point:
    """n * p for any integer n >= 0, by double-and-add from the least significant bit."""
    result = IDENTITY
    while n > 0:
        if n & 1:
            result = point_add(result, p)
        p = point_add(p, p)
        n >>= 1
    return result


def point_equal(p: Point, q: Point) -> bool:
    """Whether p and q are the same point (their projective coordinates may differ)."""
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def encode_point(p: Point) -> bytes:
    """RFC 8032 section 5.1.2: y in 255 bits little-endian, the parity of x in bit 255."""
    z_inv = pow(p[2], -1, _P)
    x, y = p[0] * z_inv % _P, p[1] * z_inv % _P
    return (y | (x & 1) << 255).to_bytes(POINT_LENGTH, "little")


class Rejection(Enum):
    """Why :func:`decode_point` refused an encoding (RFC 8032 section 5.1.3)."""

    NOT_CANONICAL = "y is not below p"
    NOT_ON_CURVE = "no x solves the curve equation for y"
    NEGATIVE_ZERO = "x is 0 but the sign bit is set"


def decode_point(data: bytes) -> Point | Rejection:
    """RFC 8032 section 5.1.3 decoding of 32 bytes, or the reason it fails."""
    value = int.from_bytes(data, "little")
    y, sign = value & ((1 << 255) - 1), value >> 255
    if y >= _P:
        return Rejection.NOT_CANONICAL
    x = _sqrt_ratio(y * y - 1, CURVE_D * y * y + 1)
    if x is None:
        return Rejection.NOT_ON_CURVE
    if x == 0 and sign:
        return Rejection.NEGATIVE_ZERO
    if x & 1 != sign:
        x = _P - x
    return _from_affine(x, y)


IDENTITY: Point = (0, 1, 1, 0)
"""The neutral element (0, 1)."""

_BASE = decode_point(BASE_POINT_Y.to_bytes(POINT_LENGTH, "little"))
assert not isinstance(_BASE, Rejection)
BASE: Point = _BASE
"""RFC 8032's base point B (y = 4/5, x even), of prime order q."""


_TORSION = decode_point(
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")
)
assert not isinstance(_TORSION, Rejection)
TORSION_GENERATOR: Point = _TORSION
"""A point of order 8; its multiples 0..7 are the eight points of small order."""


def _is_square(a: int) -> bool:
    return pow(a, (_P - 1) // 2, _P) in (0, 1)


def _sqrt_with_sign(a: int, sign: int) -> int:
    """The square root of the square a whose least significant bit is ``sign``."""
    root = _sqrt_ratio(a, 1)
    assert root is not None
    return _P - root if root & 1 != sign and root != 0 else root


def map_to_curve_ell2(u: int) -> Point:
    """RFC 9380 map_to_curvemap_to_curve_ell2 on curve25519 (J = 486662, K = 1, Z = 2), then its
    rational map to edwards25519; the exceptional input u = 0 maps to the identity."""
    d = (1 + ELL2_Z * u * u) % _P  # never 0: -1/2 is not a square mod p
    x1 = -MONTGOMERY_A * pow(d, -1, _P) % _P
    gx1 = (x1**3 + MONTGOMERY_A * x1**2 + x1) % _P
    if _is_square(gx1):
        s, t = x1, _sqrt_with_sign(gx1, 1)
    else:
        s = (-x1 - MONTGOMERY_A) % _P
        t = _sqrt_with_sign((s**3 + MONTGOMERY_A * s**2 + s) % _P, 0)
    # The rational map is exceptional where t = 0 or s = -1. No u gives s = -1 (neither
    # 1 + 2u^2 = A nor 1 + 2u^2 = A/(A - 1) has a solution); t = 0 happens for u = 0 only.
    if t == 0:
        return IDENTITY
    x = ELL2_MAP_C1 * s * pow(t, -1, _P) % _P
    y = (s - 1) * pow(s + 1, -1, _P) % _P
    return _from_affine(x, y)


def encode_to_curve(suite: Suite, pk: bytes, alpha: bytes) -> Point:
    """RFC 9381 section 5.4.1: H, the point alpha hashes to, with PK_string as the salt."""
    if suite is Suite.EDWARDS25519_SHA512_ELL2:
        return point_mul(COFACTOR, map_to_curve_ell2(hash_to_field(pk, alpha)))
    for ctr in range(256):
        candidate = decode_point(tai_candidate(suite.suite_string, pk, alpha, ctr))
        if isinstance(candidate, Rejection):
            continue
        h = point_mul(COFACTOR, candidate)
        if not point_equal(h, IDENTITY):
            return h
    # Each counter fails with probability about 1/2, so this is never reached.
    raise AssertionError("try-and-increment found no point in 256 tries")


def _expand(sk: object) -> tuple[int, bytes, bytes]:
    sk = as_bytes(sk, "sk")
    if len(sk) != SECRET_KEY_LENGTH:
        raise InvalidSecretKey(
            ErrorCode.SECRET_KEY_LENGTH, f"secret key is {len(sk)} bytes, not 32"
        )
    x, prefix = expand_secret_key(sk)
    return x, prefix, encode_point(point_mul(x, BASE))


def public_key(sk: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """RFC 9381 section 5.1's PK_string for the 32-byte RFC 8032 secret key ``sk``."""
    check_suite(suite)
    return _expand(sk)[2]


def prove(sk: bytes, alpha: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """RFC 9381 section 5.1: the 80-byte proof pi for ``alpha`` under ``sk``."""
    suite = check_suite(suite)
    x, prefix, pk = _expand(sk)
    alpha = as_bytes(alpha, "alpha")
    h = encode_to_curve(suite, pk, alpha)
    h_string = encode_point(h)
    gamma = point_mul(x, h)
    k = int.from_bytes(nonce_string(prefix, h_string), "little") % GROUP_ORDER
    u, v = point_mul(k, BASE), point_mul(k, h)
    c_string = challenge(
        suite.suite_string, pk, h_string, encode_point(gamma), encode_point(u), encode_point(v)
    )
    s = (k + int.from_bytes(c_string, "little") * x) % GROUP_ORDER
    return encode_point(gamma) + c_string + s.to_bytes(32, "little")


_PUBLIC_KEY_CODES = {
    Rejection.NOT_CANONICAL: ErrorCode.PUBLIC_KEY_NOT_CANONICAL,
    Rejection.NOT_ON_CURVE: ErrorCode.PUBLIC_KEY_NOT_ON_CURVE,
    Rejection.NEGATIVE_ZERO: ErrorCode.PUBLIC_KEY_NEGATIVE_ZERO,
}
_GAMMA_CODES = {
    Rejection.NOT_CANONICAL: ErrorCode.GAMMA_NOT_CANONICAL,
    Rejection.NOT_ON_CURVE: ErrorCode.GAMMA_NOT_ON_CURVE,
    Rejection.NEGATIVE_ZERO: ErrorCode.GAMMA_NEGATIVE_ZERO,
}


def _decode_proof(pi: bytes) -> tuple[Point, int, int]:
    """RFC 9381 section 5.4.4: Gamma, c and s, or InvalidProof naming the failed check."""
    if len(pi) != PROOF_LENGTH:
        raise InvalidProof(ErrorCode.PROOF_LENGTH, f"proof is {len(pi)} bytes, not 80")
    gamma = decode_point(pi[:POINT_LENGTH])
    if isinstance(gamma, Rejection):
        raise InvalidProof(_GAMMA_CODES[gamma], f"Gamma: {gamma.value}")
    c = int.from_bytes(pi[POINT_LENGTH : POINT_LENGTH + CHALLENGE_LENGTH], "little")
    s = int.from_bytes(pi[POINT_LENGTH + CHALLENGE_LENGTH :], "little")
    if s >= GROUP_ORDER:
        raise InvalidProof(ErrorCode.S_OUT_OF_RANGE, "s is not below the group order q")
    return gamma, c, s


def proof_to_hash(pi: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """RFC 9381 section 5.2: the 64-byte beta of a proof, without verifying it."""
    suite = check_suite(suite)
    gamma, _, _ = _decode_proof(as_bytes(pi, "pi"))
    return beta(suite.suite_string, encode_point(point_mul(COFACTOR, gamma)))


def verify(pk: bytes, alpha: bytes, pi: bytes, *, suite: Suite = DEFAULT_SUITE) -> bytes:
    """RFC 9381 section 5.3 with validate_key = TRUE: beta if pi is valid, else InvalidProof."""
    suite = check_suite(suite)
    pk, alpha, pi = as_bytes(pk, "pk"), as_bytes(alpha, "alpha"), as_bytes(pi, "pi")
    if len(pk) != POINT_LENGTH:
        raise InvalidProof(ErrorCode.PUBLIC_KEY_LENGTH, f"public key is {len(pk)} bytes, not 32")
    y = decode_point(pk)
    if isinstance(y, Rejection):
        raise InvalidProof(_PUBLIC_KEY_CODES[y], f"public key: {y.value}")
    if point_equal(point_mul(COFACTOR, y), IDENTITY):
        raise InvalidProof(ErrorCode.PUBLIC_KEY_SMALL_ORDER, "public key has small order")
    gamma, c, s = _decode_proof(pi)
    h = encode_to_curve(suite, pk, alpha)
    u = point_add(point_mul(s, BASE), point_neg(point_mul(c, y)))
    v = point_add(point_mul(s, h), point_neg(point_mul(c, gamma)))
    points = (pk, encode_point(h), pi[:POINT_LENGTH], encode_point(u), encode_point(v))
    if challenge(suite.suite_string, *points) != pi[POINT_LENGTH : POINT_LENGTH + CHALLENGE_LENGTH]:
        raise InvalidProof(ErrorCode.CHALLENGE_MISMATCH, "the proof does not verify for alpha")
    return beta(suite.suite_string, encode_point(point_mul(COFACTOR, gamma)))


def prove_nonstandard(
    x: int,
    alpha: bytes,
    *,
    suite: Suite = DEFAULT_SUITE,
    nonce: int,
    key_torsion: int = 0,
    gamma_torsion: int = 0,
) -> tuple[bytes, bytes]:
    """A public key and a proof that :func:`verify` accepts but :func:`prove` never makes.

    The key is x*B + key_torsion*T and Gamma is x*H + gamma_torsion*T, T being
    :data:`TORSION_GENERATOR`; the nonce k is ``nonce`` (0 allowed) instead of RFC 9381's hash.
    Whoever knows x can do this, and beta stays Hash(8 * x * H): proofs are malleable, beta is
    not (``specs/vrf.md``, Security considerations). The challenge c must be congruent mod 8 to
    the guess that built U and V; the nonce is increased until some guess is.
    """
    suite = check_suite(suite)
    alpha = as_bytes(alpha, "alpha")
    key_shift = point_mul(key_torsion, TORSION_GENERATOR)
    pk = encode_point(point_add(point_mul(x, BASE), key_shift))
    h = encode_to_curve(suite, pk, alpha)
    gamma_shift = point_mul(gamma_torsion, TORSION_GENERATOR)
    gamma = encode_point(point_add(point_mul(x, h), gamma_shift))
    k = nonce
    while True:
        for guess in range(8):
            # With s = k + c*x: s*B - c*Y = k*B - c*key_shift, s*H - c*Gamma = k*H - c*gamma_shift.
            u = point_add(point_mul(k, BASE), point_neg(point_mul(guess, key_shift)))
            v = point_add(point_mul(k, h), point_neg(point_mul(guess, gamma_shift)))
            points = (pk, encode_point(h), gamma, encode_point(u), encode_point(v))
            c_string = challenge(suite.suite_string, *points)
            c = int.from_bytes(c_string, "little")
            miss = (c - guess) % 8
            if point_equal(point_mul(miss, key_shift), IDENTITY) and point_equal(
                point_mul(miss, gamma_shift), IDENTITY
            ):
                s = (k + c * x) % GROUP_ORDER
                return pk, gamma + c_string + s.to_bytes(32, "little")
        k += 1
