"""The simulation command: its scenarios tell the story the charts show, and it writes PNGs."""

from __future__ import annotations

from pathlib import Path

import pytest
from aetron_consensus import PPM
from aetron_consensus.simulate import (
    main,
    reputation_race,
    restake_or_sell,
    skipping_miner,
    supply_curve,
)


def test_supply_reaches_the_cap_and_never_passes_it() -> None:
    series = supply_curve(points=100)
    issued = series.curves["issued"]
    assert issued[0] == 0 and issued == sorted(issued)
    assert 32_999_998 < issued[-1] < 33_000_000
    assert series.curves["subsidy"][0] == 1.5 and series.curves["subsidy"][-1] == 0


def test_restaking_compounds_and_selling_does_not() -> None:
    series = restake_or_sell(epochs=12)
    restaker, seller = series.curves["restaker_epoch"], series.curves["seller_epoch"]
    assert restaker[0] == seller[0]  # the same start
    assert restaker == sorted(restaker) and restaker[-1] > restaker[0]
    assert series.curves["restaker_total"][-1] > series.curves["seller_total"][-1]


def test_a_skipping_miner_earns_nothing_in_the_epochs_it_skips() -> None:
    series = skipping_miner(epochs=10, skip_every=5)
    skipper, honest = series.curves["skipper"], series.curves["honest"]
    assert skipper[4] == 0 and skipper[9] == 0
    assert all(s < h for s, h in zip(skipper[5:9], honest[5:9], strict=True))
    assert series.curves["skipper_reputation"][-1] < series.curves["honest_reputation"][-1]


def test_a_new_miner_grows_its_reputation_only_by_passing() -> None:
    series = reputation_race(epochs=8, fail_at=4)
    clean, failing = series.curves["clean"], series.curves["failing"]
    assert clean == sorted(clean) and clean[0] < 1
    assert clean[0] * PPM == 100_000 + 7 * 1_000  # the initial weight plus one epoch's passes
    assert failing[4] < failing[3] and series.curves["failing_pay"][4] == 0


def test_the_command_writes_four_charts(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the charts extra (matplotlib) is not installed")
    assert main(["--out", str(tmp_path), "--epochs", "6"]) == 0
    for name in ("supply.png", "restake.png", "skipping.png", "reputation.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
