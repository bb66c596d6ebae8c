"""The splits of every amount minted, with one remainder rule: floor each share, rest to treasury."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from aetron_types import BASIS_POINTS, MAX_OWNER_SHARE_BP

from . import _errors as err
from ._errors import ConsensusError
from ._ints import check_uint

__all__ = [
    "MINERS_SHARE_BP",
    "NEURONETS_SHARE_BP",
    "TREASURY_SHARE_BP",
    "VALIDATORS_SHARE_BP",
    "BlockSplit",
    "NeuronetSplit",
    "apportion",
    "split_block",
    "split_neuronet",
]

NEURONETS_SHARE_BP = 9_000
"""Share of each block subsidy for the neuronets, divided by the work each confirmed."""

VALIDATORS_SHARE_BP = 500
"""Share of each block subsidy for the validator that produced the block."""

TREASURY_SHARE_BP = 500
"""Share of each block subsidy for the treasury (before remainders, which also go there)."""

MINERS_SHARE_BP = 8_000
"""Share of a neuronet's emission for its miners, divided by score."""


class BlockSplit(NamedTuple):
    """One block subsidy divided; the three fields sum to the subsidy."""

    neuronets: int
    validators: int
    treasury: int


class NeuronetSplit(NamedTuple):
    """A neuronet's emission divided; the four fields sum to the amount."""

    miners: int
    owner: int
    stakers: int
    treasury: int


def split_block(subsidy: int) -> BlockSplit:
    """Divide a block subsidy (a u64) 90 / 5 / 5; the rounding remainder goes to the treasury."""
    check_uint(subsidy, 64, "subsidy")
    neuronets = subsidy * NEURONETS_SHARE_BP // BASIS_POINTS
    validators = subsidy * VALIDATORS_SHARE_BP // BASIS_POINTS
    return BlockSplit(neuronets, validators, subsidy - neuronets - validators)


def split_neuronet(amount: int, owner_share_bp: int) -> NeuronetSplit:
    """Divide a neuronet's emission (a u64) among miners, owner and stakers.

    Miners get ``MINERS_SHARE_BP``, the owner ``owner_share_bp`` (at most ``MAX_OWNER_SHARE_BP``),
    the stakers the rest; each share is floored and the remainder goes to the treasury.
    """
    check_uint(amount, 64, "amount")
    check_owner_share(owner_share_bp)
    stakers_bp = BASIS_POINTS - MINERS_SHARE_BP - owner_share_bp
    miners = amount * MINERS_SHARE_BP // BASIS_POINTS
    owner = amount * owner_share_bp // BASIS_POINTS
    stakers = amount * stakers_bp // BASIS_POINTS
    return NeuronetSplit(miners, owner, stakers, amount - miners - owner - stakers)


def apportion(amount: int, weights: Sequence[int]) -> tuple[list[int], int]:
    """Divide ``amount`` (a u64) in proportion to ``weights`` (each a u128).

    Returns each weight's floored share and the remainder, which the caller pays to the treasury.
    When every weight is zero nobody earned the amount and all of it is remainder.
    """
    check_uint(amount, 64, "amount")
    if not weights:
        raise ConsensusError(err.EMPTY_WEIGHTS, "apportion needs at least one weight")
    for weight in weights:
        check_uint(weight, 128, "weight")
    total = sum(weights)
    if total == 0:
        return [0] * len(weights), amount
    shares = [amount * weight // total for weight in weights]
    return shares, amount - sum(shares)


def check_owner_share(owner_share_bp: object) -> int:
    """``owner_share_bp`` if it is a valid owner share, 0 to ``MAX_OWNER_SHARE_BP``."""
    share = check_uint(owner_share_bp, 16, "owner share")
    if share > MAX_OWNER_SHARE_BP:
        raise ConsensusError(err.OWNER_SHARE_TOO_HIGH, f"{share} bp is above {MAX_OWNER_SHARE_BP}")
    return share
