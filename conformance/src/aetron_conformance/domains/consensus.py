"""Consensus vectors: issuance, splits, scoring, registration and whole event sequences.

Handlers (u64 values are decimal strings, u16/u32 numbers, ids ``0x`` hex; ``specs/scoring.md``,
JSON forms):

``issuance.block_subsidy`` / ``issuance.issued_before``
    input ``{"height"}``; output ``{"subsidy"}`` / ``{"issued"}``.
``splits.block``
    input ``{"subsidy"}``; output ``{"neuronets", "validators", "treasury"}``.
``splits.neuronet``
    input ``{"amount", "owner_share_bp"}``; output ``{"miners", "owner", "stakers", "treasury"}``.
``splits.apportion``
    input ``{"amount", "weights": [...]}`` (weights are u128 decimal strings); output
    ``{"shares": [...], "remainder"}``.
``scoring.miner_weight``
    input ``{"signals": <ScoreSignals JSON>, "reputation_ppm"}``; output ``{"quality_ppm",
    "weight"}`` (``weight`` a decimal string).
``scoring.reputation``
    input ``{"params", "reputation_ppm", "outcome": "pass" | "failure"}``; output
    ``{"reputation_ppm"}``.
``scoring.stake``
    input ``{"params", "active_stake"}``; output ``{"request_quota", "miner_slots"}``.
``registration.pow``
    input ``{"neuronet", "miner", "block_hash", "nonce", "difficulty"}``; output ``{"seal",
    "meets"}``.
``registration.next_difficulty``
    input ``{"params", "current", "registrations"}``; output ``{"difficulty"}``.
``machine.run``
    input ``{"params", "genesis_height", "events": [...]}``: a fresh machine applies every event.
    Output ``{"payouts": [[...] per event], "height", "epoch", "epoch_pool", "state",
    "state_root"}``, each event's payouts sorted by role, neuronet, account. An invalid case is
    a sequence whose last event, and only that one, is rejected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any

from aetron_consensus import (
    HALVING_INTERVAL,
    PPM,
    ArbitrationLost,
    BlockProduced,
    CheckPassed,
    ConsensusMachine,
    EpochEnded,
    Event,
    HeartbeatMissed,
    MinerRegistered,
    MinerVetoed,
    NeuronetCreated,
    OwnerShareLowered,
    Params,
    Payouts,
    PulseReported,
    RecheckAssigned,
    RecheckCompleted,
    RecheckSkipped,
    StakeAdded,
    StakeRemoved,
    WorkConfirmed,
    apportion,
    block_subsidy,
    issued_before,
    miner_weight,
    next_pow_difficulty,
    pow_meets,
    pow_seal,
    quality_ppm,
    recheck_ppm,
    reputation_after_failure,
    reputation_after_pass,
    solve_pow,
    split_block,
    split_neuronet,
)
from aetron_consensus import miner_slots as slots_for
from aetron_consensus import request_quota as quota_for
from aetron_types import HardwareArch, MinerRegistration, PowSolution, ScoreSignals

from .._vector import Vector

DOMAIN = "consensus"
_GENERATOR = "aetron_conformance.domains.consensus"
_EMISSION = "specs/emission.md"
_SCORING = "specs/scoring.md"
AET = 10**8

# --- JSON forms ----------------------------------------------------------------------------


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def _unhex(value: str) -> bytes:
    return bytes.fromhex(value.removeprefix("0x"))


def _params_json(params: Params) -> dict[str, str]:
    return {field.name: str(getattr(params, field.name)) for field in fields(Params)}


def _params(value: dict[str, str]) -> Params:
    return Params(**{name: int(number) for name, number in value.items()})


# Field kinds of every event: "id" (hex), "u64" (decimal string), "int" (u16/u32 number).
_EVENTS: dict[str, tuple[type[Any], dict[str, str]]] = {
    "neuronet_created": (
        NeuronetCreated,
        {"neuronet": "id", "owner": "id", "owner_share_bp": "int"},
    ),
    "owner_share_lowered": (
        OwnerShareLowered,
        {"neuronet": "id", "owner": "id", "owner_share_bp": "int"},
    ),
    "stake_added": (StakeAdded, {"neuronet": "id", "staker": "id", "amount": "u64"}),
    "stake_removed": (StakeRemoved, {"neuronet": "id", "staker": "id", "amount": "u64"}),
    "miner_registered": (MinerRegistered, {"registration": "registration"}),
    "miner_vetoed": (MinerVetoed, {"neuronet": "id", "miner": "id", "owner": "id"}),
    "pulse_reported": (PulseReported, {"neuronet": "id", "miner": "id", "pulse_ppm": "int"}),
    "work_confirmed": (WorkConfirmed, {"neuronet": "id", "miner": "id", "units": "u64"}),
    "recheck_assigned": (RecheckAssigned, {"neuronet": "id", "miner": "id", "recheck": "id"}),
    "recheck_completed": (RecheckCompleted, {"neuronet": "id", "miner": "id", "recheck": "id"}),
    "recheck_skipped": (RecheckSkipped, {"neuronet": "id", "miner": "id", "recheck": "id"}),
    "check_passed": (CheckPassed, {"neuronet": "id", "miner": "id"}),
    "arbitration_lost": (ArbitrationLost, {"neuronet": "id", "miner": "id"}),
    "heartbeat_missed": (HeartbeatMissed, {"neuronet": "id", "miner": "id"}),
    "block_produced": (BlockProduced, {"height": "u64", "block_hash": "id", "producer": "id"}),
    "epoch_ended": (EpochEnded, {"epoch": "u64"}),
}
_EVENT_NAMES = {cls: name for name, (cls, _) in _EVENTS.items()}


def _event_json(event: Event) -> dict[str, Any]:
    name = _EVENT_NAMES[type(event)]
    out: dict[str, Any] = {"type": name}
    for field, kind in _EVENTS[name][1].items():
        value = getattr(event, field)
        if kind == "id":
            out[field] = _hex(value)
        elif kind == "u64":
            out[field] = str(value)
        elif kind == "registration":
            out[field] = value.to_json()
        else:
            out[field] = value
    return out


def _event(value: dict[str, Any]) -> Event:
    cls, kinds = _EVENTS[value["type"]]
    arguments: dict[str, Any] = {}
    for field, kind in kinds.items():
        raw = value[field]
        if kind == "id":
            arguments[field] = _unhex(raw)
        elif kind == "u64":
            arguments[field] = int(raw)
        elif kind == "registration":
            arguments[field] = MinerRegistration.from_json(raw)
        else:
            arguments[field] = raw
    event: Event = cls(**arguments)
    return event


def _payouts_json(payouts: Payouts) -> list[dict[str, Any]]:
    rows = sorted(payouts, key=lambda p: (p.role, p.neuronet or b"", p.account or b""))
    return [
        {
            "role": p.role.name.lower(),
            "neuronet": None if p.neuronet is None else _hex(p.neuronet),
            "account": None if p.account is None else _hex(p.account),
            "amount": str(p.amount),
        }
        for p in rows
    ]


# --- Handlers ------------------------------------------------------------------------------


def _run(input: dict[str, Any]) -> dict[str, Any]:
    machine = ConsensusMachine(_params(input["params"]), height=int(input["genesis_height"]))
    results = [_payouts_json(machine.apply(_event(event))) for event in input["events"]]
    return {
        "payouts": results,
        "height": str(machine.height),
        "epoch": str(machine.epoch),
        "epoch_pool": str(machine.epoch_pool),
        "state": _hex(machine.to_bytes()),
        "state_root": _hex(machine.state_root()),
    }


def _miner_weight(input: dict[str, Any]) -> dict[str, Any]:
    signals = ScoreSignals.from_json(input["signals"])
    weight = miner_weight(signals, input["reputation_ppm"])
    recheck = recheck_ppm(signals.rechecks_completed, signals.rechecks_assigned)
    quality = quality_ppm(
        signals.pulse_score_ppm, signals.uptime_ppm, recheck, input["reputation_ppm"]
    )
    return {"quality_ppm": quality, "weight": str(weight)}


def _reputation(input: dict[str, Any]) -> dict[str, Any]:
    params = _params(input["params"])
    step = reputation_after_pass if input["outcome"] == "pass" else reputation_after_failure
    return {"reputation_ppm": step(input["reputation_ppm"], params)}


def _stake(input: dict[str, Any]) -> dict[str, Any]:
    params, stake = _params(input["params"]), int(input["active_stake"])
    return {
        "request_quota": str(quota_for(stake, params)),
        "miner_slots": str(slots_for(stake, params)),
    }


def _pow(input: dict[str, Any]) -> dict[str, Any]:
    seal = pow_seal(
        _unhex(input["neuronet"]),
        _unhex(input["miner"]),
        _unhex(input["block_hash"]),
        int(input["nonce"]),
    )
    return {"seal": _hex(seal), "meets": pow_meets(seal, int(input["difficulty"]))}


def _apportion(input: dict[str, Any]) -> dict[str, Any]:
    shares, remainder = apportion(int(input["amount"]), [int(w) for w in input["weights"]])
    return {"shares": [str(share) for share in shares], "remainder": str(remainder)}


def _split_block(input: dict[str, Any]) -> dict[str, Any]:
    split = split_block(int(input["subsidy"]))
    return {name: str(value) for name, value in split._asdict().items()}


def _split_neuronet(input: dict[str, Any]) -> dict[str, Any]:
    split = split_neuronet(int(input["amount"]), input["owner_share_bp"])
    return {name: str(value) for name, value in split._asdict().items()}


HANDLERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "issuance.block_subsidy": lambda i: {"subsidy": str(block_subsidy(int(i["height"])))},
    "issuance.issued_before": lambda i: {"issued": str(issued_before(int(i["height"])))},
    "splits.block": _split_block,
    "splits.neuronet": _split_neuronet,
    "splits.apportion": _apportion,
    "scoring.miner_weight": _miner_weight,
    "scoring.reputation": _reputation,
    "scoring.stake": _stake,
    "registration.pow": _pow,
    "registration.next_difficulty": lambda i: {
        "difficulty": str(
            next_pow_difficulty(int(i["current"]), int(i["registrations"]), _params(i["params"]))
        )
    },
    "machine.run": _run,
}


def handle(handler: str, input: dict[str, Any]) -> Any:
    return HANDLERS[handler](input)


# --- Cases ---------------------------------------------------------------------------------


def _case(
    group: str,
    name: str,
    handler: str,
    description: str,
    input: dict[str, Any],
    spec: str,
    *,
    error: str | None = None,
) -> Vector:
    """A vector whose expectation is computed by running the reference handler on ``input``."""
    try:
        output = handle(handler, input)
    except Exception as exc:
        code = getattr(exc, "code", None)
        if code is None or code != error:
            raise
        return Vector(
            f"{DOMAIN}/{group}/{name}",
            handler,
            description,
            input,
            Vector.invalid(code),
            spec,
            _GENERATOR,
        )
    if error is not None:
        raise AssertionError(f"{group}/{name} was meant to fail with {error}")
    return Vector(
        f"{DOMAIN}/{group}/{name}",
        handler,
        description,
        input,
        Vector.valid(output),
        spec,
        _GENERATOR,
    )


def _issuance() -> Iterator[Vector]:
    spec = f"{_EMISSION}#block_subsidy"
    last_era = 28
    for era in range(last_era + 1):
        first = era * HALVING_INTERVAL
        yield _case(
            "issuance",
            f"subsidy_era_{era:02d}_first_block",
            "issuance.block_subsidy",
            f"The first block of era {era} pays the initial subsidy shifted right {era} times.",
            {"height": str(first)},
            spec,
        )
        if era:
            yield _case(
                "issuance",
                f"subsidy_era_{era - 1:02d}_last_block",
                "issuance.block_subsidy",
                f"The last block of era {era - 1} still pays that era's subsidy.",
                {"height": str(first - 1)},
                spec,
            )
        yield _case(
            "issuance",
            f"issued_before_era_{era:02d}",
            "issuance.issued_before",
            f"Everything issued by the blocks before era {era}, in closed form.",
            {"height": str(first)},
            f"{_EMISSION}#issued_before",
        )
    for name, height in (("mid_era_3", 3 * HALVING_INTERVAL + 1_234_567), ("u64_max", 2**64 - 1)):
        yield _case(
            "issuance",
            f"issued_before_{name}",
            "issuance.issued_before",
            "Issued before a height inside an era, or before the last u64 height (the final supply).",
            {"height": str(height)},
            f"{_EMISSION}#issued_before",
        )
    yield _case(
        "issuance",
        "subsidy_u64_max",
        "issuance.block_subsidy",
        "The last u64 height pays nothing (the shift is far beyond the subsidy's 28 bits).",
        {"height": str(2**64 - 1)},
        spec,
    )
    for handler in ("issuance.block_subsidy", "issuance.issued_before"):
        yield _case(
            "issuance",
            f"invalid_{handler.split('.')[1]}_height_2_64",
            handler,
            "A height of 2**64 is not a u64.",
            {"height": str(2**64)},
            spec,
            error="CONSENSUS.OUT_OF_RANGE",
        )


def _splits() -> Iterator[Vector]:
    for era in (0, 5, 6, 8, 16, 27):
        subsidy = block_subsidy(era * HALVING_INTERVAL)
        yield _case(
            "splits",
            f"block_era_{era:02d}",
            "splits.block",
            f"The subsidy of era {era} split 90/5/5, remainder to the treasury.",
            {"subsidy": str(subsidy)},
            f"{_EMISSION}#split_block",
        )
    for amount, share in (
        (1_000_000_000, 1_000),
        (123_456_789, 333),
        (99, 1),
        (7, 0),
        (10**15 + 1, 999),
    ):
        yield _case(
            "splits",
            f"neuronet_{amount}_{share}bp",
            "splits.neuronet",
            f"{amount} base units split between miners, an owner at {share} bp and stakers.",
            {"amount": str(amount), "owner_share_bp": share},
            f"{_EMISSION}#split_neuronet",
        )
    yield _case(
        "splits",
        "invalid_neuronet_owner_share_1001",
        "splits.neuronet",
        "An owner share above 1,000 bp is refused.",
        {"amount": "100", "owner_share_bp": 1_001},
        f"{_EMISSION}#split_neuronet",
        error="CONSENSUS.OWNER_SHARE_TOO_HIGH",
    )
    cases: list[tuple[str, int, list[int]]] = [
        ("thirds", 10, [1, 1, 1]),
        ("exact", 100, [1, 2, 7]),
        ("large_weights", 3_299_999_890_000_000, [2**127, 3**70, 1, 0]),
        ("all_zero", 12_345, [0, 0]),
        ("single", 1, [5]),
        ("dust", 5, [1] * 7),
    ]
    for name, amount, weights in cases:
        yield _case(
            "splits",
            f"apportion_{name}",
            "splits.apportion",
            "Floored shares by weight; the remainder (all of it when no weight) to the treasury.",
            {"amount": str(amount), "weights": [str(w) for w in weights]},
            f"{_EMISSION}#apportion",
        )
    yield _case(
        "splits",
        "invalid_apportion_no_weights",
        "splits.apportion",
        "Apportioning needs at least one weight.",
        {"amount": "5", "weights": []},
        f"{_EMISSION}#apportion",
        error="CONSENSUS.EMPTY_WEIGHTS",
    )
    yield _case(
        "splits",
        "invalid_apportion_weight_2_128",
        "splits.apportion",
        "A weight of 2**128 is not a u128.",
        {"amount": "5", "weights": [str(2**128)]},
        f"{_EMISSION}#apportion",
        error="CONSENSUS.OUT_OF_RANGE",
    )


def _id(label: str) -> bytes:
    return hashlib.shake_256(f"consensus/{label}".encode()).digest(32)


def _signals(**values: int) -> dict[str, Any]:
    base = {
        "confirmed_work": 1_000,
        "pulse_score_ppm": PPM,
        "uptime_ppm": PPM,
        "rechecks_assigned": 0,
        "rechecks_completed": 0,
    }
    base.update(values)
    return ScoreSignals(miner=_id("miner"), neuronet_id=_id("net"), epoch=7, **base).to_json()


def _scoring() -> Iterator[Vector]:
    spec = f"{_SCORING}#quality_ppm-and-miner_weight"
    cases: list[tuple[str, dict[str, int], int]] = [
        ("full", {}, PPM),
        ("new_miner", {}, 100_000),
        ("pulse_above_reference", {"pulse_score_ppm": 1_700_000}, PPM),
        ("half_pulse", {"pulse_score_ppm": 500_000}, PPM),
        ("missed_heartbeats", {"uptime_ppm": 972_222}, 640_000),
        ("recheck_backlog", {"rechecks_assigned": 3, "rechecks_completed": 2}, PPM),
        (
            "all_signals",
            {
                "confirmed_work": 123_457,
                "pulse_score_ppm": 833_333,
                "uptime_ppm": 944_444,
                "rechecks_assigned": 7,
                "rechecks_completed": 5,
            },
            374_000,
        ),
        ("no_work", {"confirmed_work": 0}, PPM),
        ("failed_pulse", {"pulse_score_ppm": 0}, PPM),
    ]
    for name, values, reputation in cases:
        yield _case(
            "scoring",
            f"weight_{name}",
            "scoring.miner_weight",
            "A miner's weight: confirmed work times the product of its quality signals.",
            {"signals": _signals(**values), "reputation_ppm": reputation},
            spec,
        )
    yield _case(
        "scoring",
        "invalid_weight_reputation_above_one",
        "scoring.miner_weight",
        "A reputation above 1,000,000 ppm is refused.",
        {"signals": _signals(), "reputation_ppm": PPM + 1},
        spec,
        error="CONSENSUS.OUT_OF_RANGE",
    )
    mainnet = _params_json(Params())
    for name, reputation, outcome in (
        ("pass_from_new", 100_000, "pass"),
        ("pass_capped", 999_500, "pass"),
        ("failure_halves", 800_000, "failure"),
        ("failure_floored_at_new", 150_000, "failure"),
    ):
        yield _case(
            "scoring",
            f"reputation_{name}",
            "scoring.reputation",
            "Reputation after a clean pass (a fixed step up) or a failure (cut, floored).",
            {"params": mainnet, "reputation_ppm": reputation, "outcome": outcome},
            f"{_SCORING}#reputation",
        )
    for stake in (0, 999_999, 10 * AET, 1_234 * AET + 5):
        yield _case(
            "scoring",
            f"stake_{stake}",
            "scoring.stake",
            "Requests per epoch and miner slots that a neuronet's active stake buys.",
            {"params": mainnet, "active_stake": str(stake)},
            f"{_SCORING}#stake",
        )


def _registration() -> Iterator[Vector]:
    net, miner, block = _id("net"), _id("miner"), _id("block")
    difficulty = 1_000
    nonce = solve_pow(net, miner, block, difficulty)
    base = {"neuronet": _hex(net), "miner": _hex(miner), "block_hash": _hex(block)}
    for name, values in (
        ("solution", {"nonce": str(nonce), "difficulty": str(difficulty)}),
        (
            "same_nonce_other_miner",
            {"miner": _hex(_id("other")), "nonce": str(nonce), "difficulty": str(difficulty)},
        ),
        (
            "same_nonce_other_block",
            {"block_hash": _hex(_id("later")), "nonce": str(nonce), "difficulty": str(difficulty)},
        ),
        ("difficulty_one", {"nonce": "0", "difficulty": "1"}),
    ):
        yield _case(
            "registration",
            f"pow_{name}",
            "registration.pow",
            "The BLAKE3 proof-of-work seal and whether it meets the difficulty.",
            {**base, **values},
            f"{_SCORING}#pow_seal-and-pow_meets",
        )
    params = _params_json(Params())
    for name, current, registrations in (
        ("on_target", 2**24, 4),
        ("nobody", 2**24, 0),
        ("triple_target", 2**24, 12),
        ("flood_capped_at_step", 2**24, 10_000),
        ("floor", 2**16 + 1, 0),
        ("ceiling", 2**48 - 5, 100),
    ):
        yield _case(
            "registration",
            f"next_difficulty_{name}",
            "registration.next_difficulty",
            "The next epoch's difficulty from this epoch's proof-of-work registrations.",
            {"params": params, "current": str(current), "registrations": str(registrations)},
            f"{_SCORING}#next_pow_difficulty",
        )


# --- Event sequences -----------------------------------------------------------------------

_TEST_PARAMS = Params(
    epoch_blocks=4,
    heartbeats_per_epoch=4,
    pow_initial_difficulty=64,
    pow_min_difficulty=1,
    pow_window_blocks=3,
)
_NET, _NET2 = _id("neuronet/1"), _id("neuronet/2")
_OWNER, _OWNER2, _STAKER, _STAKER2 = (
    _id("owner/1"),
    _id("owner/2"),
    _id("staker/1"),
    _id("staker/2"),
)
_VALIDATOR = _id("validator")
_MINERS = [_id(f"miner/{index}") for index in range(6)]


def _block_hash(height: int) -> bytes:
    return _id(f"block/{height}")


class _Script:
    """Builds an event sequence against a live machine, so each event can depend on the state."""

    def __init__(self, params: Params = _TEST_PARAMS, genesis: int = 0) -> None:
        self.params = params
        self.genesis = genesis
        self.machine = ConsensusMachine(params, height=genesis)
        self.events: list[Event] = []

    def add(self, *events: Event) -> _Script:
        for event in events:
            self.machine.apply(event)
            self.events.append(event)
        return self

    def blocks(self, count: int) -> _Script:
        for _ in range(count):
            height = self.machine.height
            self.add(BlockProduced(height, _block_hash(height), _VALIDATOR))
        return self

    def end_epoch(self) -> _Script:
        epoch_end = (self.machine.epoch + 1) * self.params.epoch_blocks
        self.blocks(epoch_end - self.machine.height)
        return self.add(EpochEnded(self.machine.epoch))

    def register(
        self, miner: bytes, net: bytes = _NET, *, by_work: bool = False, posed_on: int | None = None
    ) -> MinerRegistered:
        """A registration for the block being built, by fee or by work on block ``posed_on``."""
        pow = None
        if by_work:
            height = self.machine.height - 1 if posed_on is None else posed_on
            challenge = _block_hash(height)
            difficulty = self.machine.neuronet(net).pow_difficulty
            pow = PowSolution(
                challenge=challenge, nonce=solve_pow(net, miner, challenge, difficulty)
            )
        return MinerRegistered(
            MinerRegistration(
                neuronet_id=net,
                miner=miner,
                height=self.machine.height,
                hardware_arch=HardwareArch.nvidia_hopper,
                fee=None if by_work else self.params.registration_fee,
                pow=pow,
                tee=None,
                signature=bytes(64),
            )
        )

    def serving(self, net: bytes = _NET, owner: bytes = _OWNER, share: int = 500) -> _Script:
        """Create a staked neuronet and end the epoch, so its stake is active."""
        self.add(NeuronetCreated(net, owner, share), StakeAdded(net, _STAKER, 100 * AET))
        return self.end_epoch()

    def miners(self, *keys: bytes, net: bytes = _NET, pulse: int = PPM) -> _Script:
        for key in keys:
            self.add(self.register(key, net), PulseReported(net, key, pulse))
        return self

    def input(self, extra: Event | None = None) -> dict[str, Any]:
        events = self.events + ([extra] if extra is not None else [])
        return {
            "params": _params_json(self.params),
            "genesis_height": str(self.genesis),
            "events": [_event_json(event) for event in events],
        }


def _sequence(
    group: str,
    name: str,
    description: str,
    script: _Script,
    spec: str,
    rejected: Event | None = None,
    error: str | None = None,
) -> Vector:
    return _case(group, name, "machine.run", description, script.input(rejected), spec, error=error)


def _owner_share() -> Iterator[Vector]:
    spec = f"{_SCORING}#the-state-machine"
    created = _Script().add(NeuronetCreated(_NET, _OWNER, 1_000))
    yield _sequence(
        "owner_share",
        "create_at_maximum",
        "An owner share of exactly 10 % is allowed.",
        created,
        spec,
    )
    lowered = _Script().add(
        NeuronetCreated(_NET, _OWNER, 1_000),
        OwnerShareLowered(_NET, _OWNER, 400),
        OwnerShareLowered(_NET, _OWNER, 0),
    )
    yield _sequence(
        "owner_share", "lowered_twice", "The owner lowers its share, then to zero.", lowered, spec
    )
    base = _Script().add(NeuronetCreated(_NET, _OWNER, 400))
    for name, event, error, description in (
        (
            "invalid_raised",
            OwnerShareLowered(_NET, _OWNER, 401),
            "CONSENSUS.OWNER_SHARE_NOT_LOWERED",
            "The owner share can never be raised.",
        ),
        (
            "invalid_unchanged",
            OwnerShareLowered(_NET, _OWNER, 400),
            "CONSENSUS.OWNER_SHARE_NOT_LOWERED",
            "Setting the same share is not lowering it.",
        ),
        (
            "invalid_not_owner",
            OwnerShareLowered(_NET, _STAKER, 100),
            "CONSENSUS.NOT_OWNER",
            "Only the owner changes the owner share.",
        ),
        (
            "invalid_unknown_neuronet",
            OwnerShareLowered(_NET2, _OWNER, 100),
            "CONSENSUS.UNKNOWN_NEURONET",
            "The neuronet must exist.",
        ),
    ):
        yield _sequence("owner_share", name, description, base, spec, event, error)
    too_high = _Script().input()
    too_high["events"] = [
        {
            "type": "neuronet_created",
            "neuronet": _hex(_NET),
            "owner": _hex(_OWNER),
            "owner_share_bp": 1_001,
        }
    ]
    yield _case(
        "owner_share",
        "invalid_create_above_maximum",
        "machine.run",
        "A neuronet cannot be created with an owner share above 10 %.",
        too_high,
        spec,
        error="CONSENSUS.OWNER_SHARE_TOO_HIGH",
    )
    settled = _Script().serving(share=1_000).miners(_MINERS[0])
    settled.add(
        WorkConfirmed(_NET, _MINERS[0], 10), OwnerShareLowered(_NET, _OWNER, 250)
    ).end_epoch()
    yield _sequence(
        "owner_share",
        "settled_at_lowered_share",
        "A share lowered during an epoch is the one the epoch is settled with.",
        settled,
        spec,
    )


def _machine() -> Iterator[Vector]:
    spec = f"{_SCORING}#the-state-machine"
    fresh = _Script()
    yield _sequence(
        "machine",
        "blocks_mint",
        "Each block pays its validator and treasury and pools the rest.",
        _Script().blocks(3),
        f"{_EMISSION}#minting",
    )
    serving = _Script().serving().miners(_MINERS[0])
    pow_script = _Script().serving()
    pow_script.add(pow_script.register(_MINERS[1], by_work=True))
    yield _sequence(
        "machine",
        "register_by_work",
        "A miner registers with a proof of work on a recent block.",
        pow_script,
        f"{_SCORING}#registration",
    )
    stale = _Script().serving()
    posed_on = stale.machine.height - 1
    stale.blocks(3)  # the window holds three blocks: posed_on has left it
    stale_event = stale.register(_MINERS[1], by_work=True, posed_on=posed_on)
    veto = _Script().serving().miners(_MINERS[0]).add(MinerVetoed(_NET, _MINERS[0], _OWNER))
    insufficient = _Script().serving()
    good = insufficient.register(_MINERS[1], by_work=True).registration
    assert good.pow is not None
    bad_nonce = next(
        nonce
        for nonce in range(2**16)
        if not pow_meets(
            pow_seal(_NET, _MINERS[1], good.pow.challenge, nonce),
            insufficient.machine.neuronet(_NET).pow_difficulty,
        )
    )
    weak = MinerRegistered(
        MinerRegistration(
            **{
                **good.model_dump(),
                "pow": PowSolution(challenge=good.pow.challenge, nonce=bad_nonce),
            }
        )
    )
    full = (
        _Script()
        .add(NeuronetCreated(_NET, _OWNER, 0), StakeAdded(_NET, _STAKER, 10 * AET))
        .end_epoch()
        .miners(_MINERS[0])
    )
    # 10 AET buy 1,000 requests; after 600 are served, unstaking half leaves a quota of 500.
    quota = _Script().add(NeuronetCreated(_NET, _OWNER, 0), StakeAdded(_NET, _STAKER, 10 * AET))
    quota.end_epoch().miners(_MINERS[0])
    quota.add(WorkConfirmed(_NET, _MINERS[0], 600), StakeRemoved(_NET, _STAKER, 5 * AET))
    rechecks = (
        _Script()
        .serving()
        .miners(_MINERS[0])
        .add(RecheckAssigned(_NET, _MINERS[0], _id("recheck/0")))
    )
    heartbeats = _Script().serving().miners(_MINERS[0])
    heartbeats.add(*[HeartbeatMissed(_NET, _MINERS[0])] * 4)
    ended = _Script().blocks(4)
    pending = _Script().add(NeuronetCreated(_NET, _OWNER, 0), StakeAdded(_NET, _STAKER, 100 * AET))
    invalid: list[tuple[str, _Script, Event, str, str]] = [
        (
            "invalid_block_skips_height",
            fresh,
            BlockProduced(1, _block_hash(1), _VALIDATOR),
            "CONSENSUS.WRONG_HEIGHT",
            "Blocks come one height at a time.",
        ),
        (
            "invalid_block_before_epoch_end",
            ended,
            BlockProduced(4, _block_hash(4), _VALIDATOR),
            "CONSENSUS.EPOCH_NOT_ENDED",
            "The next epoch's first block waits for the epoch to end.",
        ),
        (
            "invalid_block_hash_repeated",
            _Script().blocks(1),
            BlockProduced(1, _block_hash(0), _VALIDATOR),
            "CONSENSUS.DUPLICATE_BLOCK_HASH",
            "A block hash cannot repeat a recent one.",
        ),
        (
            "invalid_epoch_not_complete",
            _Script().blocks(3),
            EpochEnded(0),
            "CONSENSUS.EPOCH_NOT_COMPLETE",
            "An epoch ends only after its last block.",
        ),
        (
            "invalid_wrong_epoch",
            ended,
            EpochEnded(1),
            "CONSENSUS.WRONG_EPOCH",
            "Only the running epoch can end.",
        ),
        (
            "invalid_neuronet_exists",
            _Script().add(NeuronetCreated(_NET, _OWNER, 0)),
            NeuronetCreated(_NET, _OWNER2, 0),
            "CONSENSUS.NEURONET_EXISTS",
            "A neuronet id is created once.",
        ),
        (
            "invalid_stake_zero",
            serving,
            StakeAdded(_NET, _STAKER, 0),
            "CONSENSUS.ZERO_AMOUNT",
            "Stake must be positive.",
        ),
        (
            "invalid_stake_overflow",
            serving,
            StakeAdded(_NET, _STAKER, 33_000_000 * AET),
            "CONSENSUS.STAKE_OVERFLOW",
            "A neuronet cannot hold more stake than the supply.",
        ),
        (
            "invalid_unstake_too_much",
            serving,
            StakeRemoved(_NET, _STAKER, 100 * AET + 1),
            "CONSENSUS.INSUFFICIENT_STAKE",
            "A staker cannot remove more than it staked.",
        ),
        (
            "invalid_register_twice",
            serving,
            serving.register(_MINERS[0]),
            "CONSENSUS.MINER_EXISTS",
            "A miner registers in a neuronet once.",
        ),
        (
            "invalid_register_vetoed",
            veto,
            veto.register(_MINERS[0]),
            "CONSENSUS.MINER_VETOED",
            "A vetoed key can never rejoin.",
        ),
        (
            "invalid_register_no_slot",
            full,
            full.register(_MINERS[1]),
            "CONSENSUS.NO_FREE_SLOT",
            "Ten AET of stake buys one miner slot.",
        ),
        (
            "invalid_register_without_stake",
            pending,
            pending.register(_MINERS[0]),
            "CONSENSUS.NO_FREE_SLOT",
            "Pending stake buys no slot until the epoch ends.",
        ),
        (
            "invalid_register_wrong_fee",
            serving,
            MinerRegistered(
                MinerRegistration(
                    **{**serving.register(_MINERS[1]).registration.model_dump(), "fee": 1}
                )
            ),
            "CONSENSUS.WRONG_FEE",
            "The fee is exactly the registration fee.",
        ),
        (
            "invalid_register_wrong_height",
            serving,
            MinerRegistered(
                MinerRegistration(
                    **{**serving.register(_MINERS[1]).registration.model_dump(), "height": 0}
                )
            ),
            "CONSENSUS.WRONG_HEIGHT",
            "A registration is for the block being built.",
        ),
        (
            "invalid_pow_stale_block",
            stale,
            stale_event,
            "CONSENSUS.POW_STALE_BLOCK",
            "A proof of work on a block that left the window is refused.",
        ),
        (
            "invalid_pow_insufficient",
            insufficient,
            weak,
            "CONSENSUS.POW_INSUFFICIENT",
            "A seal that misses the difficulty is refused.",
        ),
        (
            "invalid_veto_not_owner",
            serving,
            MinerVetoed(_NET, _MINERS[0], _STAKER),
            "CONSENSUS.NOT_OWNER",
            "Only the owner vetoes.",
        ),
        (
            "invalid_unknown_miner",
            serving,
            WorkConfirmed(_NET, _MINERS[5], 1),
            "CONSENSUS.UNKNOWN_MINER",
            "Work is confirmed for registered miners only.",
        ),
        (
            "invalid_work_zero",
            serving,
            WorkConfirmed(_NET, _MINERS[0], 0),
            "CONSENSUS.ZERO_AMOUNT",
            "Confirmed work is at least one unit.",
        ),
        (
            "invalid_quota_exceeded",
            quota,
            WorkConfirmed(_NET, _MINERS[0], 1),
            "CONSENSUS.QUOTA_EXCEEDED",
            "Work beyond the stake quota (here lowered by an unstake) is refused.",
        ),
        (
            "invalid_recheck_twice",
            rechecks,
            RecheckAssigned(_NET, _MINERS[0], _id("recheck/0")),
            "CONSENSUS.RECHECK_EXISTS",
            "A re-check is open once.",
        ),
        (
            "invalid_recheck_unknown",
            rechecks,
            RecheckCompleted(_NET, _MINERS[0], _id("recheck/1")),
            "CONSENSUS.UNKNOWN_RECHECK",
            "Only an open re-check can be completed.",
        ),
        (
            "invalid_heartbeats_exhausted",
            heartbeats,
            HeartbeatMissed(_NET, _MINERS[0]),
            "CONSENSUS.HEARTBEATS_EXHAUSTED",
            "No more heartbeats can be missed than an epoch has.",
        ),
    ]
    for name, script, event, error, description in invalid:
        yield _sequence("machine", name, description, script, spec, event, error)


def _settlement() -> Iterator[Vector]:
    spec = f"{_EMISSION}#epoch-settlement"
    yield _sequence(
        "settlement",
        "nobody_worked",
        "With no confirmed work the neuronets' pool goes to the treasury.",
        _Script()
        .add(NeuronetCreated(_NET, _OWNER, 500), StakeAdded(_NET, _STAKER, 100 * AET))
        .end_epoch(),
        spec,
    )

    # Two neuronets: emission by work alone, whatever their stake.
    two = (
        _Script()
        .add(
            NeuronetCreated(_NET, _OWNER, 500),
            StakeAdded(_NET, _STAKER, 1_000 * AET),
            NeuronetCreated(_NET2, _OWNER2, 0),
            StakeAdded(_NET2, _STAKER, 20 * AET),
            StakeAdded(_NET2, _STAKER2, 30 * AET),
        )
        .end_epoch()
    )
    two.miners(_MINERS[0], _MINERS[1]).miners(_MINERS[2], net=_NET2)
    two.add(
        WorkConfirmed(_NET, _MINERS[0], 700),
        WorkConfirmed(_NET, _MINERS[1], 300),
        WorkConfirmed(_NET2, _MINERS[2], 1_000),
    )
    two.add(StakeAdded(_NET2, _OWNER2, 500 * AET)).end_epoch()
    yield _sequence(
        "settlement",
        "two_neuronets_by_work",
        "Two neuronets with equal work earn equally whatever their stake; pending stake earns nothing.",
        two,
        spec,
    )

    # Every signal and every failure in one neuronet.
    mixed = _Script().serving(share=750).miners(*_MINERS[:5])
    m = _MINERS
    mixed.add(
        PulseReported(_NET, m[1], 640_000),
        PulseReported(_NET, m[2], 1_300_000),
        *[CheckPassed(_NET, m[0])] * 25,
        WorkConfirmed(_NET, m[0], 1_111),
        WorkConfirmed(_NET, m[1], 2_222),
        WorkConfirmed(_NET, m[2], 333),
        WorkConfirmed(_NET, m[3], 444),
        WorkConfirmed(_NET, m[4], 555),
        HeartbeatMissed(_NET, m[1]),
        HeartbeatMissed(_NET, m[2]),
        HeartbeatMissed(_NET, m[2]),
        RecheckAssigned(_NET, m[0], _id("recheck/a")),
        RecheckAssigned(_NET, m[0], _id("recheck/b")),
        RecheckAssigned(_NET, m[0], _id("recheck/c")),
        RecheckCompleted(_NET, m[0], _id("recheck/a")),
        RecheckAssigned(_NET, m[3], _id("recheck/d")),
        RecheckSkipped(_NET, m[3], _id("recheck/d")),
        ArbitrationLost(_NET, m[4]),
    ).end_epoch()
    yield _sequence(
        "settlement",
        "every_signal",
        "Work, Pulse, uptime, re-check backlog and reputation weight the miners; a skipped re-check and a lost arbitration earn nothing.",
        mixed,
        spec,
    )

    vetoed = _Script().serving().miners(_MINERS[0], _MINERS[1])
    vetoed.add(
        WorkConfirmed(_NET, _MINERS[0], 50),
        WorkConfirmed(_NET, _MINERS[1], 50),
        MinerVetoed(_NET, _MINERS[1], _OWNER),
    ).end_epoch()
    yield _sequence(
        "settlement",
        "vetoed_miner",
        "A vetoed miner's work still counts for its neuronet, its pay goes to the other miners.",
        vetoed,
        spec,
    )

    all_failed = _Script().serving().miners(_MINERS[0])
    all_failed.add(
        WorkConfirmed(_NET, _MINERS[0], 50), ArbitrationLost(_NET, _MINERS[0])
    ).end_epoch()
    yield _sequence(
        "settlement",
        "no_miner_earned",
        "When no miner earns, the miners' share goes to the treasury; owner and stakers are paid.",
        all_failed,
        spec,
    )

    # Era 6 onwards the subsidy no longer divides by 20: remainders at every level.
    era6 = (
        _Script(genesis=6 * HALVING_INTERVAL)
        .add(
            NeuronetCreated(_NET, _OWNER, 333),
            StakeAdded(_NET, _STAKER, 7 * AET),
            StakeAdded(_NET, _STAKER2, 13 * AET + 1),
            NeuronetCreated(_NET2, _OWNER2, 1),
            StakeAdded(_NET2, _STAKER, 10 * AET),
        )
        .end_epoch()
    )
    era6.miners(_MINERS[0], _MINERS[1]).miners(_MINERS[2], net=_NET2)
    era6.add(
        WorkConfirmed(_NET, _MINERS[0], 7),
        WorkConfirmed(_NET, _MINERS[1], 11),
        WorkConfirmed(_NET2, _MINERS[2], 13),
    ).end_epoch()
    yield _sequence(
        "settlement",
        "era_6_remainders",
        "In era 6 the block and epoch splits leave remainders, all paid to the treasury.",
        era6,
        spec,
    )

    across = _Script(genesis=HALVING_INTERVAL - 4).serving().miners(_MINERS[0])
    across.add(WorkConfirmed(_NET, _MINERS[0], 9)).end_epoch()
    yield _sequence(
        "settlement",
        "across_the_first_halving",
        "An epoch that starts at the first halving mints the halved subsidy.",
        across,
        spec,
    )

    restaked = _Script().serving().miners(_MINERS[0])
    restaked.add(WorkConfirmed(_NET, _MINERS[0], 20)).end_epoch()
    restaked.add(
        StakeAdded(_NET, _MINERS[0], 5 * AET), WorkConfirmed(_NET, _MINERS[0], 20)
    ).end_epoch()
    restaked.add(
        WorkConfirmed(_NET, _MINERS[0], 20), StakeRemoved(_NET, _STAKER, 50 * AET)
    ).end_epoch()
    yield _sequence(
        "settlement",
        "restake_and_unstake",
        "A miner restakes into its neuronet (active next epoch) and a staker leaves mid-epoch.",
        restaked,
        spec,
    )

    ended_twice = _Script().serving().miners(_MINERS[0])
    ended_twice.add(WorkConfirmed(_NET, _MINERS[0], 10)).end_epoch()
    yield _sequence(
        "settlement",
        "invalid_epoch_settled_twice",
        "A settled epoch cannot be settled again.",
        ended_twice,
        spec,
        EpochEnded(ended_twice.machine.epoch - 1),
        "CONSENSUS.WRONG_EPOCH",
    )
    early = _Script().serving().miners(_MINERS[0]).add(WorkConfirmed(_NET, _MINERS[0], 10))
    early.blocks(early.params.epoch_blocks - 1)
    yield _sequence(
        "settlement",
        "invalid_settled_before_last_block",
        "An epoch with work is not settled before its last block.",
        early,
        spec,
        EpochEnded(early.machine.epoch),
        "CONSENSUS.EPOCH_NOT_COMPLETE",
    )

    difficulty = _Script().serving()
    difficulty.add(difficulty.register(_MINERS[0], by_work=True))
    difficulty.add(difficulty.register(_MINERS[1], by_work=True)).end_epoch().end_epoch()
    yield _sequence(
        "settlement",
        "difficulty_adjusts",
        "The registration difficulty moves toward the target rate at each epoch end.",
        difficulty,
        f"{_SCORING}#next_pow_difficulty",
    )


def generate() -> Iterator[Vector]:
    yield from _issuance()
    yield from _splits()
    yield from _scoring()
    yield from _registration()
    yield from _owner_share()
    yield from _machine()
    yield from _settlement()
