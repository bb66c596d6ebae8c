"""The events the state machine consumes; each checks its own fields when it is made."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

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


def _registration(value: object) -> None:
    if not isinstance(value, MinerRegistration):
        raise ConsensusError(err.BAD_REGISTRATION, "not a MinerRegistration")


# One rule per field name, whichever event carries it: the table is the whole of the checks.
_FIELD_CHECKS: dict[str, Callable[[object], object]] = {
    "neuronet": lambda v: check_id(v, "neuronet"),
    "owner": lambda v: check_id(v, "owner"),
    "staker": lambda v: check_id(v, "staker"),
    "miner": lambda v: check_id(v, "miner"),
    "recheck": lambda v: check_id(v, "recheck"),
    "producer": lambda v: check_id(v, "producer"),
    "block_hash": lambda v: check_id(v, "block hash"),
    "owner_share_bp": check_owner_share,
    "amount": lambda v: check_uint(v, 64, "amount"),
    "units": lambda v: check_uint(v, 64, "units"),
    "height": lambda v: check_uint(v, 64, "height"),
    "epoch": lambda v: check_uint(v, 64, "epoch"),
    "pulse_ppm": lambda v: check_uint(v, 32, "pulse_ppm"),
    "registration": _registration,
}


@dataclass(frozen=True, slots=True)
class _Checked:
    """Checks each field, in declaration order, by `_FIELD_CHECKS`, when the event is made."""

    def __post_init__(self) -> None:
        for field in fields(self):
            _FIELD_CHECKS[field.name](getattr(self, field.name))


@dataclass(frozen=True, slots=True)
class NeuronetCreated(_Checked):
    """A neuronet came into being with its owner and the owner's share (0 to 1,000 bp)."""

    neuronet: NeuronetId
    owner: AccountId
    owner_share_bp: int


@dataclass(frozen=True, slots=True)
class OwnerShareLowered(_Checked):
    """The owner (``owner`` must be it) lowered its share; it can never be raised."""

    neuronet: NeuronetId
    owner: AccountId
    owner_share_bp: int


@dataclass(frozen=True, slots=True)
class StakeAdded(_Checked):
    """``amount`` base units staked into a neuronet; it counts from the next epoch."""

    neuronet: NeuronetId
    staker: AccountId
    amount: int


@dataclass(frozen=True, slots=True)
class StakeRemoved(_Checked):
    """``amount`` base units unstaked from a neuronet; it stops counting at once."""

    neuronet: NeuronetId
    staker: AccountId
    amount: int


@dataclass(frozen=True, slots=True)
class MinerRegistered(_Checked):
    """A miner joined a neuronet: ``registration`` is its signed registration (fee or work).

    Consensus takes the signature as checked by the node; it checks the payment, the slot, the
    height and the proof of work.
    """

    registration: MinerRegistration


@dataclass(frozen=True, slots=True)
class MinerVetoed(_Checked):
    """The owner (``owner`` must be it) removed a miner; the key may never rejoin the neuronet."""

    neuronet: NeuronetId
    miner: MinerId
    owner: AccountId


@dataclass(frozen=True, slots=True)
class _MinerFact(_Checked):
    neuronet: NeuronetId
    miner: MinerId


@dataclass(frozen=True, slots=True)
class PulseReported(_Checked):
    """A miner's Pulse result, relative to its architecture's reference, in ppm (a u32)."""

    neuronet: NeuronetId
    miner: MinerId
    pulse_ppm: int


@dataclass(frozen=True, slots=True)
class WorkConfirmed(_Checked):
    """``units`` of a miner's work were confirmed (at least 1; counted against the quota)."""

    neuronet: NeuronetId
    miner: MinerId
    units: int


@dataclass(frozen=True, slots=True)
class _RecheckFact(_Checked):
    neuronet: NeuronetId
    miner: MinerId
    recheck: Hash32


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
class BlockProduced(_Checked):
    """Block ``height`` with hash ``block_hash`` was produced by validator ``producer``."""

    height: int
    block_hash: Hash32
    producer: AccountId


@dataclass(frozen=True, slots=True)
class EpochEnded(_Checked):
    """The last block of ``epoch`` is in: settle it."""

    epoch: int


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
