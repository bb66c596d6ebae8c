"""Range checks for the fixed-width unsigned integers of the protocol."""

from __future__ import annotations

from aetron_types import HASH_SIZE

from . import _errors as err
from ._errors import ConsensusError

ID_SIZE = HASH_SIZE
"""Bytes in every id: neuronets, miners, stakers, owners, validators, blocks, re-checks."""


def check_uint(value: object, bits: int, what: str) -> int:
    """``value`` as an int if it is one (never a bool) and fits ``bits`` unsigned bits."""
    if type(value) is not int or not 0 <= value < 1 << bits:
        raise ConsensusError(err.OUT_OF_RANGE, f"{what} must be a u{bits}, got {value!r}")
    return value


def check_id(value: object, what: str) -> bytes:
    """``value`` if it is exactly 32 bytes: neuronet, miner, staker, block and re-check ids."""
    if type(value) is not bytes or len(value) != ID_SIZE:
        raise ConsensusError(err.BAD_ID, f"{what} must be {ID_SIZE} bytes, got {value!r:.80}")
    return value
