"""Replay: an honest artifact is reproduced bit for bit; a malformed one is refused quietly."""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import pytest
from aetron_inference import (
    SERVE_BLOCK,
    LlamaForCausalLM,
    Served,
    SpecMismatch,
    claimed_replay_commitment,
    configure,
    default_spec,
    encode_bytes,
    load_reference_weights,
    make_request,
    recompute_replay_commitment,
    replay,
    serve,
)
from aetron_inference._replay import prefill_logits
from aetron_inference._serve import generate
from aetron_types import ExecutionSpec, InferenceRequest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FORMATS = ("fp32", "bf16", "int8", "int4", "nf4", "mxfp4", "nvfp4", "q4_0")


@cache
def _model(fmt: str) -> tuple[LlamaForCausalLM, ExecutionSpec]:
    spec = default_spec(fmt)
    return load_reference_weights(fmt).build(configure(spec)), spec


def _random_request(rng: random.Random) -> InferenceRequest:
    text = bytes(rng.randrange(32, 127) for _ in range(rng.choice([0, 3, 40, 63, 64, 130])))
    return make_request(
        text,
        max_new_tokens=rng.choice([1, 2, 9, 30, 65]),
        seed=rng.randrange(2**64),
        temperature=rng.choice([0.0, 0.3, 0.8, 1.0, 1.7]),
        top_k=rng.choice([0, 1, 8, 300]),
        top_p=rng.choice([1.0, 0.95, 0.5, 0.000001]),
    )


@cache
def _honest() -> list[tuple[str, InferenceRequest, Served]]:
    rng = random.Random(20261125)
    out = []
    for i in range(24):
        fmt = FORMATS[i % len(FORMATS)]
        model, spec = _model(fmt)
        request = _random_request(rng)
        out.append((fmt, request, serve(model, request, spec=spec)))
    return out


def test_honest_replays_all_match() -> None:
    for fmt, request, served in _honest():
        model, spec = _model(fmt)
        assert replay(model, request, served.tokens, served.artifact, spec=spec), (fmt, request)
        assert recompute_replay_commitment(
            model, request, served.tokens, spec=spec
        ) == claimed_replay_commitment(served.artifact)


@pytest.mark.parametrize("prompt_len", [1, SERVE_BLOCK - 1, SERVE_BLOCK, 2 * SERVE_BLOCK + 5])
def test_decode_rows_equal_prefill_rows_bit_for_bit(prompt_len: int) -> None:
    model, _ = _model("fp32")
    request = make_request(b"q" * (prompt_len - 1), max_new_tokens=SERVE_BLOCK + 3, seed=9)
    prompt = encode_bytes(request.prompt)
    response, decoded = generate(model, prompt, request)
    replayed = prefill_logits(model, prompt, response)
    assert decoded.tobytes() == replayed.tobytes()


def test_other_compute_settings_replay_too() -> None:
    for settings_ in (
        {"compute_dtype": "bf16"},
        {"attention_backend": "sdpa-math"},
        {"thread_count": 2},
    ):
        spec = default_spec(**settings_)  # type: ignore[arg-type]
        model = load_reference_weights("fp32").build(configure(spec))
        request = make_request(b"Wind", max_new_tokens=20, seed=4, temperature=0.9)
        served = serve(model, request, spec=spec)
        assert replay(model, request, served.tokens, served.artifact, spec=spec), settings_


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_malformed_artifacts_are_false_never_errors(data: st.DataObject) -> None:
    fmt, request, served = _honest()[0]
    model, spec = _model(fmt)
    artifact = bytearray(served.artifact)
    choice = data.draw(st.sampled_from(["flip", "bytes", "truncate", "extend"]))
    if choice == "flip":
        at = data.draw(st.integers(0, len(artifact) - 1))
        artifact[at] ^= data.draw(st.integers(1, 255))
    elif choice == "bytes":
        artifact = bytearray(data.draw(st.binary(min_size=0, max_size=200)))
    elif choice == "truncate":
        artifact = artifact[: data.draw(st.integers(0, len(artifact) - 1))]
    else:
        artifact += data.draw(st.binary(min_size=1, max_size=8))
    assert replay(model, request, served.tokens, bytes(artifact), spec=spec) is False


def test_odd_inputs_are_false() -> None:
    fmt, request, served = _honest()[0]
    model, spec = _model(fmt)
    tokens = list(served.tokens)
    for artifact in (None, "text", bytearray(served.artifact), 164):
        assert replay(model, request, tokens, artifact, spec=spec) is False  # type: ignore[arg-type]
    for bad in ([*tokens, 1], tokens[:-1], [-1, *tokens[1:]], [2**40, *tokens[1:]], ["a"], [1.5]):
        assert replay(model, request, bad, served.artifact, spec=spec) is False  # type: ignore[arg-type]
    too_many = make_request(request.prompt, max_new_tokens=0, seed=request.seed)
    assert replay(model, too_many, tokens, served.artifact, spec=spec) is False


def test_replay_refuses_a_spec_this_machine_cannot_run() -> None:
    fmt, request, served = _honest()[0]
    model, spec = _model(fmt)
    wrong = "aarch64" if spec.hardware_arch.value != "aarch64" else "x86_64-avx2"
    with pytest.raises(SpecMismatch):
        replay(
            model, request, served.tokens, served.artifact, spec=default_spec(hardware_arch=wrong)
        )


def test_replay_rows_are_float32() -> None:
    model, _ = _model("fp32")
    rows = prefill_logits(model, encode_bytes(b"ab"), [1, 2, 3])
    assert rows.dtype == np.float32 and rows.shape == (3, model.config.vocab_size)
