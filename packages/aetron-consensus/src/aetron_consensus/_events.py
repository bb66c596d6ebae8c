"""The events the state machine consumes; each checks its own fields when it is made."""

from __future__ import annotations

from dataclasses import dataclass

from aetron_types import AccountId, Hash32, MinerId, MinerRegistration, NeuronetId

from . import _errors as err
from ._errors import ConsensusError
from ._ints import check_id, check_uint
from ._splits import check_owner_share

__all__ = [
    "ArbitrationLost",
    "BlockProduced",
    "CheckPassed",
    "EpochEnded",
    "Event",
    "HeartbeatMissed",
    "MinerRegistered",
    "MinerVetoed",
    "NeuronetCreated",
    "OwnerShareLowered",
    "PulseReported",
    "RecheckAssigned",
    "RecheckCompleted",
    "RecheckSkipped",
    "StakeAdded",
    "StakeRemoved",
    "WorkConfirmed",
]


@dataclass(frozen=True, slots=True)
class NeuronetCreated:
    """A neuronet came into being with its owner and the owner's share (0 to 1,000 bp)."""

    neuronet: NeuronetId
    owner: AccountId
    owner_share_bp: int

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.owner, "owner")
        check_owner_share(self.owner_share_bp)


@dataclass(frozen=True, slots=True)
class OwnerShareLowered:
    """The owner (``owner`` must be it) lowered its share; it can never be raised."""

    neuronet: NeuronetId
    owner: AccountId
    owner_share_bp: int

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.owner, "owner")
        check_owner_share(self.owner_share_bp)


@dataclass(frozen=True, slots=True)
class StakeAdded:
    """``amount`` base units staked into a neuronet; it counts from the next epoch."""

    neuronet: NeuronetId
    staker: AccountId
    amount: int

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.staker, "staker")
        check_uint(self.amount, 64, "amount")


@dataclass(frozen=True, slots=True)
class StakeRemoved:
    """``amount`` base units unstaked from a neuronet; it stops counting at once."""

    neuronet: NeuronetId
    staker: AccountId
    amount: int

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.staker, "staker")
        check_uint(self.amount, 64, "amount")


@dataclass(frozen=True, slots=True)
class MinerRegistered:
    """A miner joined a neuronet: ``registration`` is its signed registration (fee or work).

    Consensus takes the signature as checked by the node; it checks the payment, the slot, the
    height and the proof of work.
    """

    registration: MinerRegistration

    def __post_init__(self) -> None:
        if not isinstance(self.registration, MinerRegistration):
            raise ConsensusError(err.BAD_REGISTRATION, "not a MinerRegistration")


@dataclass(frozen=True, slots=True)
class MinerVetoed:
    """The owner (``owner`` must be it) removed a miner; the key may never rejoin the neuronet."""

    neuronet: NeuronetId
    miner: MinerId
    owner: AccountId

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.miner, "miner")
        check_id(self.owner, "owner")


@dataclass(frozen=True, slots=True)
class _MinerFact:
    neuronet: NeuronetId
    miner: MinerId

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.miner, "miner")


@dataclass(frozen=True, slots=True)
class PulseReported:
    """A miner's Pulse result, relative to its architecture's reference, in ppm (a u32)."""

    neuronet: NeuronetId
    miner: MinerId
    pulse_ppm: int

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.miner, "miner")
        check_uint(self.pulse_ppm, 32, "pulse_ppm")


@dataclass(frozen=True, slots=True)
class WorkConfirmed:
    """``units`` of a miner's work were confirmed (at least 1; counted against the quota)."""

    neuronet: NeuronetId
    miner: MinerId
    units: int

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.miner, "miner")
        check_uint(self.units, 64, "units")


@dataclass(frozen=True, slots=True)
class _RecheckFact:
    neuronet: NeuronetId
    miner: MinerId
    recheck: Hash32

    def __post_init__(self) -> None:
        check_id(self.neuronet, "neuronet")
        check_id(self.miner, "miner")
        check_id(self.recheck, "recheck")


@dataclass(frozen=True, slots=True)
class RecheckAssigned(_RecheckFact):
    """The network sent a miner a re-check (``recheck`` is its id) to run."""


@dataclass(frozen=True, slots=True)
class RecheckCompleted(_RecheckFact):
    """A miner closed out an open re-check."""


@dataclass(frozen=True, slots=True)
class RecheckSkipped(_RecheckFact):
    """A miner let an open re-check lapse: it earns nothing this epoch and loses reputation."""


@dataclass(frozen=True, slots=True)
class CheckPassed(_MinerFact):
    """A re-check or arbitration found a miner's result correct: a clean pass."""


@dataclass(frozen=True, slots=True)
class ArbitrationLost(_MinerFact):
    """A miner lost an arbitration: it earns nothing this epoch and loses reputation."""


@dataclass(frozen=True, slots=True)
class HeartbeatMissed(_MinerFact):
    """A miner missed one of the epoch's heartbeats."""


@dataclass(frozen=True, slots=True)
class BlockProduced:
    """Block ``height`` with hash ``block_hash`` was produced by validator ``producer``."""

    height: int
    block_hash: Hash32
    producer: AccountId

    def __post_init__(self) -> None:
        check_uint(self.height, 64, "height")
        check_id(self.block_hash, "block hash")
        check_id(self.producer, "producer")


@dataclass(frozen=True, slots=True)
class EpochEnded:
    """The last block of ``epoch`` is in: settle it."""

    epoch: int

    def __post_init__(self) -> None:
        check_uint(self.epoch, 64, "epoch")


Event = (
    NeuronetCreated
    | OwnerShareLowered
    | StakeAdded
    | StakeRemoved
    | MinerRegistered
    | MinerVetoed
    | PulseReported
    | WorkConfirmed
    | RecheckAssigned
    | RecheckCompleted
    | RecheckSkipped
    | CheckPassed
    | ArbitrationLost
    | HeartbeatMissed
    | BlockProduced
    | EpochEnded
)
"""Any event the state machine consumes."""
