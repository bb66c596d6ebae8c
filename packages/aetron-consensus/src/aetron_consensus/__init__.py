"""AETRON's economics as an exact, deterministic, sans-IO state machine.

Issuance (:func:`block_subsidy`, :func:`issued_before`), the splits of every block and every
neuronet's emission, miner scoring and reputation, stake quotas and registration, all driven by
:class:`ConsensusMachine`. Every amount is an integer of base units. The rules are
``specs/emission.md`` and ``specs/scoring.md``.
"""

from __future__ import annotations

from aetron_types import BASIS_POINTS, MAX_OWNER_SHARE_BP, PPM

from ._errors import ConsensusError
from ._events import (
    ArbitrationLost,
    BlockProduced,
    CheckPassed,
    EpochEnded,
    Event,
    HeartbeatMissed,
    MinerRegistered,
    MinerVetoed,
    NeuronetCreated,
    OwnerShareLowered,
    PulseReported,
    RecheckAssigned,
    RecheckCompleted,
    RecheckSkipped,
    StakeAdded,
    StakeRemoved,
    WorkConfirmed,
)
from ._issuance import (
    BASE_UNITS_PER_AET,
    FINAL_SUPPLY,
    HALVING_INTERVAL,
    INITIAL_SUBSIDY,
    MAX_SUPPLY,
    block_subsidy,
    issued_before,
)
from ._machine import ConsensusMachine, MinerView, NeuronetView
from ._params import Params
from ._registration import next_pow_difficulty, pow_meets, pow_seal, solve_pow
from ._scoring import (
    miner_slots,
    miner_weight,
    quality_ppm,
    recheck_ppm,
    reputation_after_failure,
    reputation_after_pass,
    request_quota,
    uptime_ppm,
)
from ._splits import (
    MINERS_SHARE_BP,
    NEURONETS_SHARE_BP,
    TREASURY_SHARE_BP,
    VALIDATORS_SHARE_BP,
    BlockSplit,
    NeuronetSplit,
    apportion,
    split_block,
    split_neuronet,
)
from ._state import NeuronetPayouts, Payout, PayoutRole, Payouts

__all__ = [
    "BASE_UNITS_PER_AET",
    "BASIS_POINTS",
    "FINAL_SUPPLY",
    "HALVING_INTERVAL",
    "INITIAL_SUBSIDY",
    "MAX_OWNER_SHARE_BP",
    "MAX_SUPPLY",
    "MINERS_SHARE_BP",
    "NEURONETS_SHARE_BP",
    "PPM",
    "TREASURY_SHARE_BP",
    "VALIDATORS_SHARE_BP",
    "ArbitrationLost",
    "BlockProduced",
    "BlockSplit",
    "CheckPassed",
    "ConsensusError",
    "ConsensusMachine",
    "EpochEnded",
    "Event",
    "HeartbeatMissed",
    "MinerRegistered",
    "MinerVetoed",
    "MinerView",
    "NeuronetCreated",
    "NeuronetPayouts",
    "NeuronetSplit",
    "NeuronetView",
    "OwnerShareLowered",
    "Params",
    "Payout",
    "PayoutRole",
    "Payouts",
    "PulseReported",
    "RecheckAssigned",
    "RecheckCompleted",
    "RecheckSkipped",
    "StakeAdded",
    "StakeRemoved",
    "WorkConfirmed",
    "apportion",
    "block_subsidy",
    "issued_before",
    "miner_slots",
    "miner_weight",
    "next_pow_difficulty",
    "pow_meets",
    "pow_seal",
    "quality_ppm",
    "recheck_ppm",
    "reputation_after_failure",
    "reputation_after_pass",
    "request_quota",
    "solve_pow",
    "split_block",
    "split_neuronet",
    "uptime_ppm",
]
