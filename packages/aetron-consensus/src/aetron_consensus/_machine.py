"""The sans-IO consensus state machine: events in, payouts out, a state root after each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from aetron_types import PPM, ScoreSignals

from . import _errors as err
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
from ._ints import check_id, check_uint
from ._issuance import MAX_SUPPLY, block_subsidy
from ._params import Params
from ._registration import pow_meets, pow_seal
from ._scoring import (
    miner_slots,
    reputation_after_failure,
    reputation_after_pass,
    request_quota,
    uptime_ppm,
)
from ._settlement import settle_epoch
from ._splits import split_block
from ._state import (
    MinerState,
    NeuronetState,
    Payouts,
    StakeState,
    State,
    decode_state,
    encode_state,
    state_root,
)

__all__ = ["ConsensusMachine", "MinerView", "NeuronetView"]

_LAST_HEIGHT = (1 << 64) - 2  # the next height, 2**64 - 1, must still fit the state's u64


class NeuronetView(NamedTuple):
    """A read-only snapshot of one neuronet."""

    owner: bytes
    owner_share_bp: int
    active_stake: int
    pending_stake: int
    request_quota: int
    confirmed_work: int
    miner_slots: int
    miners: int
    pow_difficulty: int


class MinerView(NamedTuple):
    """A read-only snapshot of one miner in one neuronet, this epoch's signals included."""

    reputation_ppm: int
    pulse_ppm: int
    confirmed_work: int
    missed_heartbeats: int
    rechecks_completed: int
    rechecks_open: int
    failed: bool


class ConsensusMachine:
    """The economics of AETRON as a deterministic state machine with no I/O.

    Feed it events with :meth:`apply`; each returns the payouts it causes. An event the rules
    reject raises :class:`ConsensusError` and changes nothing. The state has one canonical
    encoding (:meth:`to_bytes`) and a root hash (:meth:`state_root`).
    """

    __slots__ = ("_handlers", "_state")

    def __init__(self, params: Params | None = None, *, height: int = 0) -> None:
        """Start at ``height``, the first block of an epoch, with no neuronets."""
        params = Params() if params is None else params
        check_uint(height, 64, "height")
        if height % params.epoch_blocks or height > _LAST_HEIGHT:
            raise ConsensusError(err.WRONG_HEIGHT, f"{height} does not start an epoch")
        self._state = State(params, height)
        self._handlers = self._handler_table()

    @classmethod
    def from_bytes(cls, data: bytes) -> ConsensusMachine:
        """The machine whose canonical encoding is ``data``."""
        machine = cls.__new__(cls)
        machine._state = decode_state(data)
        machine._handlers = machine._handler_table()
        return machine

    def to_bytes(self) -> bytes:
        """The canonical encoding of the state (``specs/scoring.md``, State encoding)."""
        return encode_state(self._state)

    def state_root(self) -> bytes:
        """BLAKE3-256 commitment to the whole state."""
        return state_root(self._state)

    @property
    def params(self) -> Params:
        """The governance parameters in force."""
        return self._state.params

    @property
    def height(self) -> int:
        """The height of the next block to be produced."""
        return self._state.height

    @property
    def epoch(self) -> int:
        """The epoch now running (not yet settled)."""
        return self._state.epoch

    @property
    def epoch_pool(self) -> int:
        """Base units minted for neuronets so far this epoch, to be settled at its end."""
        return self._state.epoch_pool

    def neuronet_ids(self) -> list[bytes]:
        """Every neuronet, ascending."""
        return sorted(self._state.neuronets)

    def neuronet(self, neuronet: bytes) -> NeuronetView:
        """A snapshot of ``neuronet``."""
        n = self._neuronet(neuronet)
        params = self._state.params
        return NeuronetView(
            owner=n.owner,
            owner_share_bp=n.owner_share_bp,
            active_stake=n.active_stake,
            pending_stake=n.pending_stake,
            request_quota=request_quota(n.active_stake, params),
            confirmed_work=n.units,
            miner_slots=miner_slots(n.active_stake, params),
            miners=len(n.miners),
            pow_difficulty=n.pow_difficulty,
        )

    def miner_ids(self, neuronet: bytes) -> list[bytes]:
        """The miners registered in ``neuronet``, ascending."""
        return sorted(self._neuronet(neuronet).miners)

    def miner(self, neuronet: bytes, miner: bytes) -> MinerView:
        """A snapshot of ``miner`` in ``neuronet``."""
        _, m = self._miner(neuronet, miner)
        units, missed, completed, failed = m.counters(self._state.epoch)
        return MinerView(
            reputation_ppm=m.reputation,
            pulse_ppm=m.pulse,
            confirmed_work=units,
            missed_heartbeats=missed,
            rechecks_completed=completed,
            rechecks_open=len(m.open_rechecks),
            failed=failed,
        )

    def score_signals(self, neuronet: bytes, miner: bytes) -> ScoreSignals:
        """The four signals ``miner`` has earned in ``neuronet`` so far this epoch.

        ``rechecks_assigned`` counts the re-checks completed this epoch and those still open from
        an earlier epoch.
        """
        _, m = self._miner(neuronet, miner)
        epoch = self._state.epoch
        units, missed, completed, _ = m.counters(epoch)
        assigned = m.rechecks_assigned(epoch)
        return ScoreSignals(
            miner=miner,
            neuronet_id=neuronet,
            epoch=epoch,
            confirmed_work=units,
            pulse_score_ppm=m.pulse,
            uptime_ppm=uptime_ppm(missed, self._state.params.heartbeats_per_epoch),
            rechecks_assigned=assigned,
            rechecks_completed=completed,
        )

    def stake(self, neuronet: bytes, staker: bytes) -> tuple[int, int]:
        """``(active, pending)`` stake of ``staker`` in ``neuronet``."""
        stake = self._neuronet(neuronet).stakes.get(staker)
        return (stake.active, stake.pending) if stake else (0, 0)

    def apply(self, event: Event) -> Payouts:
        """Apply one event; return what it credits (most events credit nothing)."""
        handler = self._handlers.get(type(event))
        if handler is None:
            raise ConsensusError(err.UNKNOWN_EVENT, f"not an event: {type(event).__name__}")
        return handler(event)

    # Every handler checks everything before it changes anything, so a rejection leaves the
    # state as it was.

    def _handler_table(self) -> dict[type, Callable[[Any], Payouts]]:
        return {
            NeuronetCreated: self._neuronet_created,
            OwnerShareLowered: self._owner_share_lowered,
            StakeAdded: self._stake_added,
            StakeRemoved: self._stake_removed,
            MinerRegistered: self._miner_registered,
            MinerVetoed: self._miner_vetoed,
            PulseReported: self._pulse_reported,
            WorkConfirmed: self._work_confirmed,
            RecheckAssigned: self._recheck_assigned,
            RecheckCompleted: self._recheck_completed,
            RecheckSkipped: self._recheck_skipped,
            CheckPassed: self._check_passed,
            ArbitrationLost: self._arbitration_lost,
            HeartbeatMissed: self._heartbeat_missed,
            BlockProduced: self._block_produced,
            EpochEnded: self._epoch_ended,
        }

    def _neuronet(self, neuronet: bytes) -> NeuronetState:
        n = self._state.neuronets.get(neuronet)
        if n is None:
            check_id(neuronet, "neuronet")
            raise ConsensusError(err.UNKNOWN_NEURONET, neuronet.hex())
        return n

    def _miner(self, neuronet: bytes, miner: bytes) -> tuple[NeuronetState, MinerState]:
        n = self._neuronet(neuronet)
        m = n.miners.get(miner)
        if m is None:
            check_id(miner, "miner")
            raise ConsensusError(err.UNKNOWN_MINER, miner.hex())
        return n, m

    def _neuronet_created(self, event: NeuronetCreated) -> Payouts:
        if event.neuronet in self._state.neuronets:
            raise ConsensusError(err.NEURONET_EXISTS, event.neuronet.hex())
        difficulty = self._state.params.pow_initial_difficulty
        self._state.neuronets[event.neuronet] = NeuronetState(
            event.owner, event.owner_share_bp, difficulty
        )
        return Payouts()

    def _owner_share_lowered(self, event: OwnerShareLowered) -> Payouts:
        n = self._neuronet(event.neuronet)
        if event.owner != n.owner:
            raise ConsensusError(err.NOT_OWNER, event.owner.hex())
        if event.owner_share_bp >= n.owner_share_bp:
            raise ConsensusError(
                err.OWNER_SHARE_NOT_LOWERED, f"{event.owner_share_bp} >= {n.owner_share_bp}"
            )
        n.owner_share_bp = event.owner_share_bp
        return Payouts()

    def _stake_added(self, event: StakeAdded) -> Payouts:
        n = self._neuronet(event.neuronet)
        if not event.amount:
            raise ConsensusError(err.ZERO_AMOUNT, "stake added")
        if n.active_stake + n.pending_stake + event.amount > MAX_SUPPLY:
            raise ConsensusError(err.STAKE_OVERFLOW, "more stake than the supply")
        stake = n.stakes.get(event.staker)
        if stake is None:
            stake = n.stakes[event.staker] = StakeState()
        stake.pending += event.amount
        n.pending_stake += event.amount
        return Payouts()

    def _stake_removed(self, event: StakeRemoved) -> Payouts:
        n = self._neuronet(event.neuronet)
        if not event.amount:
            raise ConsensusError(err.ZERO_AMOUNT, "stake removed")
        stake = n.stakes.get(event.staker)
        if stake is None or stake.active + stake.pending < event.amount:
            raise ConsensusError(err.INSUFFICIENT_STAKE, event.staker.hex())
        # Pending stake goes first: it has not counted yet, so taking it back costs nothing.
        from_pending = min(stake.pending, event.amount)
        stake.pending -= from_pending
        stake.active -= event.amount - from_pending
        n.pending_stake -= from_pending
        n.active_stake -= event.amount - from_pending
        if not stake.active and not stake.pending:
            del n.stakes[event.staker]
        return Payouts()

    def _miner_registered(self, event: MinerRegistered) -> Payouts:
        registration = event.registration
        state = self._state
        n = self._neuronet(registration.neuronet_id)
        miner = registration.miner
        if miner in n.vetoed:
            raise ConsensusError(err.MINER_VETOED, miner.hex())
        if miner in n.miners:
            raise ConsensusError(err.MINER_EXISTS, miner.hex())
        if registration.height != state.height:
            raise ConsensusError(err.WRONG_HEIGHT, f"for {registration.height}, at {state.height}")
        if len(n.miners) >= miner_slots(n.active_stake, state.params):
            raise ConsensusError(err.NO_FREE_SLOT, f"{len(n.miners)} miners fill every slot")
        pow = registration.pow
        if pow is None:
            if registration.fee != state.params.registration_fee:
                fee = state.params.registration_fee
                raise ConsensusError(err.WRONG_FEE, f"{registration.fee} != {fee}")
        else:
            if pow.challenge not in state.recent:
                raise ConsensusError(err.POW_STALE_BLOCK, pow.challenge.hex())
            seal = pow_seal(registration.neuronet_id, miner, pow.challenge, pow.nonce)
            if not pow_meets(seal, n.pow_difficulty):
                raise ConsensusError(err.POW_INSUFFICIENT, f"difficulty {n.pow_difficulty}")
            n.pow_registrations += 1
        n.miners[miner] = MinerState(state.params.reputation_initial_ppm, state.epoch)
        return Payouts()

    def _miner_vetoed(self, event: MinerVetoed) -> Payouts:
        n = self._neuronet(event.neuronet)
        if event.owner != n.owner:
            raise ConsensusError(err.NOT_OWNER, event.owner.hex())
        self._miner(event.neuronet, event.miner)
        del n.miners[event.miner]
        n.vetoed.add(event.miner)
        return Payouts()

    def _pulse_reported(self, event: PulseReported) -> Payouts:
        _, m = self._miner(event.neuronet, event.miner)
        # A result above the reference counts as the reference: confirmed work pays for speed.
        m.pulse = min(event.pulse_ppm, PPM)
        return Payouts()

    def _work_confirmed(self, event: WorkConfirmed) -> Payouts:
        n, m = self._miner(event.neuronet, event.miner)
        if not event.units:
            raise ConsensusError(err.ZERO_AMOUNT, "work confirmed")
        quota = request_quota(n.active_stake, self._state.params)
        if n.units + event.units > quota:
            raise ConsensusError(err.QUOTA_EXCEEDED, f"{n.units} + {event.units} > {quota}")
        m.counters_for(self._state.epoch).units += event.units
        n.units += event.units
        return Payouts()

    def _recheck_assigned(self, event: RecheckAssigned) -> Payouts:
        _, m = self._miner(event.neuronet, event.miner)
        if event.recheck in m.open_rechecks:
            raise ConsensusError(err.RECHECK_EXISTS, event.recheck.hex())
        epoch = self._state.epoch
        m.open_rechecks[event.recheck] = epoch
        m.counters_for(epoch).fresh += 1
        return Payouts()

    def _recheck_completed(self, event: RecheckCompleted) -> Payouts:
        _, m = self._miner(event.neuronet, event.miner)
        if event.recheck not in m.open_rechecks:
            raise ConsensusError(err.UNKNOWN_RECHECK, event.recheck.hex())
        self._close(m, event.recheck).completed += 1
        return Payouts()

    def _recheck_skipped(self, event: RecheckSkipped) -> Payouts:
        _, m = self._miner(event.neuronet, event.miner)
        if event.recheck not in m.open_rechecks:
            raise ConsensusError(err.UNKNOWN_RECHECK, event.recheck.hex())
        self._close(m, event.recheck)
        self._fail(m)
        return Payouts()

    def _close(self, m: MinerState, recheck: bytes) -> MinerState:
        epoch = self._state.epoch
        counters = m.counters_for(epoch)
        if m.open_rechecks.pop(recheck) == epoch:
            counters.fresh -= 1
        return counters

    def _check_passed(self, event: CheckPassed) -> Payouts:
        _, m = self._miner(event.neuronet, event.miner)
        m.reputation = reputation_after_pass(m.reputation, self._state.params)
        return Payouts()

    def _arbitration_lost(self, event: ArbitrationLost) -> Payouts:
        _, m = self._miner(event.neuronet, event.miner)
        self._fail(m)
        return Payouts()

    def _fail(self, m: MinerState) -> None:
        m.counters_for(self._state.epoch).failed = True
        m.reputation = reputation_after_failure(m.reputation, self._state.params)

    def _heartbeat_missed(self, event: HeartbeatMissed) -> Payouts:
        _, m = self._miner(event.neuronet, event.miner)
        _, missed, _, _ = m.counters(self._state.epoch)
        if missed >= self._state.params.heartbeats_per_epoch:
            raise ConsensusError(err.HEARTBEATS_EXHAUSTED, "every heartbeat is already missed")
        m.counters_for(self._state.epoch).missed += 1
        return Payouts()

    def _block_produced(self, event: BlockProduced) -> Payouts:
        state = self._state
        if event.height != state.height or event.height > _LAST_HEIGHT:
            raise ConsensusError(err.WRONG_HEIGHT, f"got {event.height}, next is {state.height}")
        if event.height == (state.epoch + 1) * state.params.epoch_blocks:
            raise ConsensusError(err.EPOCH_NOT_ENDED, f"epoch {state.epoch} is not settled")
        if event.block_hash in state.recent:
            raise ConsensusError(err.DUPLICATE_BLOCK_HASH, event.block_hash.hex())
        split = split_block(block_subsidy(event.height))
        state.epoch_pool += split.neuronets
        state.recent[event.block_hash] = event.height
        if len(state.recent) > state.params.pow_window_blocks:
            del state.recent[next(iter(state.recent))]
        state.height += 1
        return Payouts(treasury=split.treasury, validator=(event.producer, split.validators))

    def _epoch_ended(self, event: EpochEnded) -> Payouts:
        state = self._state
        if event.epoch != state.epoch:
            raise ConsensusError(err.WRONG_EPOCH, f"got {event.epoch}, running {state.epoch}")
        if state.height != (state.epoch + 1) * state.params.epoch_blocks:
            raise ConsensusError(err.EPOCH_NOT_COMPLETE, f"next block is {state.height}")
        return settle_epoch(state)
