"""The issuance schedule: exact per era, closed form equal to the running sum, under the cap."""

from __future__ import annotations

import pytest
from aetron_consensus import (
    BASE_UNITS_PER_AET,
    FINAL_SUPPLY,
    HALVING_INTERVAL,
    INITIAL_SUBSIDY,
    MAX_SUPPLY,
    ConsensusError,
    block_subsidy,
    issued_before,
)
from hypothesis import given, settings
from hypothesis import strategies as st

U64_MAX = 2**64 - 1
LAST_ERA_WITH_SUBSIDY = INITIAL_SUBSIDY.bit_length() - 1  # 27


def test_the_schedule_constants() -> None:
    assert INITIAL_SUBSIDY == 3 * BASE_UNITS_PER_AET // 2  # 1.5 AET
    assert HALVING_INTERVAL == 11_000_000
    assert MAX_SUPPLY == 33_000_000 * BASE_UNITS_PER_AET
    # Every amount, the cap included, fits a u64 (and even a JSON-safe 2**53).
    assert MAX_SUPPLY < 2**53 < U64_MAX
    # The exact final supply: 1.1 AET short of the cap because each halving floors.
    assert HALVING_INTERVAL * (2 * INITIAL_SUBSIDY - INITIAL_SUBSIDY.bit_count()) == FINAL_SUPPLY
    assert FINAL_SUPPLY == 3_299_999_890_000_000
    assert MAX_SUPPLY - FINAL_SUPPLY == 110_000_000


def test_subsidy_halves_by_right_shift_at_every_era_boundary() -> None:
    for era in range(LAST_ERA_WITH_SUBSIDY + 3):
        first = era * HALVING_INTERVAL
        assert block_subsidy(first) == INITIAL_SUBSIDY >> era
        assert block_subsidy(first + HALVING_INTERVAL - 1) == INITIAL_SUBSIDY >> era
        if era:
            assert block_subsidy(first - 1) == INITIAL_SUBSIDY >> (era - 1)
    assert block_subsidy(LAST_ERA_WITH_SUBSIDY * HALVING_INTERVAL) == 1
    assert block_subsidy((LAST_ERA_WITH_SUBSIDY + 1) * HALVING_INTERVAL) == 0
    assert block_subsidy(U64_MAX) == 0


def test_issued_before_matches_the_running_sum_across_every_boundary() -> None:
    total = 0
    previous_end = 0
    for era in range(LAST_ERA_WITH_SUBSIDY + 3):
        end = (era + 1) * HALVING_INTERVAL
        total += (end - previous_end) * block_subsidy(previous_end)
        previous_end = end
        assert issued_before(end) == total
        assert issued_before(end - 1) == total - block_subsidy(end - 1)
        assert issued_before(end + 1) == total + block_subsidy(end)
    assert total == FINAL_SUPPLY
    assert issued_before(U64_MAX) == FINAL_SUPPLY


@settings(max_examples=300)
@given(st.integers(min_value=1, max_value=U64_MAX))
def test_issued_before_steps_by_one_subsidy(height: int) -> None:
    assert issued_before(height) - issued_before(height - 1) == block_subsidy(height - 1)


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=U64_MAX))
def test_never_above_the_cap(height: int) -> None:
    assert 0 <= issued_before(height) <= FINAL_SUPPLY < MAX_SUPPLY
    assert 0 <= block_subsidy(height) <= INITIAL_SUBSIDY


def test_no_premine() -> None:
    assert issued_before(0) == 0
    assert issued_before(1) == INITIAL_SUBSIDY


@pytest.mark.parametrize("height", [-1, 2**64, True, 1.0, "5", None])
def test_heights_outside_u64_are_rejected(height: object) -> None:
    for function in (block_subsidy, issued_before):
        with pytest.raises(ConsensusError) as caught:
            function(height)  # type: ignore[arg-type]
        assert caught.value.code == "CONSENSUS.OUT_OF_RANGE"
