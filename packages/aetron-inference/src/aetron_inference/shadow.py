"""Shadow replay, simulated: how fast a miner that cheats on a share of its requests is caught.

Each simulated miner serves batches of requests, commits each batch, and only then learns which
requests the epoch's VRF output selects for replay (`aetron_vrf.sortition`). Reference probes,
drawn from the same request distribution as client traffic, are mixed in; a cheated probe is
caught by its known logit hash, a cheated replayed request by the replay. The simulation counts
the requests each miner serves until it is first caught.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import blake3
import numpy as np
from aetron_vrf import Suite, proof_to_hash, prove
from aetron_vrf.sortition import is_replayed, replay_alpha

__all__ = [
    "SHADOW_BATCH_SIZE",
    "Cheater",
    "ShadowRun",
    "cdf_gap",
    "detection_probability",
    "dkw_bound",
    "requests_to_detection",
    "simulate",
]

SHADOW_BATCH_SIZE = 1000
"""Requests per committed batch in the simulation (one VRF selection each)."""
_SUITE = Suite.EDWARDS25519_SHA512_TAI
_PPM = 1_000_000


class Cheater(StrEnum):
    """How a simulated miner picks the requests it cheats on."""

    random = "random"
    """Each request with probability f, by a coin only the miner sees."""
    by_content = "by_content"
    """The requests whose content hashes into a fixed share f (it tries to spot probes)."""
    peeking = "peeking"
    """Knows the replay selection before committing (a broken protocol): cheats on a share f of
    the requests that will not be replayed."""


@dataclass(frozen=True)
class ShadowRun:
    """One simulation: per miner, requests served until first caught (None: never, in the horizon)."""

    cheat_ppm: int
    probe_ppm: int
    cheater: Cheater
    horizon: int
    by_replay: tuple[int | None, ...]
    """Counting only replays."""
    by_any: tuple[int | None, ...]
    """Counting replays and probes."""


def detection_probability(n: int, rate: float) -> float:
    """``1 - (1 - rate)**n``: the chance that one of ``n`` requests, each checked at ``rate``, is."""
    return 1.0 - (1.0 - rate) ** n


def requests_to_detection(rate: float, probability: float) -> int:
    """The fewest requests after which a miner is caught with at least ``probability``."""
    return math.ceil(math.log(1.0 - probability) / math.log(1.0 - rate))


def dkw_bound(samples: int, alpha: float) -> float:
    """Dvoretzky-Kiefer-Wolfowitz: the empirical CDF of ``samples`` draws stays within this
    distance of the true CDF everywhere, except with probability ``alpha``."""
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * samples))


def cdf_gap(times: Sequence[int | None], rate: float, horizon: int) -> float:
    """The largest distance, over ``n <= horizon``, between the share of ``times`` at most ``n``
    (None: not caught within the horizon) and `detection_probability` ``(n, rate)``."""
    count = len(times)
    caught = Counter(t for t in times if t is not None)
    gap = abs(sum(caught.values()) / count - detection_probability(horizon, rate))
    below = 0
    for t in sorted(caught):
        # The empirical CDF is flat between the values caught: compare just before and at each.
        gap = max(gap, abs(below / count - detection_probability(t - 1, rate)))
        below += caught[t]
        gap = max(gap, abs(below / count - detection_probability(t, rate)))
    return gap


def _network_key(seed: bytes) -> bytes:
    return blake3.blake3(b"AETRON/shadow/vrf-key" + seed).digest()


def _uniform_ppm(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.integers(0, _PPM, size)


def simulate(
    *,
    cheat_ppm: int,
    miners: int,
    horizon: int,
    seed: bytes,
    cheater: Cheater = Cheater.random,
    probe_ppm: int = 0,
    rate_bps: int = 700,
) -> ShadowRun:
    """Simulate ``miners`` miners cheating on ``cheat_ppm`` of their requests for ``horizon`` each.

    Every batch of `SHADOW_BATCH_SIZE` requests is committed (its root binds which requests were
    cheated) before the network's ECVRF proof over ``replay_alpha(neuronet, epoch, root)`` picks
    the replayed ones at ``rate_bps``. With the `Cheater.peeking` strategy the proof's input
    leaves the root out, as if the selection were known in advance.
    """
    key = _network_key(seed)
    rng = np.random.default_rng(int.from_bytes(blake3.blake3(seed).digest(8), "little"))
    neuronet = blake3.blake3(b"AETRON/shadow/neuronet" + seed).digest()
    by_replay: list[int | None] = []
    by_any: list[int | None] = []
    batches = -(-horizon // SHADOW_BATCH_SIZE)
    for miner in range(miners):
        caught_replay: int | None = None
        caught_any: int | None = None
        for batch in range(batches):
            if caught_replay is not None:
                break
            epoch = miner * batches + batch
            size = min(SHADOW_BATCH_SIZE, horizon - batch * SHADOW_BATCH_SIZE)
            # Probes are drawn like client requests: content carries no sign of being one.
            content = rng.integers(0, 2**63, size)
            probe = _uniform_ppm(rng, size) < probe_ppm
            if cheater is Cheater.by_content:
                cheat = content % _PPM < cheat_ppm
            else:
                cheat = _uniform_ppm(rng, size) < cheat_ppm
            if cheater is Cheater.peeking:
                beta = proof_to_hash(
                    prove(key, replay_alpha(neuronet, epoch, bytes(32)), suite=_SUITE),
                    suite=_SUITE,
                )
                replayed = np.array([is_replayed(beta, i, rate_bps=rate_bps) for i in range(size)])
                cheat &= ~replayed
            leaves = content.astype("<u8").tobytes() + np.packbits(cheat).tobytes()
            root = blake3.blake3(leaves).digest()
            if cheater is not Cheater.peeking:
                beta = proof_to_hash(
                    prove(key, replay_alpha(neuronet, epoch, root), suite=_SUITE), suite=_SUITE
                )
            offset = batch * SHADOW_BATCH_SIZE
            for i in np.flatnonzero(cheat).tolist():
                if caught_any is None and probe[i]:
                    caught_any = offset + i + 1
                if is_replayed(beta, i, rate_bps=rate_bps):
                    caught_replay = offset + i + 1
                    if caught_any is None:
                        caught_any = caught_replay
                    break
        by_replay.append(caught_replay)
        by_any.append(caught_any)
    return ShadowRun(cheat_ppm, probe_ppm, cheater, horizon, tuple(by_replay), tuple(by_any))
