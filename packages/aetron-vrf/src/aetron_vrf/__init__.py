"""RFC 9381 ECVRF on edwards25519, fast through libsodium, and AETRON's replay sortition.

``prove`` turns a secret key and an input alpha into an 80-byte proof; ``verify`` checks the
proof against the public key and returns the 64-byte output beta, which only the key holder
could compute and which is the same for every valid proof of that alpha. Both ciphersuites on
edwards25519 (TAI and ELL2) are exactly RFC 9381's, with validate_key = TRUE.
:mod:`aetron_vrf.sortition` derives the replay decisions from beta, and
:mod:`aetron_vrf.reference` is the same ECVRF in pure Python. Specified in ``specs/vrf.md``.
"""

from __future__ import annotations

from ._batch import verify_many
from ._ecvrf import proof_to_hash, prove, public_key, verify
from ._errors import (
    ArgumentTypeError,
    ErrorCode,
    InvalidArgument,
    InvalidProof,
    InvalidSecretKey,
    NoEligibleMiner,
    VRFError,
)
from ._suite import DEFAULT_SUITE, Suite

__all__ = [
    "DEFAULT_SUITE",
    "ArgumentTypeError",
    "ErrorCode",
    "InvalidArgument",
    "InvalidProof",
    "InvalidSecretKey",
    "NoEligibleMiner",
    "Suite",
    "VRFError",
    "proof_to_hash",
    "prove",
    "public_key",
    "verify",
    "verify_many",
]
