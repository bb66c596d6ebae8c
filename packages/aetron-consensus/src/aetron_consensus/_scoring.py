"""Miner score from its four signals, reputation, and what stake buys a neuronet."""

from __future__ import annotations

from aetron_types import PPM, ScoreSignals

from . import _errors as err
from ._errors import ConsensusError
from ._ints import check_uint
from ._params import Params

__all__ = [
    "miner_slots",
    "miner_weight",
    "quality_ppm",
    "recheck_ppm",
    "reputation_after_failure",
    "reputation_after_pass",
    "request_quota",
    "uptime_ppm",
]


def uptime_ppm(missed_heartbeats: int, heartbeats_per_epoch: int) -> int:
    """The fraction of the epoch's heartbeats a miner answered, floored to ppm."""
    return (heartbeats_per_epoch - missed_heartbeats) * PPM // heartbeats_per_epoch


def recheck_ppm(completed: int, assigned: int) -> int:
    """The fraction of assigned re-checks completed; a miner with none assigned has all of them.

    For a miner's epoch, ``assigned`` counts the re-checks it completed in the epoch and those
    still open that were assigned in an earlier epoch (``specs/scoring.md``).
    """
    return completed * PPM // assigned if assigned else PPM


def quality_ppm(pulse: int, uptime: int, recheck: int, reputation: int) -> int:
    """The product of four ppm fractions, floored once; Pulse counts up to ``PPM``.

    A Pulse result above the reference (a faster machine) earns no more than the reference: the
    work it confirms already pays for its speed.
    """
    return min(pulse, PPM) * uptime * recheck * reputation // PPM**3


def miner_weight(signals: ScoreSignals, reputation_ppm: int) -> int:
    """A miner's claim on its neuronet's miner pool: confirmed work times quality.

    A miner that skipped a re-check or lost an arbitration this epoch has weight 0 whatever its
    signals; the state machine applies that rule before it scores.
    """
    if not isinstance(signals, ScoreSignals):
        raise ConsensusError(err.OUT_OF_RANGE, "signals must be a ScoreSignals")
    reputation = check_uint(reputation_ppm, 32, "reputation_ppm")
    if reputation > PPM:
        raise ConsensusError(err.OUT_OF_RANGE, f"reputation {reputation} is above {PPM}")
    recheck = recheck_ppm(signals.rechecks_completed, signals.rechecks_assigned)
    quality = quality_ppm(signals.pulse_score_ppm, signals.uptime_ppm, recheck, reputation)
    return signals.confirmed_work * quality


def reputation_after_pass(reputation: int, params: Params) -> int:
    """Reputation after one clean pass: a fixed step up, capped at ``PPM``."""
    return min(PPM, reputation + params.reputation_gain_ppm)


def reputation_after_failure(reputation: int, params: Params) -> int:
    """Reputation after a failure: cut by a fixed fraction, never below a new miner's.

    The floor keeps whitewashing useless: a fresh key starts no higher than the old one stands.
    """
    kept = reputation * params.reputation_failure_keep_ppm // PPM
    return max(params.reputation_initial_ppm, kept)


def request_quota(active_stake: int, params: Params) -> int:
    """Requests (units of confirmed work) a neuronet may serve per epoch: linear in its stake."""
    return active_stake // params.stake_per_request


def miner_slots(active_stake: int, params: Params) -> int:
    """Miners a neuronet may have registered: linear in its stake; no stake, no miners."""
    return active_stake // params.stake_per_miner_slot
