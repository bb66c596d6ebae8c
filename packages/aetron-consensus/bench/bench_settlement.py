"""Settlement cost against a plain loop over the same miners, measured in the same run.

    uv run python packages/aetron-consensus/bench/bench_settlement.py [--quick]

For each size it builds, through ordinary events, a machine whose epoch is over: every miner
registered, with a Pulse result, confirmed work, some missed heartbeats, completed and open
re-checks, and one miner in fifty failed. It then times ``apply(EpochEnded)`` against a loop that
does nothing but read each miner's four signals (confirmed work, Pulse, heartbeats missed,
re-checks completed) once. Each figure is the best CPU time of several runs on a fresh copy of
the state. The ratio must stay at most 10, and the cost per miner flat as the size grows 100x.
"""

from __future__ import annotations

import argparse
import gc
import time

import blake3
from aetron_consensus import (
    BASE_UNITS_PER_AET,
    ArbitrationLost,
    BlockProduced,
    ConsensusMachine,
    EpochEnded,
    HeartbeatMissed,
    MinerRegistered,
    NeuronetCreated,
    Params,
    PulseReported,
    RecheckAssigned,
    RecheckCompleted,
    StakeAdded,
    WorkConfirmed,
)
from aetron_types import HardwareArch, MinerRegistration

SIZES = ((1_000, 10), (10_000, 100), (100_000, 1_000), (100_000, 1))
PARAMS = Params(epoch_blocks=2, stake_per_request=1, stake_per_miner_slot=1)
VALIDATOR = b"\x01" * 32


def key(*parts: int) -> bytes:
    return blake3.blake3(b"bench" + b"".join(p.to_bytes(8, "little") for p in parts)).digest()


def registration(neuronet: bytes, miner: bytes, height: int) -> MinerRegistration:
    return MinerRegistration(
        neuronet_id=neuronet,
        miner=miner,
        height=height,
        hardware_arch=HardwareArch.nvidia_hopper,
        fee=PARAMS.registration_fee,
        pow=None,
        tee=None,
        signature=bytes(64),
    )


def build(miners: int, neuronets: int) -> ConsensusMachine:
    """A machine at the end of epoch 1 with ``miners`` spread evenly over ``neuronets``."""
    machine = ConsensusMachine(PARAMS)
    apply = machine.apply
    ids = [key(0, n) for n in range(neuronets)]
    for n, nid in enumerate(ids):
        apply(NeuronetCreated(nid, key(1, n), 500))
        apply(StakeAdded(nid, key(2, n), 1_000 * BASE_UNITS_PER_AET))
        apply(StakeAdded(nid, key(3, n), 10 * BASE_UNITS_PER_AET))
    for height in range(2):
        apply(BlockProduced(height, key(4, height), VALIDATOR))
    apply(EpochEnded(0))
    for i in range(miners):
        nid = ids[i % neuronets]
        miner = key(5, i)
        apply(MinerRegistered(registration(nid, miner, machine.height)))
        apply(PulseReported(nid, miner, 800_000 + i % 300_000))
        apply(WorkConfirmed(nid, miner, 1 + i % 997))
        for r in range(i % 3):
            apply(RecheckAssigned(nid, miner, key(6, i, r)))
        if i % 3 == 2:
            apply(RecheckCompleted(nid, miner, key(6, i, 0)))
        if i % 7 == 0:
            apply(HeartbeatMissed(nid, miner))
        if i % 50 == 0:
            apply(ArbitrationLost(nid, miner))
    for height in range(2, 4):
        apply(BlockProduced(height, key(4, height), VALIDATOR))
    return machine


def plain_loop(machine: ConsensusMachine) -> int:
    """Read every miner's four signals once, where the settlement reads them."""
    total = 0
    # The baseline reads the machine's own records, as the settlement does.
    for n in machine._state.neuronets.values():
        for miner in n.miners.values():
            total += miner.units + miner.pulse + miner.missed + miner.completed
    return total


def measure(runs: int, snapshot: bytes) -> tuple[float, float]:
    """Best settlement time and best loop time, each run on a fresh copy of the state.

    The two are timed back to back on the same copy, so machine noise hits both alike. Times
    are this thread's CPU time: on a shared machine, wall time also counts the slices the
    scheduler gives other processes, which hit a long measurement more often than a short one.
    A full collection before each keeps the garbage of decoding the copy out of the timings.
    """
    settle = loop = float("inf")
    for _ in range(runs):
        machine = ConsensusMachine.from_bytes(snapshot)
        gc.collect()
        start = time.thread_time()
        plain_loop(machine)
        loop = min(loop, time.thread_time() - start)
        gc.collect()
        start = time.thread_time()
        machine.apply(EpochEnded(1))
        settle = min(settle, time.thread_time() - start)
    return settle, loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two sizes, fewer runs")
    parser.add_argument("--runs", type=int, default=9, help="runs per size; the best counts")
    args = parser.parse_args()
    sizes = SIZES[:2] if args.quick else SIZES
    runs = 3 if args.quick else args.runs
    print(
        f"{'miners':>8} {'neuronets':>9} {'settle ms':>10} {'loop ms':>8} {'ratio':>6} {'ns/miner':>9}"
    )
    per_miner: list[tuple[float, float]] = []
    for miners, neuronets in sizes:
        snapshot = build(miners, neuronets).to_bytes()
        settle, loop = measure(runs, snapshot)
        per_miner.append((settle / miners, loop / miners))
        print(
            f"{miners:>8} {neuronets:>9} {settle * 1e3:>10.2f} {loop * 1e3:>8.2f}"
            f" {settle / loop:>6.2f} {settle / miners * 1e9:>9.0f}"
        )
    largest = max(range(len(sizes)), key=lambda index: sizes[index][0])
    settle_growth = per_miner[largest][0] / per_miner[0][0]
    loop_growth = per_miner[largest][1] / per_miner[0][1]
    print(
        f"cost per miner, {sizes[largest][0]:,} miners against {sizes[0][0]:,}:"
        f" settlement x{settle_growth:.2f}, plain loop x{loop_growth:.2f} (x1.00 = linear)"
    )


if __name__ == "__main__":
    main()
