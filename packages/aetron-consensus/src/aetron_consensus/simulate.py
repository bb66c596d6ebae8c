"""Simulations of the economics, drawn as PNG charts.

    uv run python -m aetron_consensus.simulate --out DIR [--epochs N]

Every scenario runs real events through :class:`ConsensusMachine` under mainnet parameters and
reads the amounts off its payouts. It writes four charts:

``supply.png``
    issuance to the cap, and the subsidy per block, era by era;
``restake.png``
    a miner that restakes everything it earns into its own neuronet against one that sells;
``skipping.png``
    a miner that skips a re-check now and then against honest miners beside it;
``reputation.png``
    a new miner's reputation and pay as it passes checks, with and without a failure.

Matplotlib is needed only here (the ``charts`` extra); the rest of the package never imports it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import blake3
from aetron_types import PPM, HardwareArch, MinerRegistration

from ._events import (
    ArbitrationLost,
    BlockProduced,
    CheckPassed,
    EpochEnded,
    Event,
    MinerRegistered,
    NeuronetCreated,
    PulseReported,
    RecheckAssigned,
    RecheckCompleted,
    RecheckSkipped,
    StakeAdded,
    WorkConfirmed,
)
from ._issuance import BASE_UNITS_PER_AET, HALVING_INTERVAL, MAX_SUPPLY, issued_before
from ._issuance import block_subsidy as subsidy_at
from ._machine import ConsensusMachine
from ._params import Params
from ._state import PayoutRole, Payouts

__all__ = ["Series", "main", "reputation_race", "restake_or_sell", "skipping_miner", "supply_curve"]

BLOCK_SECONDS = 11.4755
"""Nominal block time: four years of 365.25 days per era of 11,000,000 blocks."""

_YEAR_SECONDS = 365.25 * 24 * 3600
_VALIDATOR = b"\x01" * 32


def _key(label: str) -> bytes:
    return blake3.blake3(label.encode()).digest()


@dataclass
class Series:
    """Named curves sampled at the same points ``x``."""

    x: list[float] = field(default_factory=list)
    curves: dict[str, list[float]] = field(default_factory=dict)

    def add(self, x: float, **values: float) -> None:
        """Append one point to every curve."""
        self.x.append(x)
        for name, value in values.items():
            self.curves.setdefault(name, []).append(value)


class _World:
    """A machine plus the bookkeeping the scenarios share."""

    def __init__(self, params: Params) -> None:
        self.machine = ConsensusMachine(params)
        self.params = params

    def apply(self, *events: Event) -> None:
        for event in events:
            self.machine.apply(event)

    def register(self, neuronet: bytes, miner: bytes) -> None:
        registration = MinerRegistration(
            neuronet_id=neuronet,
            miner=miner,
            height=self.machine.height,
            hardware_arch=HardwareArch.nvidia_hopper,
            fee=self.params.registration_fee,
            pow=None,
            tee=None,
            signature=bytes(64),
        )
        self.apply(MinerRegistered(registration), PulseReported(neuronet, miner, PPM))

    def end_epoch(self) -> Payouts:
        """Produce the rest of the epoch's blocks and settle it."""
        machine = self.machine
        last = (machine.epoch + 1) * self.params.epoch_blocks
        while machine.height < last:
            height = machine.height
            machine.apply(
                BlockProduced(
                    height, blake3.blake3(height.to_bytes(8, "little")).digest(), _VALIDATOR
                )
            )
        return machine.apply(EpochEnded(machine.epoch))


def _earned(payouts: Payouts, account: bytes, roles: Iterable[PayoutRole]) -> int:
    wanted = set(roles)
    return sum(p.amount for p in payouts if p.account == account and p.role in wanted)


def supply_curve(points: int = 600) -> Series:
    """AET issued and the per-block subsidy against years, from genesis past the last era."""
    series = Series()
    last_height = 29 * HALVING_INTERVAL
    for index in range(points + 1):
        height = last_height * index // points
        years = height * BLOCK_SECONDS / _YEAR_SECONDS
        series.add(
            years,
            issued=issued_before(height) / BASE_UNITS_PER_AET,
            subsidy=subsidy_at(height) / BASE_UNITS_PER_AET,
        )
    return series


def restake_or_sell(epochs: int, params: Params | None = None) -> Series:
    """Two miners alone in two equal neuronets; one restakes all it earns, the other sells.

    Demand is taken to exceed every neuronet's quota, so each serves exactly what its stake
    allows, and a third neuronet with a large fixed stake stands for the rest of the network.
    """
    params = Params() if params is None else params
    world = _World(params)
    restaker_net, seller_net, rest_net = _key("net/restaker"), _key("net/seller"), _key("net/rest")
    restaker, seller, rest_miner = _key("miner/restaker"), _key("miner/seller"), _key("miner/rest")
    backer, owner = _key("staker/backer"), _key("owner")
    for net, stake in ((restaker_net, 100), (seller_net, 100), (rest_net, 10_000)):
        world.apply(
            NeuronetCreated(net, owner, 500), StakeAdded(net, backer, stake * BASE_UNITS_PER_AET)
        )
    world.end_epoch()
    for net, miner in ((restaker_net, restaker), (seller_net, seller), (rest_net, rest_miner)):
        world.register(net, miner)
    series = Series()
    restaker_total = seller_total = 0
    roles = (PayoutRole.MINER, PayoutRole.STAKER)
    for epoch in range(epochs):
        for net, miner in ((restaker_net, restaker), (seller_net, seller), (rest_net, rest_miner)):
            quota = world.machine.neuronet(net).request_quota
            world.apply(WorkConfirmed(net, miner, quota))
        payouts = world.end_epoch()
        restaker_pay = _earned(payouts, restaker, roles)
        seller_pay = _earned(payouts, seller, roles)
        restaker_total += restaker_pay
        seller_total += seller_pay
        world.apply(StakeAdded(restaker_net, restaker, restaker_pay))
        series.add(
            (epoch + 1) * params.epoch_blocks * BLOCK_SECONDS / 86_400,
            restaker_epoch=restaker_pay / BASE_UNITS_PER_AET,
            seller_epoch=seller_pay / BASE_UNITS_PER_AET,
            restaker_total=restaker_total / BASE_UNITS_PER_AET,
            seller_total=seller_total / BASE_UNITS_PER_AET,
        )
    return series


def skipping_miner(epochs: int, skip_every: int = 10, params: Params | None = None) -> Series:
    """Four miners of one neuronet doing equal work; one skips a re-check every few epochs."""
    params = Params() if params is None else params
    world = _World(params)
    net, owner = _key("net/skip"), _key("owner")
    honest, skipper = _key("miner/honest"), _key("miner/skipper")
    others = [_key(f"miner/other/{index}") for index in range(2)]
    world.apply(
        NeuronetCreated(net, owner, 500), StakeAdded(net, owner, 1_000 * BASE_UNITS_PER_AET)
    )
    world.end_epoch()
    miners = [honest, skipper, *others]
    for miner in miners:
        world.register(net, miner)
    series = Series()
    for epoch in range(epochs):
        for number, miner in enumerate(miners):
            world.apply(WorkConfirmed(net, miner, 5_000))
            # About 7 % of 100 requests each epoch are re-checked and pass; each miner is sent
            # three re-checks of its peers' work to run.
            world.apply(*[CheckPassed(net, miner)] * 7)
            for index in range(3):
                recheck = _key(f"recheck/{epoch}/{number}/{index}")
                world.apply(RecheckAssigned(net, miner, recheck))
                skips = miner == skipper and index == 0 and epoch % skip_every == skip_every - 1
                world.apply((RecheckSkipped if skips else RecheckCompleted)(net, miner, recheck))
        payouts = world.end_epoch()
        series.add(
            epoch + 1,
            honest=_earned(payouts, honest, [PayoutRole.MINER]) / BASE_UNITS_PER_AET,
            skipper=_earned(payouts, skipper, [PayoutRole.MINER]) / BASE_UNITS_PER_AET,
            honest_reputation=world.machine.miner(net, honest).reputation_ppm / PPM,
            skipper_reputation=world.machine.miner(net, skipper).reputation_ppm / PPM,
        )
    return series


def reputation_race(epochs: int, fail_at: int = 40, params: Params | None = None) -> Series:
    """Two new miners join beside a veteran; one loses an arbitration in epoch ``fail_at``.

    Each serves 100 requests an epoch, of which 7 are re-checked and pass.
    """
    params = Params() if params is None else params
    world = _World(params)
    net, owner = _key("net/reputation"), _key("owner")
    veteran, clean, failing = _key("miner/veteran"), _key("miner/clean"), _key("miner/failing")
    world.apply(
        NeuronetCreated(net, owner, 500), StakeAdded(net, owner, 1_000 * BASE_UNITS_PER_AET)
    )
    world.end_epoch()
    for miner in (veteran, clean, failing):
        world.register(net, miner)
    full = (
        PPM - params.reputation_initial_ppm + params.reputation_gain_ppm - 1
    ) // params.reputation_gain_ppm
    world.apply(*[CheckPassed(net, veteran)] * full)
    series = Series()
    for epoch in range(epochs):
        for miner in (veteran, clean, failing):
            world.apply(WorkConfirmed(net, miner, 100), *[CheckPassed(net, miner)] * 7)
        if epoch == fail_at:
            world.apply(ArbitrationLost(net, failing))
        payouts = world.end_epoch()
        veteran_pay = _earned(payouts, veteran, [PayoutRole.MINER]) or 1
        series.add(
            epoch + 1,
            clean=world.machine.miner(net, clean).reputation_ppm / PPM,
            failing=world.machine.miner(net, failing).reputation_ppm / PPM,
            clean_pay=_earned(payouts, clean, [PayoutRole.MINER]) / veteran_pay,
            failing_pay=_earned(payouts, failing, [PayoutRole.MINER]) / veteran_pay,
        )
    return series


def _plot_supply(plt: Any, series: Series, path: Path) -> None:
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    top.plot(series.x, [v / 1e6 for v in series.curves["issued"]], color="tab:blue", label="issued")
    top.axhline(
        MAX_SUPPLY / BASE_UNITS_PER_AET / 1e6, color="tab:red", linestyle="--", label="cap: 33M AET"
    )
    top.set_ylabel("AET issued (millions)")
    top.set_title("Issuance: 1.5 AET per block, halved every 11,000,000 blocks (~4 years)")
    top.legend(loc="lower right")
    bottom.step(series.x, series.curves["subsidy"], where="post", color="tab:green")
    bottom.set_yscale("log")
    bottom.set_ylabel("subsidy per block (AET, log)")
    bottom.set_xlabel("years since genesis (11.4755 s blocks)")
    for axis in (top, bottom):
        axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _plot_restake(plt: Any, series: Series, path: Path) -> None:
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    left.plot(series.x, series.curves["restaker_epoch"], label="restakes everything")
    left.plot(series.x, series.curves["seller_epoch"], label="sells everything")
    left.set_ylabel("AET earned per epoch (miner + staker pay)")
    left.set_title("Earnings per epoch")
    right.plot(series.x, series.curves["restaker_total"], label="restaker: all of it staked")
    right.plot(series.x, series.curves["seller_total"], label="seller: all of it sold")
    right.set_ylabel("AET earned so far")
    right.set_title("Cumulative earnings")
    for axis in (left, right):
        axis.set_xlabel("days")
        axis.grid(alpha=0.3)
        axis.legend()
    figure.suptitle(
        "Restaking raises the neuronet's quota, its work, and so its share of emission\n"
        "(both start with 100 AET staked; the rest of the network holds 10,000 AET and demand"
        " exceeds every quota)"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _plot_skipping(plt: Any, series: Series, path: Path) -> None:
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    top.plot(series.x, series.curves["honest"], label="honest miner")
    top.plot(series.x, series.curves["skipper"], label="skips one re-check every 10 epochs")
    top.set_ylabel("AET earned in the epoch")
    top.set_title(
        "A skipped re-check zeroes the epoch and cuts reputation (halved, floored at 10 %)"
    )
    top.legend()
    bottom.plot(series.x, series.curves["honest_reputation"], label="honest miner")
    bottom.plot(series.x, series.curves["skipper_reputation"], label="skipping miner")
    bottom.set_ylabel("reputation")
    bottom.set_xlabel("epoch")
    bottom.legend()
    for axis in (top, bottom):
        axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _plot_reputation(plt: Any, series: Series, path: Path, fail_at: int) -> None:
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    top.plot(series.x, series.curves["clean"], label="new miner, clean")
    top.plot(
        series.x,
        series.curves["failing"],
        label=f"new miner, loses an arbitration in epoch {fail_at + 1}",
    )
    top.set_ylabel("reputation")
    top.set_title("Reputation starts at 10 % and grows only by clean passes (7 per epoch here)")
    top.legend()
    bottom.plot(series.x, series.curves["clean_pay"], label="new miner, clean")
    bottom.plot(series.x, series.curves["failing_pay"], label="new miner with a failure")
    bottom.set_ylabel("pay relative to a veteran\nwith equal work")
    bottom.set_xlabel("epoch")
    bottom.legend()
    for axis in (top, bottom):
        axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every scenario and write its chart into ``--out``; print each file written."""
    parser = argparse.ArgumentParser(description="Simulate AETRON's economics and chart it.")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG charts")
    parser.add_argument("--epochs", type=int, default=150, help="epochs per scenario")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    args.out.mkdir(parents=True, exist_ok=True)
    fail_at = args.epochs // 4
    out: Path = args.out
    _plot_supply(plt, supply_curve(), out / "supply.png")
    _plot_restake(plt, restake_or_sell(args.epochs), out / "restake.png")
    _plot_skipping(plt, skipping_miner(args.epochs), out / "skipping.png")
    _plot_reputation(plt, reputation_race(args.epochs, fail_at), out / "reputation.png", fail_at)
    for name in ("supply.png", "restake.png", "skipping.png", "reputation.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
