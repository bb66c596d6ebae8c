"""The replay sortition: exact thresholds, selection rates within binomial bounds, independence
from request content, and miner draws that never assign a request to its own server."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

import aetron_vrf
import pytest
from aetron_vrf import ArgumentTypeError, InvalidArgument, NoEligibleMiner
from aetron_vrf.sortition import (
    SORTITION_SUITE,
    Roster,
    is_replayed,
    pick_arbiter,
    pick_replayer,
    replay_alpha,
    replay_set,
    replay_threshold,
)
from hypothesis import given, settings
from hypothesis import strategies as st

BETAS = [hashlib.sha512(b"sortition test beta" + bytes([j])).digest() for j in range(40)]
SERVING = b"\xee" * 32
MINERS = [bytes([m]) * 32 for m in range(1, 5)]


def within(observed: int, trials: int, p: float, sigmas: float = 5.0) -> bool:
    """observed is within `sigmas` standard deviations of a Binomial(trials, p) mean."""
    return abs(observed - trials * p) <= sigmas * math.sqrt(trials * p * (1 - p))


@pytest.fixture(scope="module")
def default_sets() -> list[list[int]]:
    return [replay_set(beta, 5000) for beta in BETAS]


def test_alpha_layout() -> None:
    nid, root = bytes(range(32)), bytes(range(32, 64))
    alpha = replay_alpha(nid, 2**40 + 5, root)
    assert alpha == b"AETRON/vrf/replay-alpha/v1" + nid + (2**40 + 5).to_bytes(8, "little") + root
    assert len(alpha) == 98


def test_thresholds_are_exact_integers() -> None:
    assert replay_threshold() == 700 * 2**64 // 10_000 == 1291272085159668613
    assert replay_threshold(0) == 0 and replay_threshold(10_000) == 2**64
    assert replay_threshold(1) == 1844674407370955


@settings(max_examples=200, deadline=None)
@given(
    beta=st.binary(min_size=64, max_size=64),
    index=st.integers(0, 2**32 - 1),
    rate=st.integers(0, 10_000),
)
def test_is_replayed_is_the_documented_hash_comparison(beta: bytes, index: int, rate: int) -> None:
    digest = hashlib.sha512(b"AETRON/vrf/replay/v1" + beta + index.to_bytes(4, "little")).digest()
    draw = int.from_bytes(digest[:8], "little")
    assert is_replayed(beta, index, rate_bps=rate) == (draw * 10_000 < rate * 2**64)


@settings(max_examples=30, deadline=None)
@given(
    beta=st.binary(min_size=64, max_size=64),
    low=st.integers(0, 10_000),
    high=st.integers(0, 10_000),
)
def test_a_higher_rate_selects_a_superset(beta: bytes, low: int, high: int) -> None:
    low, high = sorted((low, high))
    small, large = replay_set(beta, 300, rate_bps=low), replay_set(beta, 300, rate_bps=high)
    assert set(small) <= set(large)
    assert small == [i for i in range(300) if is_replayed(beta, i, rate_bps=low)]


def test_rate_extremes() -> None:
    assert replay_set(BETAS[0], 1000, rate_bps=0) == []
    assert replay_set(BETAS[0], 1000, rate_bps=10_000) == list(range(1000))
    assert replay_set(BETAS[0], 0) == []


def test_selection_rate_is_within_binomial_bounds(default_sets: list[list[int]]) -> None:
    trials = 5000 * len(BETAS)
    assert within(sum(len(s) for s in default_sets), trials, 0.07)
    for rate in (1, 2500, 9999):
        selected = sum(len(replay_set(beta, 1000, rate_bps=rate)) for beta in BETAS[:10])
        assert within(selected, 10_000, rate / 10_000)


def test_neighbouring_requests_are_selected_independently(default_sets: list[list[int]]) -> None:
    pairs = sum(len(set(s) & {i + 1 for i in s}) for s in default_sets)
    assert within(pairs, 4999 * len(BETAS), 0.07**2)


def test_selection_is_independent_of_request_content() -> None:
    """A miner that cheats on requests it picks by their content, before committing the batch,
    is replayed on those at the same rate as on the others: the VRF input binds the root of the
    committed batch, and its output is unpredictable without the prover's key."""
    sk = hashlib.sha256(b"epoch prover").digest()
    pk = aetron_vrf.public_key(sk, suite=SORTITION_SUITE)
    neuronet = hashlib.sha256(b"neuronet").digest()
    counts = {True: [0, 0], False: [0, 0]}  # cheated?: [replayed, served]
    for epoch in range(24):
        contents = [hashlib.sha256(b"%d/%d" % (epoch, i)).digest() for i in range(2000)]
        root = hashlib.sha256(b"".join(contents)).digest()
        alpha = replay_alpha(neuronet, epoch, root)
        beta = aetron_vrf.verify(pk, alpha, aetron_vrf.prove(sk, alpha, suite=SORTITION_SUITE))
        selected = set(replay_set(beta, len(contents)))
        for i, content in enumerate(contents):
            cheated = content[0] & 1 == 1
            counts[cheated][0] += i in selected
            counts[cheated][1] += 1
    for replayed, served in counts.values():
        assert within(replayed, served, 0.07)
    (r1, n1), (r0, n0) = counts[True], counts[False]
    pooled = (r1 + r0) / (n1 + n0)
    z = (r1 / n1 - r0 / n0) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    assert abs(z) < 5


ids = st.sampled_from([bytes([m]) * 32 for m in range(10)])


def spec_draw(
    tag: bytes, beta: bytes, index: int, weights: dict[bytes, int], excluded: set[bytes]
) -> bytes | None:
    """``draw`` exactly as specs/vrf.md writes it."""
    eligible = sorted((m, w) for m, w in weights.items() if w > 0 and m not in excluded)
    total = sum(w for _, w in eligible)
    if total == 0:
        return None
    seed = hashlib.sha512(tag + beta + index.to_bytes(4, "little")).digest()
    point = int.from_bytes(seed, "little") % total
    for miner, weight in eligible:
        if point < weight:
            return miner
        point -= weight
    raise AssertionError("unreachable")


@settings(max_examples=300, deadline=None)
@given(
    weights=st.dictionaries(ids, st.integers(0, 5), max_size=8),
    serving=ids,
    vetoed=st.frozensets(ids, max_size=4),
    beta=st.binary(min_size=64, max_size=64),
    index=st.integers(0, 2**32 - 1),
)
def test_draws_follow_the_spec_and_never_pick_the_server_a_vetoed_miner_or_one_twice(
    weights: dict[bytes, int], serving: bytes, vetoed: frozenset[bytes], beta: bytes, index: int
) -> None:
    roster = Roster(weights, vetoed)
    assert roster.miners == tuple(
        sorted(m for m, w in weights.items() if w > 0 and m not in vetoed)
    )
    assert Roster(dict(reversed(list(weights.items()))), vetoed).miners == roster.miners
    eligible = set(roster.miners) - {serving}
    expected = spec_draw(b"AETRON/vrf/replayer/v1", beta, index, weights, {serving, *vetoed})
    if not eligible:
        assert expected is None
        with pytest.raises(NoEligibleMiner) as info:
            pick_replayer(beta, index, serving=serving, roster=roster)
        assert info.value.code == "VRF.NO_ELIGIBLE_REPLAYER"
        return
    replayer = pick_replayer(beta, index, serving=serving, roster=roster)
    assert replayer == expected and replayer in eligible
    expected = spec_draw(
        b"AETRON/vrf/arbiter/v1", beta, index, weights, {serving, replayer, *vetoed}
    )
    if eligible == {replayer}:
        with pytest.raises(NoEligibleMiner) as info:
            pick_arbiter(beta, index, serving=serving, replayer=replayer, roster=roster)
        assert info.value.code == "VRF.NO_ELIGIBLE_ARBITER"
        return
    arbiter = pick_arbiter(beta, index, serving=serving, replayer=replayer, roster=roster)
    assert arbiter == expected and arbiter in eligible - {replayer}


def test_miners_are_drawn_in_proportion_to_their_weights() -> None:
    weights = dict(zip(MINERS, (1, 2, 3, 4), strict=True))
    roster = Roster({SERVING: 10, **weights})
    replayers = dict.fromkeys(MINERS, 0)
    arbiters = dict.fromkeys(MINERS, 0)
    draws = [(beta, index) for beta in BETAS for index in range(250)]
    for beta, index in draws:
        replayer = pick_replayer(beta, index, serving=SERVING, roster=roster)
        replayers[replayer] += 1
        arbiters[pick_arbiter(beta, index, serving=SERVING, replayer=replayer, roster=roster)] += 1
    for miner, weight in weights.items():
        assert within(replayers[miner], len(draws), weight / 10)
        # The arbiter is drawn from the miners left once the replayer is out.
        p = sum(weights[r] / 10 * weight / (10 - weights[r]) for r in MINERS if r != miner)
        assert within(arbiters[miner], len(draws), p)


def test_a_vetoed_miner_is_never_drawn() -> None:
    roster = Roster(dict.fromkeys([*MINERS, SERVING], 1), vetoed={MINERS[0]})
    for beta in BETAS:
        for index in range(50):
            assert pick_replayer(beta, index, serving=SERVING, roster=roster) in MINERS[1:]


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: replay_alpha(bytes(31), 0, bytes(32)), "VRF.NEURONET_ID_LENGTH"),
        (lambda: replay_alpha(bytes(32), 2**64, bytes(32)), "VRF.EPOCH_OUT_OF_RANGE"),
        (lambda: replay_alpha(bytes(32), -1, bytes(32)), "VRF.EPOCH_OUT_OF_RANGE"),
        (lambda: replay_alpha(bytes(32), 0, bytes(33)), "VRF.BATCH_ROOT_LENGTH"),
        (lambda: is_replayed(bytes(32), 0), "VRF.BETA_LENGTH"),
        (lambda: is_replayed(bytes(64), 2**32), "VRF.INDEX_OUT_OF_RANGE"),
        (lambda: is_replayed(bytes(64), 0, rate_bps=10_001), "VRF.RATE_OUT_OF_RANGE"),
        (lambda: replay_threshold(-1), "VRF.RATE_OUT_OF_RANGE"),
        (lambda: replay_set(bytes(64), 2**32 + 1), "VRF.REQUEST_COUNT_OUT_OF_RANGE"),
        (
            lambda: pick_replayer(bytes(64), 0, serving=bytes(31), roster=Roster({})),
            "VRF.MINER_ID_LENGTH",
        ),
        (
            lambda: pick_replayer(bytes(64), 2**32, serving=SERVING, roster=Roster({})),
            "VRF.INDEX_OUT_OF_RANGE",
        ),
        (
            lambda: pick_arbiter(bytes(64), 0, serving=SERVING, replayer=b"", roster=Roster({})),
            "VRF.MINER_ID_LENGTH",
        ),
        (
            lambda: pick_arbiter(
                bytes(63), 0, serving=SERVING, replayer=SERVING, roster=Roster({})
            ),
            "VRF.BETA_LENGTH",
        ),
        (lambda: Roster({b"x": 1}), "VRF.MINER_ID_LENGTH"),
        (lambda: Roster({}, vetoed=[b""]), "VRF.MINER_ID_LENGTH"),
        (lambda: Roster({MINERS[0]: 2**64}), "VRF.WEIGHT_OUT_OF_RANGE"),
        (lambda: Roster({MINERS[0]: -1}), "VRF.WEIGHT_OUT_OF_RANGE"),
    ],
)
def test_arguments_out_of_range(call: Callable[[], object], code: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        call()
    assert info.value.code == code


def test_arguments_of_the_wrong_type() -> None:
    with pytest.raises(ArgumentTypeError) as info:
        replay_alpha(bytes(32), True, bytes(32))
    assert info.value.code == "VRF.NOT_INTEGER"
    with pytest.raises(ArgumentTypeError) as info:
        is_replayed("00" * 64, 0)  # type: ignore[arg-type]
    assert info.value.code == "VRF.NOT_BYTES"


def test_no_eligible_miner() -> None:
    beta = BETAS[0]
    for weights, vetoed in (
        ({SERVING: 5}, set()),
        ({MINERS[0]: 0}, set()),
        ({MINERS[0]: 1}, {MINERS[0]}),
        ({}, set()),
    ):
        with pytest.raises(NoEligibleMiner) as info:
            pick_replayer(beta, 0, serving=SERVING, roster=Roster(weights, vetoed))
        assert info.value.code == "VRF.NO_ELIGIBLE_REPLAYER"
    roster = Roster({MINERS[0]: 1, SERVING: 1})
    with pytest.raises(NoEligibleMiner) as info:
        pick_arbiter(beta, 0, serving=SERVING, replayer=MINERS[0], roster=roster)
    assert info.value.code == "VRF.NO_ELIGIBLE_ARBITER"
