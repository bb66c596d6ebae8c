"""ECVRF-EDWARDS25519-SHA512-ELL2's encode_to_curve on libsodium.

libsodium's ``crypto_core_ed25519_from_uniform(r)`` is RFC 9380's Elligator 2 map to curve25519,
the rational map to edwards25519 and the cofactor clearing, except for one bit: it takes the sign
of the Edwards x from bit 255 of ``r``, where RFC 9380 derives it from the Montgomery point
(x = sqrt(-486664) * s / t, t chosen by its own sign rule). No libsodium function exposes t, so
that bit is computed here with two modular inversions in Python; the square root it needs comes
from libsodium.
"""

from __future__ import annotations

from nacl import bindings
from nacl.exceptions import RuntimeError as SodiumRefusal

from ._constants import ELL2_MAP_C1, ELL2_Z, FIELD_PRIME, MONTGOMERY_A, POINT_LENGTH, SQRT_MINUS_ONE
from ._hashing import hash_to_field

__all__ = ["ell2_encode_to_curve", "ell2_map"]

_P = FIELD_PRIME
# The point (sqrt(-1), 0) of order 4; adding it maps (x, y) to (sqrt(-1) * y, sqrt(-1) * x).
_ORDER_4 = bytes(POINT_LENGTH)


def ell2_map(u: int) -> bytes | None:
    """8 * (RFC 9380's Elligator 2 point of u on edwards25519), encoded; None for u = 0, where
    the rational map is exceptional (t = 0) and gives the identity, left to the reference path."""
    if u == 0:
        return None
    d = (1 + ELL2_Z * u * u) % _P
    # Elligator 2 picks the Montgomery s = -A/d when g(s) is a square, else s = -s - A = A(1-d)/d;
    # the Edwards y of each is (s - 1)/(s + 1): (A + d)/(A - d) and (A(1-d) - d)/(A(1-d) + d).
    # Neither denominator is ever 0: no u gives s = -1 (and d is never 0: -1/2 is not a square).
    other = MONTGOMERY_A * (1 - d)
    den1, den2 = MONTGOMERY_A - d, other + d
    inverse = pow(den1 * den2, -1, _P)
    y1 = (MONTGOMERY_A + d) * den2 * inverse % _P
    # libsodium decodes y only where an x exists, that is exactly where g(s) is a square.
    try:
        shifted = bindings.crypto_core_ed25519_add(y1.to_bytes(POINT_LENGTH, "little"), _ORDER_4)
        square, s_numerator = 1, -MONTGOMERY_A
    except SodiumRefusal:
        y2 = (other - d) * den1 * inverse % _P
        shifted = bindings.crypto_core_ed25519_add(y2.to_bytes(POINT_LENGTH, "little"), _ORDER_4)
        square, s_numerator = 0, other
    # libsodium decoded y with the sign bit clear, so it took x0, the even root (not 0, as s is
    # not 0); the sum's y is sqrt(-1) * x0.
    x0 = -SQRT_MINUS_ONE * (int.from_bytes(shifted, "little") & ((1 << 255) - 1)) % _P
    # With x = x0, t = sqrt(-486664) * s / x0; RFC 9380 wants the t whose parity is `square`,
    # so x is x0 (even) when t0 has that parity and -x0 (odd) otherwise.
    t0 = ELL2_MAP_C1 * s_numerator * pow(d * x0, -1, _P) % _P
    sign = (t0 & 1) ^ square
    return bindings.crypto_core_ed25519_from_uniform(
        (u | sign << 255).to_bytes(POINT_LENGTH, "little")
    )


def ell2_encode_to_curve(pk: bytes, alpha: bytes) -> bytes | None:
    """H for the ELL2 suite, or None in the one exceptional case of :func:`ell2_map`."""
    return ell2_map(hash_to_field(pk, alpha))
