"""Arbitration: a pure rule over three replay commitments, and the whole dispute loop."""

from __future__ import annotations

import pytest
from aetron_inference import (
    InferenceError,
    Ruling,
    arbitrate,
    cheats,
    claimed_replay_commitment,
    configure,
    default_spec,
    load_reference_model,
    make_request,
    recompute_replay_commitment,
    serve,
)
from aetron_types import ArbitrationOutcome
from hypothesis import given, settings
from hypothesis import strategies as st

MINER, REPLAYER, ARBITER = bytes([1] * 32), bytes([2] * 32), bytes([3] * 32)
ARTIFACT = bytes(range(164))
CLAIM = claimed_replay_commitment(ARTIFACT)
OTHER, THIRD = bytes([9] * 32), bytes([8] * 32)


def _rule(replayer: bytes, arbiter: bytes, artifact: bytes = ARTIFACT) -> Ruling:
    return arbitrate(
        miner=MINER,
        replayer=REPLAYER,
        arbiter=ARBITER,
        served_artifact=artifact,
        replayer_commitment=replayer,
        arbiter_commitment=arbiter,
    )


def test_arbiter_agrees_with_the_miner() -> None:
    assert _rule(OTHER, CLAIM) == Ruling(ArbitrationOutcome.miner_upheld, (REPLAYER,), (MINER,))


def test_arbiter_agrees_with_the_replayer() -> None:
    assert _rule(OTHER, OTHER) == Ruling(ArbitrationOutcome.replayer_upheld, (MINER,), (REPLAYER,))


def test_arbiter_agrees_with_neither() -> None:
    assert _rule(OTHER, THIRD) == Ruling(ArbitrationOutcome.both_rejected, (MINER, REPLAYER), ())


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"replayer_commitment": CLAIM}, "INFERENCE.NOT_DISPUTED"),
        ({"arbiter": MINER}, "INFERENCE.ARBITER_NOT_DISTINCT"),
        ({"replayer": MINER}, "INFERENCE.ARBITER_NOT_DISTINCT"),
        ({"miner": b"short"}, "INFERENCE.BAD_MINER_ID"),
        ({"arbiter_commitment": bytes(31)}, "INFERENCE.BAD_COMMITMENT"),
        ({"replayer_commitment": "00" * 32}, "INFERENCE.BAD_COMMITMENT"),
        ({"served_artifact": None}, "INFERENCE.BAD_ARTIFACT"),
    ],
)
def test_bad_cases_are_refused(kwargs: dict[str, object], code: str) -> None:
    args: dict[str, object] = {
        "miner": MINER,
        "replayer": REPLAYER,
        "arbiter": ARBITER,
        "served_artifact": ARTIFACT,
        "replayer_commitment": OTHER,
        "arbiter_commitment": CLAIM,
    }
    args.update(kwargs)
    with pytest.raises(InferenceError) as caught:
        arbitrate(**args)  # type: ignore[arg-type]
    assert caught.value.code == code


@settings(max_examples=200)
@given(
    artifact=st.binary(max_size=200),
    replayer=st.binary(min_size=32, max_size=32),
    arbiter=st.binary(min_size=32, max_size=32),
    arbiter_is_claim=st.booleans(),
)
def test_exactly_the_disagreeing_sides_lose(
    artifact: bytes, replayer: bytes, arbiter: bytes, arbiter_is_claim: bool
) -> None:
    claim = claimed_replay_commitment(artifact)
    arbiter = claim if arbiter_is_claim else arbiter
    ruling = _rule(replayer, arbiter, artifact)
    assert set(ruling.lost).isdisjoint(ruling.passed)
    assert set(ruling.lost) | set(ruling.passed) <= {MINER, REPLAYER}
    assert (MINER in ruling.lost) == (arbiter != claim)
    assert (REPLAYER in ruling.lost) == (arbiter != replayer)


def test_disputes_end_to_end() -> None:
    spec = default_spec()
    model = load_reference_model(configure(spec))
    request = make_request(b"The bridge", max_new_tokens=12, seed=5, temperature=0.8)
    served = serve(model, request, spec=spec)
    honest = recompute_replay_commitment(model, request, served.tokens, spec=spec)
    assert honest == claimed_replay_commitment(served.artifact)

    # A replayer that falsely reports a mismatch on an honest answer loses.
    ruling = _rule_for(served.artifact, bytes(32), honest)
    assert ruling.outcome is ArbitrationOutcome.miner_upheld and ruling.lost == (REPLAYER,)

    # A miner that changed a token after serving loses to an honest replayer.
    tokens, artifact = cheats.altered_token_recommitted(
        model, request, spec, (served.tokens, served.artifact), 3, 65
    )
    truth = recompute_replay_commitment(model, request, tokens, spec=spec)
    assert truth != claimed_replay_commitment(artifact)
    ruling = _rule_for(artifact, truth, truth)
    assert ruling.outcome is ArbitrationOutcome.replayer_upheld and ruling.lost == (MINER,)

    # A cheating miner and a lazy replayer who invents a commitment: both lose.
    ruling = _rule_for(artifact, bytes(32), truth)
    assert ruling.outcome is ArbitrationOutcome.both_rejected


def _rule_for(artifact: bytes, replayer: bytes, arbiter: bytes) -> Ruling:
    return _rule(replayer, arbiter, artifact)
