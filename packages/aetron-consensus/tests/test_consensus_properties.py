"""Random event sequences: rejections change nothing, every minted unit is paid once, and the
state survives its canonical encoding."""

from __future__ import annotations

import pytest
from aetron_consensus import (
    BASE_UNITS_PER_AET,
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
    PulseReported,
    RecheckAssigned,
    RecheckCompleted,
    RecheckSkipped,
    StakeAdded,
    StakeRemoved,
    WorkConfirmed,
    apportion,
    issued_before,
    miner_weight,
    split_neuronet,
)
from aetron_types import HardwareArch, MinerRegistration, PowSolution
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMS = Params(
    epoch_blocks=3,
    heartbeats_per_epoch=2,
    reputation_gain_ppm=200_000,
    stake_per_request=BASE_UNITS_PER_AET,
    stake_per_miner_slot=BASE_UNITS_PER_AET,
    pow_initial_difficulty=2,
    pow_min_difficulty=1,
    pow_max_difficulty=8,
    pow_target_registrations=1,
    pow_window_blocks=2,
)
NETS = [bytes([n]) * 32 for n in (1, 2, 3)]
KEYS = [bytes([k]) * 32 for k in (10, 11, 12, 13)]
RECHECKS = [bytes([r]) * 32 for r in (20, 21)]
HASHES = [bytes([h]) * 32 for h in range(30, 36)]

nets = st.sampled_from(NETS)
keys = st.sampled_from(KEYS)
rechecks = st.sampled_from(RECHECKS)
stakes = st.integers(min_value=0, max_value=4 * BASE_UNITS_PER_AET)


def block_hash(height: int) -> bytes:
    return (height + 1).to_bytes(32, "big")


def mostly(data: st.DataObject, likely: list[bytes], anything: list[bytes]) -> bytes:
    """One of ``likely`` (existing ids) most of the time, else any id of the universe."""
    if likely and data.draw(st.integers(0, 9)) < 8:
        return data.draw(st.sampled_from(likely))
    return data.draw(st.sampled_from(anything))


def with_two_serving_neuronets(genesis: int) -> ConsensusMachine:
    """A machine one epoch past ``genesis`` with two neuronets whose stake is active."""
    machine = ConsensusMachine(PARAMS, height=genesis)
    for net, owner in zip(NETS[:2], KEYS[:2], strict=True):
        machine.apply(NeuronetCreated(net, owner, 500))
        machine.apply(StakeAdded(net, KEYS[2], 3 * BASE_UNITS_PER_AET))
    for height in range(genesis, genesis + PARAMS.epoch_blocks):
        machine.apply(BlockProduced(height, block_hash(height), KEYS[3]))
    machine.apply(EpochEnded(machine.epoch))
    return machine


def event(data: st.DataObject, machine: ConsensusMachine) -> Event:
    """One event, valid or not, drawn with the machine's position in mind.

    Ids are mostly ones that exist and heights mostly the next one, so that sequences reach
    registered miners and settled epochs, and still hit every rejection now and then.
    """
    draw = data.draw
    net = mostly(data, machine.neuronet_ids(), NETS)
    miners = machine.miner_ids(net) if net in machine.neuronet_ids() else []
    miner = mostly(data, miners, KEYS)
    height = (
        machine.height if draw(st.integers(0, 9)) < 8 else draw(st.integers(0, machine.height + 2))
    )
    end_of_epoch = machine.height == (machine.epoch + 1) * PARAMS.epoch_blocks
    kind = draw(st.integers(0, 17))
    if kind == 0:
        return NeuronetCreated(net, draw(keys), draw(st.integers(0, 1_000)))
    owner = machine.neuronet(net).owner if net in machine.neuronet_ids() else KEYS[0]
    if kind == 1:
        return OwnerShareLowered(net, mostly(data, [owner], KEYS), draw(st.integers(0, 1_000)))
    if kind == 2:
        return StakeAdded(net, draw(keys), draw(stakes))
    if kind == 3:
        return StakeRemoved(net, draw(keys), draw(stakes))
    if kind == 4:
        by_work = draw(st.booleans())
        recent = [block_hash(h) for h in range(max(0, machine.height - 3), machine.height)]
        return MinerRegistered(
            MinerRegistration(
                neuronet_id=net,
                miner=draw(keys),
                height=height,
                hardware_arch=HardwareArch.amd_cdna3,
                fee=None if by_work else draw(st.sampled_from([PARAMS.registration_fee, 1])),
                pow=PowSolution(
                    challenge=mostly(data, recent, HASHES), nonce=draw(st.integers(0, 7))
                )
                if by_work
                else None,
                tee=None,
                signature=bytes(64),
            )
        )
    if kind == 5:
        return MinerVetoed(net, miner, mostly(data, [owner], KEYS))
    if kind == 6:
        return PulseReported(net, miner, draw(st.integers(0, 2 * PPM)))
    if kind == 7:
        return WorkConfirmed(net, miner, draw(st.integers(0, 3)))
    if kind == 8:
        return RecheckAssigned(net, miner, draw(rechecks))
    if kind == 9:
        return RecheckCompleted(net, miner, draw(rechecks))
    if kind == 10:
        return RecheckSkipped(net, miner, draw(rechecks))
    if kind == 11:
        return CheckPassed(net, miner)
    if kind == 12:
        return ArbitrationLost(net, miner)
    if kind == 13:
        return HeartbeatMissed(net, miner)
    if kind <= 16 and not end_of_epoch:
        hash_ = block_hash(height) if draw(st.integers(0, 9)) < 9 else draw(st.sampled_from(HASHES))
        return BlockProduced(height, hash_, draw(keys))
    epoch = (
        machine.epoch if draw(st.integers(0, 9)) < 9 else draw(st.integers(0, machine.epoch + 1))
    )
    return EpochEnded(epoch)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from([0, 3 * 22_000_000]))
def test_random_event_sequences(data: st.DataObject, genesis: int) -> None:
    machine = with_two_serving_neuronets(genesis)
    paid_out = issued_before(machine.height) - issued_before(genesis)
    for _ in range(80):
        before = machine.to_bytes()
        root = machine.state_root()
        try:
            payouts = machine.apply(event(data, machine))
        except ConsensusError as rejection:
            # A rejected event leaves no trace.
            assert rejection.code.startswith("CONSENSUS.")
            assert machine.to_bytes() == before and machine.state_root() == root
            continue
        amounts = [payout.amount for payout in payouts]
        assert all(amount > 0 for amount in amounts)
        assert sum(amounts) == payouts.total()
        paid_out += payouts.total()
        # Every base unit minted so far is either paid or waiting in this epoch's pool.
        assert paid_out + machine.epoch_pool == issued_before(machine.height) - issued_before(
            genesis
        )
        for record in payouts.neuronets:
            assert (
                sum(record.miner_amounts)
                + record.owner_amount
                + sum(a for _, a in record.stakers)
                + record.unallocated
                == record.emission
            )
        assert ConsensusMachine.from_bytes(machine.to_bytes()).to_bytes() == machine.to_bytes()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 500),  # units
            st.integers(0, PPM),  # pulse
            st.integers(0, 2),  # missed heartbeats
            st.integers(0, 3),  # rechecks completed
            st.integers(0, 3),  # rechecks left open
            st.integers(0, 40),  # clean passes
            st.booleans(),  # lost an arbitration
        ),
        min_size=1,
        max_size=4,
    ),
    st.integers(0, 1_000),
)
def test_settlement_is_the_spec_formula(miners: list[tuple[int, ...]], share: int) -> None:
    machine = ConsensusMachine(PARAMS)
    net = NETS[0]
    machine.apply(NeuronetCreated(net, KEYS[0], share))
    machine.apply(StakeAdded(net, KEYS[1], 10_000 * BASE_UNITS_PER_AET))
    for height in range(3):
        machine.apply(BlockProduced(height, HASHES[height], KEYS[0]))
    machine.apply(EpochEnded(0))
    keys = [bytes([40 + i]) * 32 for i in range(len(miners))]
    for key, (units, pulse, missed, completed, still_open, passes, lost) in zip(
        keys, miners, strict=True
    ):
        registration = MinerRegistration(
            neuronet_id=net, miner=key, height=machine.height, hardware_arch=HardwareArch.aarch64,
            fee=PARAMS.registration_fee, pow=None, tee=None, signature=bytes(64),
        )  # fmt: skip
        machine.apply(MinerRegistered(registration))
        machine.apply(PulseReported(net, key, pulse))
        machine.apply(WorkConfirmed(net, key, units))
        for _ in range(missed):
            machine.apply(HeartbeatMissed(net, key))
        for index in range(completed + still_open):
            machine.apply(RecheckAssigned(net, key, bytes([index]) * 32))
        for index in range(completed):
            machine.apply(RecheckCompleted(net, key, bytes([index]) * 32))
        for _ in range(passes):
            machine.apply(CheckPassed(net, key))
        if lost:
            machine.apply(ArbitrationLost(net, key))
    weights = [
        0 if machine.miner(net, key).failed
        else miner_weight(machine.score_signals(net, key), machine.miner(net, key).reputation_ppm)
        for key in keys
    ]  # fmt: skip
    for height in range(3, 6):
        machine.apply(BlockProduced(height, HASHES[height], KEYS[0]))
    pool = machine.epoch_pool
    payouts = machine.apply(EpochEnded(1))
    (record,) = payouts.neuronets
    assert record.emission == pool
    split = split_neuronet(pool, share)
    expected, remainder = apportion(split.miners, weights)
    got = dict(zip(record.miners, record.miner_amounts, strict=True))
    assert [got.get(key, 0) for key in keys] == expected
    assert record.owner_amount == split.owner
    assert record.unallocated == split.treasury + remainder
    assert sorted(record.excluded) == sorted(k for k, m in zip(keys, miners, strict=True) if m[6])
    assert [p.amount for p in payouts if p.role == PayoutRole.TREASURY] == [
        record.unallocated
    ] * bool(record.unallocated)


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda b: b[:-1], "truncated"),
        (lambda b: b + b"\x00", "trailing"),
        (lambda b: b"\x02" + b[1:], "version"),
        (lambda b: b[:1] + bytes(8) + b[9:], "params"),
    ],
)
def test_malformed_state_encodings_are_rejected(mutate: object, why: str) -> None:
    machine = ConsensusMachine(PARAMS)
    machine.apply(NeuronetCreated(NETS[0], KEYS[0], 10))
    machine.apply(StakeAdded(NETS[0], KEYS[1], 5))
    with pytest.raises(ConsensusError) as caught:
        ConsensusMachine.from_bytes(mutate(machine.to_bytes()))  # type: ignore[operator]
    assert caught.value.code == "CONSENSUS.MALFORMED_STATE", why


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_edited_encodings_are_rejected_or_canonical(data: st.DataObject) -> None:
    machine = with_two_serving_neuronets(0)
    for event in (
        MinerRegistered(
            MinerRegistration(
                neuronet_id=NETS[0], miner=KEYS[3], height=machine.height,
                hardware_arch=HardwareArch.aarch64, fee=PARAMS.registration_fee, pow=None,
                tee=None, signature=bytes(64),
            )
        ),
        WorkConfirmed(NETS[0], KEYS[3], 2),
        RecheckAssigned(NETS[0], KEYS[3], RECHECKS[0]),
        HeartbeatMissed(NETS[0], KEYS[3]),
        StakeAdded(NETS[1], KEYS[0], 5),
    ):  # fmt: skip
        machine.apply(event)
    encoded = bytearray(machine.to_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(encoded) - 1))
        edit = data.draw(st.sampled_from(["flip", "drop", "insert"]))
        if edit == "flip":
            encoded[at] ^= 1 << data.draw(st.integers(0, 7))
        elif edit == "drop":
            del encoded[at]
        else:
            encoded.insert(at, data.draw(st.integers(0, 255)))
    try:
        decoded = ConsensusMachine.from_bytes(bytes(encoded))
    except ConsensusError as rejection:
        assert rejection.code == "CONSENSUS.MALFORMED_STATE"
    else:
        assert decoded.to_bytes() == bytes(encoded)


def test_garbage_is_not_a_state() -> None:
    for garbage in (b"", b"\x01", "not bytes", None):
        with pytest.raises(ConsensusError) as caught:
            ConsensusMachine.from_bytes(garbage)  # type: ignore[arg-type]
        assert caught.value.code == "CONSENSUS.MALFORMED_STATE"


def test_unsorted_keys_are_not_canonical() -> None:
    machine = ConsensusMachine(PARAMS)
    machine.apply(NeuronetCreated(NETS[0], KEYS[0], 10))
    machine.apply(NeuronetCreated(NETS[1], KEYS[0], 10))
    encoded = machine.to_bytes()
    first, second = encoded.index(NETS[0]), encoded.index(NETS[1])
    size = second - first
    swapped = (
        encoded[:first]
        + encoded[second : second + size]
        + encoded[first:second]
        + encoded[second + size :]
    )
    with pytest.raises(ConsensusError) as caught:
        ConsensusMachine.from_bytes(swapped)
    assert caught.value.code == "CONSENSUS.MALFORMED_STATE"
