"""The governance parameters of scoring, stake and registration, and their mainnet values."""

from __future__ import annotations

from dataclasses import dataclass, fields

from aetron_types import PPM

from . import _errors as err
from ._errors import ConsensusError
from ._issuance import BASE_UNITS_PER_AET

__all__ = [
    "EPOCH_BLOCKS",
    "HEARTBEATS_PER_EPOCH",
    "MAX_POW_WINDOW_BLOCKS",
    "POW_INITIAL_DIFFICULTY",
    "POW_MAX_DIFFICULTY",
    "POW_MAX_STEP",
    "POW_MIN_DIFFICULTY",
    "POW_TARGET_REGISTRATIONS",
    "POW_WINDOW_BLOCKS",
    "REGISTRATION_FEE",
    "REPUTATION_FAILURE_KEEP_PPM",
    "REPUTATION_GAIN_PPM",
    "REPUTATION_INITIAL_PPM",
    "STAKE_PER_MINER_SLOT",
    "STAKE_PER_REQUEST",
    "Params",
]

EPOCH_BLOCKS = 360
"""Blocks per epoch (about 69 minutes); scores and neuronet emission settle once per epoch."""

HEARTBEATS_PER_EPOCH = 36
"""Heartbeats each miner owes per epoch; uptime is the fraction not missed."""

REPUTATION_INITIAL_PPM = 100_000
"""Reputation of a newly registered miner (10 %), and the floor that failures cut it down to."""

REPUTATION_GAIN_PPM = 1_000
"""Reputation added by each clean pass of a check of the miner's work, up to ``PPM``."""

REPUTATION_FAILURE_KEEP_PPM = 500_000
"""Fraction of its reputation a miner keeps after a lost arbitration or a skipped re-check."""

STAKE_PER_REQUEST = BASE_UNITS_PER_AET // 100
"""Active stake that buys a neuronet one request (one unit of confirmed work) per epoch."""

STAKE_PER_MINER_SLOT = 10 * BASE_UNITS_PER_AET
"""Active stake that buys a neuronet one miner slot."""

REGISTRATION_FEE = BASE_UNITS_PER_AET // 10
"""Fee that registers a miner without proof of work; the ledger burns it."""

POW_INITIAL_DIFFICULTY = 2**24
"""Registration proof-of-work difficulty (expected hashes) of a new neuronet."""

POW_MIN_DIFFICULTY = 2**16
"""Lowest registration proof-of-work difficulty."""

POW_MAX_DIFFICULTY = 2**48
"""Highest registration proof-of-work difficulty."""

POW_TARGET_REGISTRATIONS = 4
"""Proof-of-work registrations per neuronet per epoch that the difficulty steers toward."""

POW_MAX_STEP = 4
"""Largest factor by which the difficulty may rise or fall in one epoch."""

POW_WINDOW_BLOCKS = 32
"""How recent the block a proof of work is bound to must be: one of the last this many blocks."""

MAX_POW_WINDOW_BLOCKS = 2**16
"""Upper bound on ``pow_window_blocks``, which keeps the block hashes the state holds small."""


@dataclass(frozen=True, slots=True)
class Params:
    """Every governance parameter; the defaults are mainnet's, ``specs/scoring.md`` explains each.

    The parameters are part of the consensus state (and so of its root): nodes that disagree on
    one disagree on the root. Tests and simulations use other values, such as short epochs.
    """

    epoch_blocks: int = EPOCH_BLOCKS
    heartbeats_per_epoch: int = HEARTBEATS_PER_EPOCH
    reputation_initial_ppm: int = REPUTATION_INITIAL_PPM
    reputation_gain_ppm: int = REPUTATION_GAIN_PPM
    reputation_failure_keep_ppm: int = REPUTATION_FAILURE_KEEP_PPM
    stake_per_request: int = STAKE_PER_REQUEST
    stake_per_miner_slot: int = STAKE_PER_MINER_SLOT
    registration_fee: int = REGISTRATION_FEE
    pow_initial_difficulty: int = POW_INITIAL_DIFFICULTY
    pow_min_difficulty: int = POW_MIN_DIFFICULTY
    pow_max_difficulty: int = POW_MAX_DIFFICULTY
    pow_target_registrations: int = POW_TARGET_REGISTRATIONS
    pow_max_step: int = POW_MAX_STEP
    pow_window_blocks: int = POW_WINDOW_BLOCKS

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if type(value) is not int or not 0 <= value < 1 << 64:
                raise ConsensusError(err.INVALID_PARAMS, f"{field.name} must be a u64")
        problems = [
            (self.epoch_blocks >= 1, "epoch_blocks must be at least 1"),
            (1 <= self.heartbeats_per_epoch < 1 << 32, "heartbeats_per_epoch must be a u32 >= 1"),
            (1 <= self.reputation_initial_ppm <= PPM, "reputation_initial_ppm must be 1..PPM"),
            (self.reputation_gain_ppm <= PPM, "reputation_gain_ppm must be at most PPM"),
            (self.reputation_failure_keep_ppm < PPM, "reputation_failure_keep_ppm below PPM"),
            (self.stake_per_request >= 1, "stake_per_request must be at least 1"),
            (self.stake_per_miner_slot >= 1, "stake_per_miner_slot must be at least 1"),
            (self.registration_fee >= 1, "registration_fee must be at least 1"),
            (
                1
                <= self.pow_min_difficulty
                <= self.pow_initial_difficulty
                <= self.pow_max_difficulty,
                "pow difficulties must satisfy 1 <= min <= initial <= max",
            ),
            (self.pow_target_registrations >= 1, "pow_target_registrations must be at least 1"),
            (self.pow_max_step >= 2, "pow_max_step must be at least 2"),
            (
                1 <= self.pow_window_blocks <= MAX_POW_WINDOW_BLOCKS,
                "pow_window_blocks must be 1..65536",
            ),
        ]
        for ok, why in problems:
            if not ok:
                raise ConsensusError(err.INVALID_PARAMS, why)
