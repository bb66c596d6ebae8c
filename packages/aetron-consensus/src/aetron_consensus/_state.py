"""The consensus state: plain records the machine mutates, and their one canonical encoding."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from enum import IntEnum
from typing import NamedTuple

import blake3
from aetron_types import MAX_OWNER_SHARE_BP, PPM, EpochSettlement, MinerPayout

from . import _errors as err
from ._errors import ConsensusError
from ._ints import ID_SIZE
from ._issuance import MAX_SUPPLY
from ._params import Params

__all__ = [
    "STATE_ENCODING_VERSION",
    "STATE_ROOT_DOMAIN",
    "NeuronetPayouts",
    "Payout",
    "PayoutRole",
    "Payouts",
]

STATE_ENCODING_VERSION = 1
"""First byte of the canonical state encoding."""

STATE_ROOT_DOMAIN = b"AETRON/consensus/state/v1"
"""Prefix hashed before the canonical state encoding to give the state root."""


class PayoutRole(IntEnum):
    """Why an account is paid; the value is the wire code."""

    TREASURY = 0
    VALIDATOR = 1
    OWNER = 2
    STAKER = 3
    MINER = 4


class Payout(NamedTuple):
    """Base units credited to one account by one event.

    ``neuronet`` is the neuronet paying (None for the treasury and validators); ``account`` is
    the key credited (None for the treasury).
    """

    role: PayoutRole
    neuronet: bytes | None
    account: bytes | None
    amount: int


class NeuronetPayouts(NamedTuple):
    """How one neuronet's emission for an epoch was paid.

    ``miners`` and ``miner_amounts`` are parallel (a miner may be paid 0); ``excluded`` are the
    miners that failed this epoch; ``unallocated`` is what went to the treasury instead: the
    floors' remainders, and the miner or staker pool when nobody in it earned.
    """

    neuronet: bytes
    emission: int
    owner: bytes
    owner_amount: int
    stakers: list[tuple[bytes, int]]
    miners: list[bytes]
    miner_amounts: list[int]
    excluded: list[bytes]
    unallocated: int


class Payouts:
    """Everything one event credits; iterate it for :class:`Payout` records.

    Settlement keeps miner payouts as parallel lists rather than one record each: at a hundred
    thousand miners the records would cost more than the arithmetic.
    """

    __slots__ = ("epoch", "neuronets", "treasury", "validator")

    def __init__(
        self,
        treasury: int = 0,
        validator: tuple[bytes, int] | None = None,
        neuronets: list[NeuronetPayouts] | None = None,
        epoch: int | None = None,
    ) -> None:
        self.epoch = epoch
        """The epoch settled, for an epoch settlement."""
        self.treasury = treasury
        """Base units to the treasury, every remainder and unearned pool included."""
        self.validator = validator
        """The block producer and its share, for a block."""
        self.neuronets = [] if neuronets is None else neuronets
        """Per neuronet that confirmed work, for an epoch settlement (ascending by id)."""

    def __iter__(self) -> Iterator[Payout]:
        """Every non-zero credit: validator, then per neuronet owner, stakers, miners; treasury."""
        if self.validator is not None and self.validator[1]:
            yield Payout(PayoutRole.VALIDATOR, None, *self.validator)
        for n in self.neuronets:
            if n.owner_amount:
                yield Payout(PayoutRole.OWNER, n.neuronet, n.owner, n.owner_amount)
            for staker, amount in n.stakers:
                yield Payout(PayoutRole.STAKER, n.neuronet, staker, amount)
            for miner, amount in zip(n.miners, n.miner_amounts, strict=True):
                if amount:
                    yield Payout(PayoutRole.MINER, n.neuronet, miner, amount)
        if self.treasury:
            yield Payout(PayoutRole.TREASURY, None, None, self.treasury)

    def total(self) -> int:
        """Base units credited altogether."""
        validator = self.validator[1] if self.validator is not None else 0
        return self.treasury + validator + sum(n.emission - n.unallocated for n in self.neuronets)

    def settlements(self) -> tuple[EpochSettlement, ...]:
        """Each neuronet's share of an epoch settlement as the protocol object that records it."""
        if self.epoch is None:
            return ()
        return tuple(
            EpochSettlement(
                neuronet_id=n.neuronet,
                epoch=self.epoch,
                emission=n.emission,
                owner_amount=n.owner_amount,
                staker_amount=sum(amount for _, amount in n.stakers),
                unallocated=n.unallocated,
                miner_payouts=tuple(
                    MinerPayout(miner=miner, amount=amount)
                    for miner, amount in sorted(zip(n.miners, n.miner_amounts, strict=True))
                    if amount
                ),
                excluded_miners=tuple(sorted(n.excluded)),
            )
            for n in self.neuronets
        )

    def __repr__(self) -> str:
        return f"Payouts({list(self)!r})"


class MinerState:
    """A miner in one neuronet: its standing, kept across epochs, and its counters for an epoch.

    ``open_rechecks`` maps each open re-check to the epoch it was assigned in. The counters
    belong to epoch ``epoch``; for any other epoch they read as zero. Starting an epoch therefore
    touches no miner: settlement only reads, and the next event for a miner resets its counters
    (``counters_for``). ``fresh`` counts the open re-checks assigned in the counters' epoch.
    """

    __slots__ = (
        "completed",
        "epoch",
        "failed",
        "fresh",
        "missed",
        "open_rechecks",
        "pulse",
        "reputation",
        "units",
    )

    def __init__(self, reputation: int, epoch: int) -> None:
        self.reputation = reputation
        self.pulse = 0
        self.open_rechecks: dict[bytes, int] = {}
        self.epoch = epoch
        self.units = 0
        self.missed = 0
        self.completed = 0
        self.fresh = 0
        self.failed = False

    def counters_for(self, epoch: int) -> MinerState:
        """This miner, its counters reset first if they belong to an earlier epoch."""
        if self.epoch != epoch:
            self.epoch = epoch
            self.units = self.missed = self.completed = self.fresh = 0
            self.failed = False
        return self

    def counters(self, epoch: int) -> tuple[int, int, int, bool]:
        """``(units, missed, completed, failed)`` as of ``epoch``, without changing anything."""
        if self.epoch != epoch:
            return 0, 0, 0, False
        return self.units, self.missed, self.completed, self.failed

    def rechecks_assigned(self, epoch: int) -> int:
        """Re-checks that count as assigned in ``epoch``: completed in it, or open from before it.

        A re-check assigned in ``epoch`` and still open does not count yet: it has until the end
        of the next epoch before it weighs on the miner's score.
        """
        if self.epoch != epoch:
            return len(self.open_rechecks)
        return self.completed + len(self.open_rechecks) - self.fresh


class StakeState:
    """One staker's stake in one neuronet: active counts now, pending from the next epoch."""

    __slots__ = ("active", "pending")

    def __init__(self, active: int = 0, pending: int = 0) -> None:
        self.active = active
        self.pending = pending


class NeuronetState:
    """One neuronet: its owner, stake, miners and this epoch's confirmed work."""

    __slots__ = (
        "active_stake",
        "miners",
        "owner",
        "owner_share_bp",
        "pending_stake",
        "pow_difficulty",
        "pow_registrations",
        "stakes",
        "units",
        "vetoed",
    )

    def __init__(self, owner: bytes, owner_share_bp: int, pow_difficulty: int) -> None:
        self.owner = owner
        self.owner_share_bp = owner_share_bp
        self.pow_difficulty = pow_difficulty
        self.pow_registrations = 0
        self.units = 0
        self.active_stake = 0
        self.pending_stake = 0
        self.stakes: dict[bytes, StakeState] = {}
        self.miners: dict[bytes, MinerState] = {}
        self.vetoed: set[bytes] = set()


class State:
    """Everything the consensus rules remember."""

    __slots__ = ("epoch", "epoch_pool", "height", "neuronets", "params", "recent")

    def __init__(self, params: Params, height: int) -> None:
        self.params = params
        self.height = height
        self.epoch = height // params.epoch_blocks
        self.epoch_pool = 0
        # Hash -> height of the last ``pow_window_blocks`` blocks, oldest first.
        self.recent: dict[bytes, int] = {}
        self.neuronets: dict[bytes, NeuronetState] = {}


_PARAM_NAMES = tuple(field.name for field in fields(Params))


def encode_state(state: State) -> bytes:
    """The canonical encoding: little-endian integers, every collection in ascending key order."""
    out = bytearray([STATE_ENCODING_VERSION])
    for name in _PARAM_NAMES:
        out += _u64(getattr(state.params, name))
    out += _u64(state.height) + _u64(state.epoch) + _u64(state.epoch_pool)
    recent = sorted(state.recent.items(), key=lambda item: item[1])
    out += _u32(len(recent))
    for block_hash, height in recent:
        out += _u64(height) + block_hash
    out += _u32(len(state.neuronets))
    for neuronet_id in sorted(state.neuronets):
        _encode_neuronet(out, neuronet_id, state.neuronets[neuronet_id], state.epoch)
    return bytes(out)


def _encode_neuronet(out: bytearray, neuronet_id: bytes, n: NeuronetState, epoch: int) -> None:
    out += neuronet_id + n.owner + n.owner_share_bp.to_bytes(2, "little")
    out += _u64(n.pow_difficulty) + _u64(n.pow_registrations) + _u64(n.units)
    out += _u32(len(n.stakes))
    for staker in sorted(n.stakes):
        stake = n.stakes[staker]
        out += staker + _u64(stake.active) + _u64(stake.pending)
    out += _u32(len(n.miners))
    for key in sorted(n.miners):
        miner = n.miners[key]
        units, missed, completed, failed = miner.counters(epoch)
        out += key + _u32(miner.reputation) + _u32(miner.pulse)
        out += _u64(units) + _u32(missed) + _u64(completed)
        out.append(failed)
        out += _u32(len(miner.open_rechecks))
        for recheck in sorted(miner.open_rechecks):
            out += recheck + _u64(miner.open_rechecks[recheck])
    out += _u32(len(n.vetoed))
    for key in sorted(n.vetoed):
        out += key


def state_root(state: State) -> bytes:
    """BLAKE3-256 of ``STATE_ROOT_DOMAIN`` followed by the canonical encoding."""
    return blake3.blake3(STATE_ROOT_DOMAIN + encode_state(state)).digest()


def decode_state(data: bytes) -> State:
    """The state ``data`` encodes; anything but a canonical encoding raises ``MALFORMED_STATE``."""
    _require(type(data) is bytes, "a state encoding is bytes")
    reader = _Reader(data)
    if reader.uint(1) != STATE_ENCODING_VERSION:
        raise ConsensusError(err.MALFORMED_STATE, "unknown encoding version")
    try:
        params = Params(**{name: reader.uint(8) for name in _PARAM_NAMES})
    except ConsensusError as exc:
        raise ConsensusError(err.MALFORMED_STATE, exc.message) from exc
    height, epoch = reader.uint(8), reader.uint(8)
    state = State(params, 0)
    state.height, state.epoch, state.epoch_pool = height, epoch, reader.uint(8)
    _require(
        epoch * params.epoch_blocks <= height <= (epoch + 1) * params.epoch_blocks,
        "height outside its epoch",
    )
    _require(state.epoch_pool <= MAX_SUPPLY, "epoch pool above the supply")
    count = reader.uint(4)
    _require(count <= min(height, params.pow_window_blocks), "too many recent blocks")
    for offset in range(count):
        block_height = reader.uint(8)
        _require(block_height == height - count + offset, "recent blocks not the last ones")
        block_hash = reader.key()
        _require(block_hash not in state.recent, "repeated recent block hash")
        state.recent[block_hash] = block_height
    for neuronet_id in reader.entries():
        state.neuronets[neuronet_id] = _decode_neuronet(reader, params, epoch)
    _require(reader.done(), "trailing bytes")
    return state


def _decode_neuronet(reader: _Reader, params: Params, epoch: int) -> NeuronetState:
    owner, share = reader.key(), reader.uint(2)
    _require(share <= MAX_OWNER_SHARE_BP, "owner share too high")
    difficulty = reader.uint(8)
    _require(
        params.pow_min_difficulty <= difficulty <= params.pow_max_difficulty,
        "difficulty outside its bounds",
    )
    n = NeuronetState(owner, share, difficulty)
    n.pow_registrations, n.units = reader.uint(8), reader.uint(8)
    for staker in reader.entries():
        stake = StakeState(reader.uint(8), reader.uint(8))
        _require(stake.active + stake.pending > 0, "empty stake entry")
        n.stakes[staker] = stake
        n.active_stake += stake.active
        n.pending_stake += stake.pending
    _require(n.active_stake + n.pending_stake <= MAX_SUPPLY, "stake above the supply")
    for key in reader.entries():
        miner = MinerState(reader.uint(4), epoch)
        miner.pulse = reader.uint(4)
        _require(miner.reputation <= PPM and miner.pulse <= PPM, "reputation or pulse above one")
        miner.units, miner.missed, miner.completed = reader.uint(8), reader.uint(4), reader.uint(8)
        failed = reader.uint(1)
        _require(failed <= 1, "failed flag not 0 or 1")
        _require(miner.missed <= params.heartbeats_per_epoch, "more heartbeats missed than owed")
        miner.failed = failed == 1
        for recheck in reader.entries():
            assigned = reader.uint(8)
            _require(assigned <= epoch, "re-check assigned in a later epoch")
            miner.open_rechecks[recheck] = assigned
            miner.fresh += assigned == epoch
        n.miners[key] = miner
    n.vetoed.update(reader.entries())
    _require(not n.vetoed & n.miners.keys(), "a vetoed key is registered")
    return n


def _u64(value: int) -> bytes:
    return value.to_bytes(8, "little")


def _u32(value: int) -> bytes:
    return value.to_bytes(4, "little")


def _require(condition: bool, why: str) -> None:
    if not condition:
        raise ConsensusError(err.MALFORMED_STATE, why)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def take(self, size: int) -> bytes:
        end = self._at + size
        _require(end <= len(self._data), "truncated")
        chunk = self._data[self._at : end]
        self._at = end
        return chunk

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "little")

    def key(self) -> bytes:
        return self.take(ID_SIZE)

    def entries(self) -> Iterator[bytes]:
        """A u32 count, then that many entries, each led by a key; keys strictly ascending.

        The caller reads each entry's fields before asking for the next key.
        """
        previous = b""
        for _ in range(self.uint(4)):
            key = self.key()
            _require(previous < key, "keys not ascending")
            previous = key
            yield key

    def done(self) -> bool:
        return self._at == len(self._data)
