"""The package's exceptions and their stable reason codes (the Errors table of ``specs/vrf.md``)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ArgumentTypeError",
    "ErrorCode",
    "InvalidArgument",
    "InvalidProof",
    "InvalidSecretKey",
    "NoEligibleMiner",
    "VRFError",
]


class VRFError(Exception):
    """Base of every exception the package raises on bad input.

    ``code`` is a stable ``VRF.REASON`` string from the Errors table of ``specs/vrf.md``; the
    message is for people, names the check that failed, and may change.
    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code: str = code.value
        self.message = message


class InvalidProof(VRFError, ValueError):
    """A public key, proof or alpha that RFC 9381 verification rejects."""


class InvalidSecretKey(VRFError, ValueError):
    """A secret key that is not 32 bytes."""


class InvalidArgument(VRFError, ValueError):
    """A sortition input out of its range or of the wrong length."""


class NoEligibleMiner(VRFError, ValueError):
    """The roster holds no miner that may take the role being drawn."""


class ArgumentTypeError(VRFError, TypeError):
    """An argument of the wrong Python type (bytes, int or :class:`Suite` expected)."""


class ErrorCode(StrEnum):
    """Every reason code the package raises, as the ``code`` of a :class:`VRFError`."""

    # ECVRF: secret keys and argument types.
    SECRET_KEY_LENGTH = "VRF.SECRET_KEY_LENGTH"
    NOT_BYTES = "VRF.NOT_BYTES"
    NOT_INTEGER = "VRF.NOT_INTEGER"
    UNKNOWN_SUITE = "VRF.UNKNOWN_SUITE"

    # ECVRF verification, in the order RFC 9381 section 5.3 checks them.
    PUBLIC_KEY_LENGTH = "VRF.PUBLIC_KEY_LENGTH"
    PUBLIC_KEY_NOT_CANONICAL = "VRF.PUBLIC_KEY_NOT_CANONICAL"
    PUBLIC_KEY_NEGATIVE_ZERO = "VRF.PUBLIC_KEY_NEGATIVE_ZERO"
    PUBLIC_KEY_NOT_ON_CURVE = "VRF.PUBLIC_KEY_NOT_ON_CURVE"
    PUBLIC_KEY_SMALL_ORDER = "VRF.PUBLIC_KEY_SMALL_ORDER"
    PROOF_LENGTH = "VRF.PROOF_LENGTH"
    GAMMA_NOT_CANONICAL = "VRF.GAMMA_NOT_CANONICAL"
    GAMMA_NEGATIVE_ZERO = "VRF.GAMMA_NEGATIVE_ZERO"
    GAMMA_NOT_ON_CURVE = "VRF.GAMMA_NOT_ON_CURVE"
    S_OUT_OF_RANGE = "VRF.S_OUT_OF_RANGE"
    CHALLENGE_MISMATCH = "VRF.CHALLENGE_MISMATCH"

    # The replay sortition.
    NEURONET_ID_LENGTH = "VRF.NEURONET_ID_LENGTH"
    EPOCH_OUT_OF_RANGE = "VRF.EPOCH_OUT_OF_RANGE"
    BATCH_ROOT_LENGTH = "VRF.BATCH_ROOT_LENGTH"
    BETA_LENGTH = "VRF.BETA_LENGTH"
    RATE_OUT_OF_RANGE = "VRF.RATE_OUT_OF_RANGE"
    INDEX_OUT_OF_RANGE = "VRF.INDEX_OUT_OF_RANGE"
    REQUEST_COUNT_OUT_OF_RANGE = "VRF.REQUEST_COUNT_OUT_OF_RANGE"
    MINER_ID_LENGTH = "VRF.MINER_ID_LENGTH"
    WEIGHT_OUT_OF_RANGE = "VRF.WEIGHT_OUT_OF_RANGE"
    NO_ELIGIBLE_REPLAYER = "VRF.NO_ELIGIBLE_REPLAYER"
    NO_ELIGIBLE_ARBITER = "VRF.NO_ELIGIBLE_ARBITER"

    # verify_many.
    WORKERS_OUT_OF_RANGE = "VRF.WORKERS_OUT_OF_RANGE"
