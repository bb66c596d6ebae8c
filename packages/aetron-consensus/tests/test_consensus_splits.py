"""Splits: every base unit assigned exactly once; remainders go to the treasury."""

from __future__ import annotations

import pytest
from aetron_consensus import (
    HALVING_INTERVAL,
    INITIAL_SUBSIDY,
    MAX_OWNER_SHARE_BP,
    ConsensusError,
    apportion,
    block_subsidy,
    split_block,
    split_neuronet,
)
from hypothesis import given, settings
from hypothesis import strategies as st

amounts = st.integers(min_value=0, max_value=2**64 - 1)
owner_shares = st.integers(min_value=0, max_value=MAX_OWNER_SHARE_BP)


def test_a_whole_subsidy_splits_exactly() -> None:
    assert split_block(INITIAL_SUBSIDY) == (135_000_000, 7_500_000, 7_500_000)


def test_the_first_subsidy_not_divisible_by_twenty_sends_its_remainder_to_the_treasury() -> None:
    subsidy = block_subsidy(6 * HALVING_INTERVAL)
    assert subsidy == 2_343_750
    split = split_block(subsidy)
    assert split.neuronets == 2_109_375
    assert split.validators == 117_187  # floor of 117,187.5
    assert split.treasury == 117_188  # its floor plus the remainder
    assert sum(split) == subsidy


@settings(max_examples=500)
@given(amounts)
def test_block_split_assigns_every_unit_once(subsidy: int) -> None:
    split = split_block(subsidy)
    assert sum(split) == subsidy
    assert split.neuronets == subsidy * 9 // 10
    assert split.validators == subsidy // 20
    assert 0 <= split.treasury - subsidy // 20 < 3


@settings(max_examples=500)
@given(amounts, owner_shares)
def test_neuronet_split_assigns_every_unit_once(amount: int, share: int) -> None:
    split = split_neuronet(amount, share)
    assert sum(split) == amount
    assert split.miners == amount * 8 // 10
    assert split.owner == amount * share // 10_000
    assert split.stakers == amount * (2_000 - share) // 10_000
    assert 0 <= split.treasury < 3


@settings(max_examples=500)
@given(amounts, st.lists(st.integers(min_value=0, max_value=2**128 - 1), min_size=1, max_size=40))
def test_apportion_assigns_every_unit_once(amount: int, weights: list[int]) -> None:
    shares, remainder = apportion(amount, weights)
    assert sum(shares) + remainder == amount
    total = sum(weights)
    if total == 0:
        assert remainder == amount and not any(shares)
    else:
        assert 0 <= remainder < len(weights)
        for share, weight in zip(shares, weights, strict=True):
            assert share * total <= amount * weight < (share + 1) * total


def test_owner_share_above_ten_percent_is_rejected() -> None:
    with pytest.raises(ConsensusError) as caught:
        split_neuronet(1_000, MAX_OWNER_SHARE_BP + 1)
    assert caught.value.code == "CONSENSUS.OWNER_SHARE_TOO_HIGH"


def test_apportion_needs_weights_in_range() -> None:
    with pytest.raises(ConsensusError) as caught:
        apportion(10, [])
    assert caught.value.code == "CONSENSUS.EMPTY_WEIGHTS"
    with pytest.raises(ConsensusError) as caught:
        apportion(10, [1, -1])
    assert caught.value.code == "CONSENSUS.OUT_OF_RANGE"
    with pytest.raises(ConsensusError) as caught:
        apportion(2**64, [1])
    assert caught.value.code == "CONSENSUS.OUT_OF_RANGE"
