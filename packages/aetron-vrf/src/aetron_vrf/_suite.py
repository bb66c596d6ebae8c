"""The two RFC 9381 ciphersuites on edwards25519."""

from __future__ import annotations

from enum import Enum

from ._constants import ELL2_SUITE_STRING, TAI_SUITE_STRING

__all__ = ["DEFAULT_SUITE", "Suite"]


class Suite(Enum):
    """An ECVRF ciphersuite of RFC 9381, section 5.5; the value is its name in the RFC.

    Both use edwards25519 and SHA-512 and share keys; they differ only in how alpha is hashed to
    the curve: try-and-increment (``TAI``, not constant-time in alpha) or RFC 9380's Elligator 2
    (``ELL2``).
    """

    EDWARDS25519_SHA512_TAI = "ECVRF-EDWARDS25519-SHA512-TAI"
    EDWARDS25519_SHA512_ELL2 = "ECVRF-EDWARDS25519-SHA512-ELL2"

    @property
    def suite_string(self) -> bytes:
        """The one-byte ``suite_string`` that RFC 9381 hashes into every value."""
        if self is Suite.EDWARDS25519_SHA512_TAI:
            return TAI_SUITE_STRING
        return ELL2_SUITE_STRING


DEFAULT_SUITE = Suite.EDWARDS25519_SHA512_TAI
"""The suite used when none is named."""
