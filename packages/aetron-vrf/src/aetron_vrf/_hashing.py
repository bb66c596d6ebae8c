"""The SHA-512 computations of RFC 9381 on edwards25519, shared by both paths.

Nothing here does curve arithmetic; these are the byte strings the RFC hashes.
"""

from __future__ import annotations

import hashlib

from ._constants import (
    CHALLENGE_FRONT,
    CHALLENGE_LENGTH,
    DOMAIN_SEPARATOR_BACK,
    ELL2_DST,
    ELL2_FIELD_BYTES,
    ENCODE_TO_CURVE_FRONT,
    FIELD_PRIME,
    PROOF_TO_HASH_FRONT,
)


def expand_secret_key(sk: bytes) -> tuple[int, bytes]:
    """RFC 8032 section 5.1.5: the clamped secret scalar x (not reduced) and the nonce prefix."""
    digest = hashlib.sha512(sk).digest()
    x = int.from_bytes(digest[:32], "little")
    x &= (1 << 254) - 8
    x |= 1 << 254
    return x, digest[32:]


def tai_candidate(suite_string: bytes, pk: bytes, alpha: bytes, ctr: int) -> bytes:
    """RFC 9381 section 5.4.1.1 steps 4.b and 4.c: the 32 bytes tried as a point for ``ctr``."""
    data = suite_string + ENCODE_TO_CURVE_FRONT + pk + alpha + bytes((ctr,)) + DOMAIN_SEPARATOR_BACK
    return hashlib.sha512(data).digest()[:32]


def hash_to_field(pk: bytes, alpha: bytes) -> int:
    """RFC 9380 hash_to_field with count 1 over expand_message_xmd(SHA-512), msg = PK || alpha."""
    dst_prime = ELL2_DST + bytes((len(ELL2_DST),))
    msg_prime = bytes(128) + pk + alpha + ELL2_FIELD_BYTES.to_bytes(2, "big") + b"\x00" + dst_prime
    b_0 = hashlib.sha512(msg_prime).digest()
    b_1 = hashlib.sha512(b_0 + b"\x01" + dst_prime).digest()
    return int.from_bytes(b_1[:ELL2_FIELD_BYTES], "big") % FIELD_PRIME


def nonce_string(prefix: bytes, h_string: bytes) -> bytes:
    """RFC 9381 section 5.4.2.2: k_string, the 64 bytes whose value mod q is the nonce k."""
    return hashlib.sha512(prefix + h_string).digest()


def challenge(suite_string: bytes, *points: bytes) -> bytes:
    """RFC 9381 section 5.4.3: c_string, the first 16 bytes of the hash of the five points."""
    data = suite_string + CHALLENGE_FRONT + b"".join(points) + DOMAIN_SEPARATOR_BACK
    return hashlib.sha512(data).digest()[:CHALLENGE_LENGTH]


def beta(suite_string: bytes, cofactor_gamma: bytes) -> bytes:
    """RFC 9381 section 5.2 step 4: beta from the encoding of cofactor * Gamma."""
    data = suite_string + PROOF_TO_HASH_FRONT + cofactor_gamma + DOMAIN_SEPARATOR_BACK
    return hashlib.sha512(data).digest()
