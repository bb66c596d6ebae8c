"""Settling an epoch: the neuronet pool to neuronets by work, then to miners, owner, stakers."""

from __future__ import annotations

from aetron_types import BASIS_POINTS, PPM

from ._registration import next_pow_difficulty
from ._splits import MINERS_SHARE_BP
from ._state import NeuronetPayouts, Payouts, State

_PPM_CUBED = PPM**3


def settle_epoch(state: State) -> Payouts:
    """Pay out the epoch's neuronet pool and start the next epoch; cannot fail.

    Every base unit of the pool is paid exactly once: each share is floored, and whatever the
    floors leave, and every pool nobody earned, goes to the treasury.
    """
    pool = state.epoch_pool
    epoch = state.epoch
    heartbeats = state.params.heartbeats_per_epoch
    uptime = [(heartbeats - missed) * PPM // heartbeats for missed in range(heartbeats + 1)]
    worked = sorted((nid, n) for nid, n in state.neuronets.items() if n.units)
    total_units = sum(n.units for _, n in worked)
    settled: list[NeuronetPayouts] = []
    treasury = pool
    for nid, n in worked:
        emission = pool * n.units // total_units
        stakers_bp = BASIS_POINTS - MINERS_SHARE_BP - n.owner_share_bp
        miners_pool = emission * MINERS_SHARE_BP // BASIS_POINTS
        owner_amount = emission * n.owner_share_bp // BASIS_POINTS
        stakers_pool = emission * stakers_bp // BASIS_POINTS

        # This loop is the whole cost of a settlement. It repeats miner_weight's arithmetic
        # inline (the tests hold the two equal): a call per miner would double the cost.
        keys: list[bytes] = []
        weights: list[int] = []
        excluded: list[bytes] = []
        for key, miner in n.miners.items():
            if miner.epoch != epoch:
                continue
            if miner.failed:
                excluded.append(key)
                continue
            completed = miner.completed
            assigned = completed + len(miner.open_rechecks) - miner.fresh
            quality = (
                miner.pulse
                * uptime[miner.missed]
                * (completed * PPM // assigned if assigned else PPM)
                * miner.reputation
                // _PPM_CUBED
            )
            if quality and miner.units:
                keys.append(key)
                weights.append(miner.units * quality)
        total_weight = sum(weights)
        amounts = [miners_pool * weight // total_weight for weight in weights]

        stakers: list[tuple[bytes, int]] = []
        if n.active_stake:
            active = n.active_stake
            for staker, stake in n.stakes.items():
                if amount := stakers_pool * stake.active // active:
                    stakers.append((staker, amount))

        paid = owner_amount + sum(amounts) + sum(amount for _, amount in stakers)
        treasury -= paid
        settled.append(
            NeuronetPayouts(
                nid,
                emission,
                n.owner,
                owner_amount,
                stakers,
                keys,
                amounts,
                excluded,
                emission - paid,
            )
        )
    _next_epoch(state)
    return Payouts(treasury=treasury, neuronets=settled, epoch=epoch)


def _next_epoch(state: State) -> None:
    params = state.params
    for n in state.neuronets.values():
        n.units = 0
        n.pow_difficulty = next_pow_difficulty(n.pow_difficulty, n.pow_registrations, params)
        n.pow_registrations = 0
        if n.pending_stake:
            for stake in n.stakes.values():
                stake.active += stake.pending
                stake.pending = 0
            n.active_stake += n.pending_stake
            n.pending_stake = 0
    state.epoch += 1
    state.epoch_pool = 0
