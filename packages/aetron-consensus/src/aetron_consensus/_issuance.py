"""The issuance schedule: a fixed subsidy per block, halved by right shift every era."""

from __future__ import annotations

from ._ints import check_uint

__all__ = [
    "BASE_UNITS_PER_AET",
    "FINAL_SUPPLY",
    "HALVING_INTERVAL",
    "INITIAL_SUBSIDY",
    "MAX_SUPPLY",
    "block_subsidy",
    "issued_before",
]

BASE_UNITS_PER_AET = 10**8
"""Base units in one AET. 10**8 keeps every amount, the whole supply included, below 2**53."""

INITIAL_SUBSIDY = 150_000_000
"""The subsidy of every block of era 0: 1.5 AET."""

HALVING_INTERVAL = 11_000_000
"""Blocks per era; the subsidy halves at every multiple of this height."""

MAX_SUPPLY = 33_000_000 * BASE_UNITS_PER_AET
"""The cap: issuance never exceeds 33,000,000 AET."""

FINAL_SUPPLY = 3_299_999_890_000_000
"""Everything ever issued: ``HALVING_INTERVAL * (2 * INITIAL_SUBSIDY - popcount(INITIAL_SUBSIDY))``.

Each halving floors, so the total falls 1.1 AET short of ``MAX_SUPPLY``.
"""


def block_subsidy(height: int) -> int:
    """Base units minted by the block at ``height`` (a u64)."""
    check_uint(height, 64, "height")
    # A u64 height has at most 1677 eras; shifting by that many is well defined for Python ints
    # and gives 0 long before, once the era passes the subsidy's 28 bits.
    return INITIAL_SUBSIDY >> (height // HALVING_INTERVAL)


def issued_before(height: int) -> int:
    """Base units minted by all blocks below ``height`` (a u64), in closed form.

    Shifting ``r`` right by 0, 1, 2, ... and summing gives ``2 * r - popcount(r)``; the eras
    already complete are that sum for the initial subsidy minus the same sum for the current one.
    """
    check_uint(height, 64, "height")
    era, into_era = divmod(height, HALVING_INTERVAL)
    current = INITIAL_SUBSIDY >> era
    complete_eras = _shift_sum(INITIAL_SUBSIDY) - _shift_sum(current)
    return HALVING_INTERVAL * complete_eras + into_era * current


def _shift_sum(value: int) -> int:
    return 2 * value - value.bit_count()
