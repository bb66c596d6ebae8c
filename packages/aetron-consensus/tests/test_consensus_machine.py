"""The state machine event by event: every rule, every reason code, and what settlement pays."""

from __future__ import annotations

import pytest
from aetron_consensus import (
    BASE_UNITS_PER_AET,
    INITIAL_SUBSIDY,
    PPM,
    ArbitrationLost,
    BlockProduced,
    CheckPassed,
    ConsensusError,
    ConsensusMachine,
    EpochEnded,
    Event,
    HeartbeatMissed,
    MinerRegistered,
    MinerVetoed,
    NeuronetCreated,
    OwnerShareLowered,
    Params,
    PayoutRole,
    Payouts,
    PulseReported,
    RecheckAssigned,
    RecheckCompleted,
    RecheckSkipped,
    StakeAdded,
    StakeRemoved,
    WorkConfirmed,
    apportion,
    miner_weight,
    next_pow_difficulty,
    solve_pow,
    split_block,
    split_neuronet,
)
from aetron_types import HardwareArch, MinerRegistration, PowSolution

AET = BASE_UNITS_PER_AET
PARAMS = Params(epoch_blocks=4, pow_initial_difficulty=16, pow_min_difficulty=1)
NET, NET2 = b"N" * 32, b"M" * 32
OWNER, STAKER, VALIDATOR = b"O" * 32, b"S" * 32, b"V" * 32
ALICE, BOB, CAROL = b"a" * 32, b"b" * 32, b"c" * 32
RECHECK = b"r" * 32


def block_hash(height: int) -> bytes:
    return height.to_bytes(32, "little")


def register(
    machine: ConsensusMachine,
    miner: bytes,
    neuronet: bytes = NET,
    *,
    fee: int | None = None,
    pow: PowSolution | None = None,
    height: int | None = None,
) -> MinerRegistered:
    if pow is None and fee is None:
        fee = machine.params.registration_fee
    return MinerRegistered(
        MinerRegistration(
            neuronet_id=neuronet,
            miner=miner,
            height=machine.height if height is None else height,
            hardware_arch=HardwareArch.nvidia_hopper,
            fee=fee,
            pow=pow,
            tee=None,
            signature=bytes(64),
        )
    )


def finish_epoch(machine: ConsensusMachine) -> Payouts:
    """Produce the rest of the epoch's blocks and settle it; return the settlement."""
    while machine.height < (machine.epoch + 1) * machine.params.epoch_blocks:
        machine.apply(BlockProduced(machine.height, block_hash(machine.height), VALIDATOR))
    return machine.apply(EpochEnded(machine.epoch))


def serving_neuronet(
    neuronet: bytes = NET, share: int = 500, stake: int = 100 * AET, params: Params = PARAMS
) -> ConsensusMachine:
    """A machine in epoch 1 whose neuronet has active stake (stake counts from the next epoch)."""
    machine = ConsensusMachine(params)
    machine.apply(NeuronetCreated(neuronet, OWNER, share))
    machine.apply(StakeAdded(neuronet, STAKER, stake))
    finish_epoch(machine)
    return machine


def with_miners(machine: ConsensusMachine, *miners: bytes, neuronet: bytes = NET) -> None:
    for miner in miners:
        machine.apply(register(machine, miner, neuronet))
        machine.apply(PulseReported(neuronet, miner, PPM))


def rejects(machine: ConsensusMachine, event: Event, code: str) -> None:
    """``event`` is rejected with ``code`` and the state is exactly as before."""
    before = machine.to_bytes()
    with pytest.raises(ConsensusError) as caught:
        machine.apply(event)
    assert caught.value.code == code
    assert machine.to_bytes() == before


def paid(payouts: Payouts, role: PayoutRole, account: bytes | None = None) -> int:
    return sum(p.amount for p in payouts if p.role == role and p.account in (account, None))


# Chain progress and issuance.


def test_every_block_pays_its_validator_and_treasury_and_pools_the_rest() -> None:
    machine = ConsensusMachine(PARAMS)
    payouts = machine.apply(BlockProduced(0, block_hash(0), VALIDATOR))
    split = split_block(INITIAL_SUBSIDY)
    assert paid(payouts, PayoutRole.VALIDATOR, VALIDATOR) == split.validators
    assert paid(payouts, PayoutRole.TREASURY) == split.treasury
    assert machine.epoch_pool == split.neuronets and machine.height == 1


def test_a_pool_nobody_earned_goes_to_the_treasury() -> None:
    machine = ConsensusMachine(PARAMS)
    machine.apply(NeuronetCreated(NET, OWNER, 500))
    settlement = finish_epoch(machine)
    assert list(settlement) == [(PayoutRole.TREASURY, None, None, 4 * 135_000_000)]
    assert settlement.settlements() == ()


def test_blocks_and_epochs_come_in_order() -> None:
    machine = ConsensusMachine(PARAMS)
    rejects(machine, BlockProduced(1, block_hash(1), VALIDATOR), "CONSENSUS.WRONG_HEIGHT")
    rejects(machine, EpochEnded(0), "CONSENSUS.EPOCH_NOT_COMPLETE")
    for height in range(4):
        if height:
            rejects(
                machine,
                BlockProduced(height, block_hash(0), VALIDATOR),
                "CONSENSUS.DUPLICATE_BLOCK_HASH",
            )
        machine.apply(BlockProduced(height, block_hash(height), VALIDATOR))
    rejects(machine, BlockProduced(4, block_hash(4), VALIDATOR), "CONSENSUS.EPOCH_NOT_ENDED")
    rejects(machine, EpochEnded(1), "CONSENSUS.WRONG_EPOCH")
    machine.apply(EpochEnded(0))
    assert machine.epoch == 1
    machine.apply(BlockProduced(4, block_hash(4), VALIDATOR))


def test_genesis_must_start_an_epoch() -> None:
    with pytest.raises(ConsensusError) as caught:
        ConsensusMachine(PARAMS, height=6)
    assert caught.value.code == "CONSENSUS.WRONG_HEIGHT"
    machine = ConsensusMachine(PARAMS, height=8)
    assert (machine.height, machine.epoch) == (8, 2)


def test_invalid_params_are_rejected() -> None:
    for bad in (
        {"epoch_blocks": 0},
        {"reputation_initial_ppm": PPM + 1},
        {"pow_min_difficulty": 2**25},
        {"pow_window_blocks": 2**16 + 1},
        {"registration_fee": 0},
        {"heartbeats_per_epoch": -1},
    ):
        with pytest.raises(ConsensusError) as caught:
            Params(**bad)
        assert caught.value.code == "CONSENSUS.INVALID_PARAMS"


# Neuronets, owners and stake.


def test_owner_share_is_set_at_creation_and_can_only_be_lowered() -> None:
    with pytest.raises(ConsensusError) as caught:
        NeuronetCreated(NET, OWNER, 1_001)
    assert caught.value.code == "CONSENSUS.OWNER_SHARE_TOO_HIGH"
    machine = ConsensusMachine(PARAMS)
    machine.apply(NeuronetCreated(NET, OWNER, 700))
    rejects(machine, NeuronetCreated(NET, OWNER, 0), "CONSENSUS.NEURONET_EXISTS")
    rejects(machine, OwnerShareLowered(NET, STAKER, 100), "CONSENSUS.NOT_OWNER")
    rejects(machine, OwnerShareLowered(NET, OWNER, 700), "CONSENSUS.OWNER_SHARE_NOT_LOWERED")
    rejects(machine, OwnerShareLowered(NET, OWNER, 800), "CONSENSUS.OWNER_SHARE_NOT_LOWERED")
    rejects(machine, OwnerShareLowered(NET2, OWNER, 100), "CONSENSUS.UNKNOWN_NEURONET")
    machine.apply(OwnerShareLowered(NET, OWNER, 0))
    assert machine.neuronet(NET).owner_share_bp == 0


def test_the_lowered_owner_share_is_what_settlement_pays() -> None:
    machine = serving_neuronet(share=1_000)
    with_miners(machine, ALICE)
    machine.apply(WorkConfirmed(NET, ALICE, 10))
    machine.apply(OwnerShareLowered(NET, OWNER, 250))
    settlement = finish_epoch(machine)
    (record,) = settlement.neuronets
    assert record.owner_amount == split_neuronet(record.emission, 250).owner


def test_stake_counts_from_the_next_epoch_and_without_it_nothing_is_served() -> None:
    machine = ConsensusMachine(PARAMS)
    machine.apply(NeuronetCreated(NET, OWNER, 0))
    machine.apply(StakeAdded(NET, STAKER, 10 * AET))
    view = machine.neuronet(NET)
    assert (view.active_stake, view.pending_stake, view.request_quota, view.miner_slots) == (
        0,
        10 * AET,
        0,
        0,
    )
    rejects(machine, register(machine, ALICE), "CONSENSUS.NO_FREE_SLOT")
    finish_epoch(machine)
    view = machine.neuronet(NET)
    assert view.active_stake == 10 * AET and view.miner_slots == 1
    assert view.request_quota == 10 * AET // PARAMS.stake_per_request
    machine.apply(register(machine, ALICE))
    rejects(machine, register(machine, BOB), "CONSENSUS.NO_FREE_SLOT")


def test_stake_removal_takes_pending_first_and_cannot_overdraw() -> None:
    machine = serving_neuronet(stake=5 * AET)
    machine.apply(StakeAdded(NET, STAKER, 2 * AET))
    assert machine.stake(NET, STAKER) == (5 * AET, 2 * AET)
    machine.apply(StakeRemoved(NET, STAKER, 3 * AET))
    assert machine.stake(NET, STAKER) == (4 * AET, 0)
    rejects(machine, StakeRemoved(NET, STAKER, 4 * AET + 1), "CONSENSUS.INSUFFICIENT_STAKE")
    rejects(machine, StakeRemoved(NET, OWNER, 1), "CONSENSUS.INSUFFICIENT_STAKE")
    rejects(machine, StakeRemoved(NET, STAKER, 0), "CONSENSUS.ZERO_AMOUNT")
    rejects(machine, StakeAdded(NET, STAKER, 0), "CONSENSUS.ZERO_AMOUNT")
    rejects(machine, StakeAdded(NET, STAKER, 33_000_000 * AET), "CONSENSUS.STAKE_OVERFLOW")
    machine.apply(StakeRemoved(NET, STAKER, 4 * AET))
    assert machine.stake(NET, STAKER) == (0, 0)


def test_stakers_are_paid_by_active_stake_only() -> None:
    machine = serving_neuronet(stake=30 * AET)
    machine.apply(StakeAdded(NET, OWNER, 10 * AET))
    finish_epoch(machine)
    machine.apply(StakeAdded(NET, CAROL, 70 * AET))  # pending: earns nothing this epoch
    with_miners(machine, ALICE)
    machine.apply(WorkConfirmed(NET, ALICE, 5))
    first = finish_epoch(machine)
    (record,) = first.neuronets
    assert [staker for staker, _ in record.stakers] == [STAKER, OWNER]
    stakers_pool = split_neuronet(record.emission, 500).stakers
    shares, _ = apportion(stakers_pool, [30 * AET, 10 * AET])
    assert [amount for _, amount in record.stakers] == shares
    machine.apply(WorkConfirmed(NET, ALICE, 5))
    (record,) = finish_epoch(machine).neuronets
    assert {staker for staker, _ in record.stakers} == {STAKER, OWNER, CAROL}


def test_emission_between_neuronets_follows_confirmed_work_never_stake() -> None:
    machine = ConsensusMachine(PARAMS)
    machine.apply(NeuronetCreated(NET, OWNER, 500))
    machine.apply(NeuronetCreated(NET2, OWNER, 500))
    machine.apply(StakeAdded(NET, STAKER, 1_000 * AET))
    machine.apply(StakeAdded(NET2, STAKER, 10 * AET))
    finish_epoch(machine)
    with_miners(machine, ALICE, neuronet=NET)
    with_miners(machine, BOB, neuronet=NET2)
    machine.apply(WorkConfirmed(NET, ALICE, 300))
    machine.apply(WorkConfirmed(NET2, BOB, 100))
    pool = machine.epoch_pool + 4 * split_block(INITIAL_SUBSIDY).neuronets
    settlement = finish_epoch(machine)
    emissions = {n.neuronet: n.emission for n in settlement.neuronets}
    shares, _ = apportion(pool, [300, 100])
    assert sorted(emissions.items()) == sorted(zip([NET, NET2], shares, strict=True))
    assert emissions[NET] == 3 * emissions[NET2]


def test_a_staked_neuronet_without_traffic_earns_nothing() -> None:
    machine = serving_neuronet(stake=1_000 * AET)
    settlement = finish_epoch(machine)
    assert settlement.neuronets == [] and settlement.total() == settlement.treasury


# Miners: registration, veto, quota.


def test_fee_registration_must_pay_exactly_the_fee() -> None:
    machine = serving_neuronet()
    rejects(
        machine, register(machine, ALICE, fee=PARAMS.registration_fee - 1), "CONSENSUS.WRONG_FEE"
    )
    rejects(
        machine, register(machine, ALICE, fee=PARAMS.registration_fee + 1), "CONSENSUS.WRONG_FEE"
    )
    rejects(machine, register(machine, ALICE, height=machine.height - 1), "CONSENSUS.WRONG_HEIGHT")
    rejects(machine, register(machine, ALICE, NET2), "CONSENSUS.UNKNOWN_NEURONET")
    machine.apply(register(machine, ALICE))
    rejects(machine, register(machine, ALICE), "CONSENSUS.MINER_EXISTS")
    view = machine.miner(NET, ALICE)
    assert view.reputation_ppm == PARAMS.reputation_initial_ppm and view.pulse_ppm == 0


def test_proof_of_work_is_bound_to_neuronet_miner_and_a_recent_block() -> None:
    machine = serving_neuronet()
    difficulty = machine.neuronet(NET).pow_difficulty
    recent = block_hash(machine.height - 1)
    nonce = solve_pow(NET, ALICE, recent, difficulty)
    # The same nonce for another miner, or for another block, is (almost surely) no solution.
    bob_nonce_ok = solve_pow(NET, BOB, recent, difficulty) == nonce
    if not bob_nonce_ok:
        rejects(
            machine,
            register(machine, BOB, pow=PowSolution(challenge=recent, nonce=nonce)),
            "CONSENSUS.POW_INSUFFICIENT",
        )
    never_produced = b"\xff" * 32
    rejects(
        machine,
        register(machine, ALICE, pow=PowSolution(challenge=never_produced, nonce=nonce)),
        "CONSENSUS.POW_STALE_BLOCK",
    )
    machine.apply(register(machine, ALICE, pow=PowSolution(challenge=recent, nonce=nonce)))
    assert machine.neuronet(NET).miners == 1


def test_a_solution_expires_when_its_block_leaves_the_window() -> None:
    params = Params(
        epoch_blocks=8, pow_window_blocks=2, pow_initial_difficulty=4, pow_min_difficulty=1
    )
    machine = serving_neuronet(params=params)
    challenge = block_hash(machine.height - 1)
    nonce = solve_pow(NET, ALICE, challenge, machine.neuronet(NET).pow_difficulty)
    machine.apply(BlockProduced(machine.height, block_hash(machine.height), VALIDATOR))
    machine.apply(BlockProduced(machine.height, block_hash(machine.height), VALIDATOR))
    rejects(
        machine,
        register(machine, ALICE, pow=PowSolution(challenge=challenge, nonce=nonce)),
        "CONSENSUS.POW_STALE_BLOCK",
    )


def test_difficulty_follows_the_registration_rate() -> None:
    params = Params(
        epoch_blocks=4,
        pow_initial_difficulty=64,
        pow_min_difficulty=4,
        pow_max_difficulty=2**20,
        pow_target_registrations=2,
    )
    machine = serving_neuronet(params=params)
    assert machine.neuronet(NET).pow_difficulty == 32  # nobody registered in epoch 0: halved
    for miner in (ALICE, BOB, CAROL):
        difficulty = machine.neuronet(NET).pow_difficulty
        recent = block_hash(machine.height - 1)
        nonce = solve_pow(NET, miner, recent, difficulty)
        machine.apply(register(machine, miner, pow=PowSolution(challenge=recent, nonce=nonce)))
    finish_epoch(machine)
    assert machine.neuronet(NET).pow_difficulty == next_pow_difficulty(32, 3, params) == 40


def test_next_pow_difficulty_is_bounded() -> None:
    params = Params(
        pow_min_difficulty=10,
        pow_initial_difficulty=100,
        pow_max_difficulty=1_000,
        pow_target_registrations=4,
        pow_max_step=4,
    )
    assert next_pow_difficulty(100, 4, params) == 100
    assert next_pow_difficulty(100, 0, params) == 50
    assert next_pow_difficulty(100, 12, params) == 200
    assert next_pow_difficulty(100, 10**9, params) == 400  # at most pow_max_step up
    assert next_pow_difficulty(800, 10**9, params) == 1_000  # and never above the maximum
    assert next_pow_difficulty(12, 0, params) == 10  # nor below the minimum


def test_the_owner_vetoes_any_miner_for_good() -> None:
    machine = serving_neuronet()
    with_miners(machine, ALICE, BOB)
    rejects(machine, MinerVetoed(NET, ALICE, STAKER), "CONSENSUS.NOT_OWNER")
    rejects(machine, MinerVetoed(NET, CAROL, OWNER), "CONSENSUS.UNKNOWN_MINER")
    machine.apply(WorkConfirmed(NET, ALICE, 10))
    machine.apply(WorkConfirmed(NET, BOB, 10))
    machine.apply(MinerVetoed(NET, ALICE, OWNER))
    rejects(machine, register(machine, ALICE), "CONSENSUS.MINER_VETOED")
    rejects(machine, WorkConfirmed(NET, ALICE, 1), "CONSENSUS.UNKNOWN_MINER")
    (record,) = finish_epoch(machine).neuronets
    # The vetoed miner's work still counts for the neuronet; its pay goes to the others.
    assert record.miners == [BOB]
    assert record.miner_amounts == [split_neuronet(record.emission, 500).miners]


def test_confirmed_work_is_bounded_by_the_stake_quota() -> None:
    machine = serving_neuronet(stake=AET * 10)  # quota 1,000 requests
    with_miners(machine, ALICE)
    rejects(machine, WorkConfirmed(NET, ALICE, 0), "CONSENSUS.ZERO_AMOUNT")
    rejects(machine, WorkConfirmed(NET, ALICE, 1_001), "CONSENSUS.QUOTA_EXCEEDED")
    machine.apply(WorkConfirmed(NET, ALICE, 600))
    rejects(machine, WorkConfirmed(NET, ALICE, 401), "CONSENSUS.QUOTA_EXCEEDED")
    machine.apply(StakeRemoved(NET, STAKER, 5 * AET))  # quota falls to 500, below what was done
    rejects(machine, WorkConfirmed(NET, ALICE, 1), "CONSENSUS.QUOTA_EXCEEDED")
    rejects(machine, WorkConfirmed(NET, CAROL, 1), "CONSENSUS.UNKNOWN_MINER")


# Scoring.


def test_skipping_a_recheck_or_losing_an_arbitration_earns_nothing_that_epoch() -> None:
    for failure in ("skip", "arbitration"):
        machine = serving_neuronet()
        with_miners(machine, ALICE, BOB)
        for _ in range(100):
            machine.apply(CheckPassed(NET, ALICE))
        reputation = machine.miner(NET, ALICE).reputation_ppm
        machine.apply(WorkConfirmed(NET, ALICE, 90))
        machine.apply(WorkConfirmed(NET, BOB, 10))
        if failure == "skip":
            machine.apply(RecheckAssigned(NET, ALICE, RECHECK))
            machine.apply(RecheckSkipped(NET, ALICE, RECHECK))
        else:
            machine.apply(ArbitrationLost(NET, ALICE))
        view = machine.miner(NET, ALICE)
        assert view.failed
        assert view.reputation_ppm == max(PARAMS.reputation_initial_ppm, reputation // 2)
        (record,) = finish_epoch(machine).neuronets
        assert record.excluded == [ALICE] and record.miners == [BOB]
        # The next epoch is a fresh start for pay, not for reputation.
        machine.apply(WorkConfirmed(NET, ALICE, 10))
        (record,) = finish_epoch(machine).neuronets
        assert record.miners == [ALICE]


def test_reputation_starts_reduced_and_grows_by_clean_passes_only() -> None:
    machine = serving_neuronet()
    with_miners(machine, ALICE)
    assert machine.miner(NET, ALICE).reputation_ppm == PARAMS.reputation_initial_ppm
    for passes in range(1, 901):
        machine.apply(CheckPassed(NET, ALICE))
        expected = min(PPM, PARAMS.reputation_initial_ppm + passes * PARAMS.reputation_gain_ppm)
        assert machine.miner(NET, ALICE).reputation_ppm == expected
    assert machine.miner(NET, ALICE).reputation_ppm == PPM
    machine.apply(CheckPassed(NET, ALICE))
    assert machine.miner(NET, ALICE).reputation_ppm == PPM
    # Epochs alone grow nothing: there is no grace period and no time-based growth.
    machine = serving_neuronet()
    with_miners(machine, BOB)
    for _ in range(3):
        finish_epoch(machine)
    assert machine.miner(NET, BOB).reputation_ppm == PARAMS.reputation_initial_ppm


def test_a_fresh_key_never_starts_above_a_failed_one() -> None:
    machine = serving_neuronet()
    with_miners(machine, ALICE)
    for _ in range(10):
        machine.apply(ArbitrationLost(NET, ALICE))
    assert machine.miner(NET, ALICE).reputation_ppm == PARAMS.reputation_initial_ppm


def test_rechecks_must_be_open_to_close() -> None:
    machine = serving_neuronet()
    with_miners(machine, ALICE)
    rejects(machine, RecheckCompleted(NET, ALICE, RECHECK), "CONSENSUS.UNKNOWN_RECHECK")
    rejects(machine, RecheckSkipped(NET, ALICE, RECHECK), "CONSENSUS.UNKNOWN_RECHECK")
    machine.apply(RecheckAssigned(NET, ALICE, RECHECK))
    rejects(machine, RecheckAssigned(NET, ALICE, RECHECK), "CONSENSUS.RECHECK_EXISTS")
    machine.apply(RecheckCompleted(NET, ALICE, RECHECK))
    rejects(machine, RecheckCompleted(NET, ALICE, RECHECK), "CONSENSUS.UNKNOWN_RECHECK")
    signals = machine.score_signals(NET, ALICE)
    assert (signals.rechecks_assigned, signals.rechecks_completed) == (1, 1)


def test_an_open_recheck_weighs_only_once_an_epoch_has_ended() -> None:
    machine = serving_neuronet()
    with_miners(machine, ALICE, BOB)
    machine.apply(RecheckAssigned(NET, ALICE, RECHECK))  # late in the epoch: not counted yet
    for miner in (ALICE, BOB):
        machine.apply(WorkConfirmed(NET, miner, 10))
    assert machine.score_signals(NET, ALICE).rechecks_assigned == 0
    (record,) = finish_epoch(machine).neuronets
    assert record.miner_amounts[0] == record.miner_amounts[1]
    # Still open a whole epoch later, it counts against the three completed since.
    for index in range(3):
        machine.apply(RecheckAssigned(NET, ALICE, bytes([index]) * 32))
        machine.apply(RecheckCompleted(NET, ALICE, bytes([index]) * 32))
    signals = machine.score_signals(NET, ALICE)
    assert (signals.rechecks_assigned, signals.rechecks_completed) == (4, 3)
    for miner in (ALICE, BOB):
        machine.apply(WorkConfirmed(NET, miner, 10))
    (record,) = finish_epoch(machine).neuronets
    amounts = dict(zip(record.miners, record.miner_amounts, strict=True))
    assert amounts[ALICE] * 4 // 3 in range(amounts[BOB] - 2, amounts[BOB] + 2)
    machine.apply(RecheckCompleted(NET, ALICE, RECHECK))
    assert machine.miner(NET, ALICE).rechecks_open == 0


def test_heartbeats_cannot_be_missed_more_often_than_owed() -> None:
    params = Params(epoch_blocks=4, heartbeats_per_epoch=2)
    machine = serving_neuronet(params=params)
    with_miners(machine, ALICE)
    machine.apply(HeartbeatMissed(NET, ALICE))
    assert machine.score_signals(NET, ALICE).uptime_ppm == PPM // 2
    machine.apply(HeartbeatMissed(NET, ALICE))
    rejects(machine, HeartbeatMissed(NET, ALICE), "CONSENSUS.HEARTBEATS_EXHAUSTED")
    finish_epoch(machine)
    machine.apply(HeartbeatMissed(NET, ALICE))  # a new epoch owes new heartbeats


def test_pulse_above_the_reference_counts_as_the_reference() -> None:
    machine = serving_neuronet()
    with_miners(machine, ALICE)
    machine.apply(PulseReported(NET, ALICE, 3 * PPM))
    assert machine.miner(NET, ALICE).pulse_ppm == PPM


def test_settlement_pays_miners_by_the_scoring_function() -> None:
    machine = serving_neuronet(stake=1_000 * AET)
    with_miners(machine, ALICE, BOB, CAROL)
    machine.apply(PulseReported(NET, BOB, 600_000))
    for miner, units in ((ALICE, 400), (BOB, 300), (CAROL, 300)):
        machine.apply(WorkConfirmed(NET, miner, units))
    machine.apply(HeartbeatMissed(NET, CAROL))
    for index in range(3):
        machine.apply(RecheckAssigned(NET, BOB, bytes([index]) * 32))
    machine.apply(RecheckCompleted(NET, BOB, bytes(32)))
    for _ in range(50):
        machine.apply(CheckPassed(NET, ALICE))
    weights = {
        miner: miner_weight(
            machine.score_signals(NET, miner), machine.miner(NET, miner).reputation_ppm
        )
        for miner in (ALICE, BOB, CAROL)
    }
    settlement = finish_epoch(machine)
    (record,) = settlement.neuronets
    expected, _ = apportion(split_neuronet(record.emission, 500).miners, list(weights.values()))
    assert dict(zip(record.miners, record.miner_amounts, strict=True)) == dict(
        zip(weights, expected, strict=True)
    )
    (summary,) = settlement.settlements()
    assert summary.emission == record.emission and summary.epoch == 1
    assert [p.miner for p in summary.miner_payouts] == sorted(weights)


def test_unknown_events_are_rejected() -> None:
    machine = ConsensusMachine(PARAMS)
    rejects(machine, "block", "CONSENSUS.UNKNOWN_EVENT")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: NeuronetCreated(b"short", OWNER, 0), "CONSENSUS.BAD_ID"),
        (lambda: StakeAdded(NET, STAKER, -1), "CONSENSUS.OUT_OF_RANGE"),
        (lambda: StakeAdded(NET, STAKER, 2**64), "CONSENSUS.OUT_OF_RANGE"),
        (lambda: WorkConfirmed(NET, ALICE, True), "CONSENSUS.OUT_OF_RANGE"),
        (lambda: PulseReported(NET, ALICE, 2**32), "CONSENSUS.OUT_OF_RANGE"),
        (lambda: BlockProduced(0, "0x00", VALIDATOR), "CONSENSUS.BAD_ID"),  # type: ignore[arg-type]
        (lambda: EpochEnded(-1), "CONSENSUS.OUT_OF_RANGE"),
        (lambda: MinerRegistered("registration"), "CONSENSUS.BAD_REGISTRATION"),  # type: ignore[arg-type]
        (lambda: RecheckAssigned(NET, ALICE, bytearray(32)), "CONSENSUS.BAD_ID"),  # type: ignore[arg-type]
    ],
)
def test_malformed_events_cannot_be_made(make: object, code: str) -> None:
    with pytest.raises(ConsensusError) as caught:
        make()  # type: ignore[operator]
    assert caught.value.code == code
