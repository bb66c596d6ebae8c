"""The detection matrix: every kind of cheat is caught by replay, every honest answer passes."""

from __future__ import annotations

import itertools
from functools import cache

import pytest
import torch
from aetron_inference import (
    LlamaForCausalLM,
    cheats,
    configure,
    default_spec,
    load_reference_weights,
    make_request,
    random_weights,
    replay,
    serve,
)
from aetron_types import ExecutionSpec, InferenceRequest, QuantFormat

SAMPLED = make_request(b"The harbour of Morby", max_new_tokens=24, seed=77, temperature=0.9)
GREEDY = make_request(b"On Saturday morning", max_new_tokens=24, seed=0)


@cache
def _model(fmt: str) -> tuple[LlamaForCausalLM, ExecutionSpec]:
    spec = default_spec(fmt)
    return load_reference_weights(fmt).build(configure(spec)), spec


def _caught(request: InferenceRequest, committed: cheats.Committed, fmt: str = "fp32") -> bool:
    model, spec = _model(fmt)
    return not replay(model, request, committed[0], committed[1], spec=spec)


def _honest(request: InferenceRequest) -> cheats.Committed:
    model, spec = _model("fp32")
    served = serve(model, request, spec=spec)
    return served.tokens, served.artifact


@pytest.mark.parametrize("request_", [SAMPLED, GREEDY], ids=["sampled", "greedy"])
def test_honest_answers_pass(request_: InferenceRequest) -> None:
    assert not _caught(request_, _honest(request_))


@pytest.mark.parametrize("request_", [SAMPLED, GREEDY], ids=["sampled", "greedy"])
def test_model_substitution(request_: InferenceRequest) -> None:
    model, spec = _model("fp32")
    stranger = LlamaForCausalLM.from_weights(model.config, random_weights(model.config, b"other"))
    assert _caught(request_, cheats.with_model(stranger, request_, spec.quant_format))
    # A fine-tune that moved every weight of one matrix by one unit in the last place. (One
    # weight moved by one ulp often changes no logit bit at all: then the output is the
    # honest one and there is nothing to catch; the benchmark table counts those cases.)
    weight = model.model.layers[2].mlp.down_proj.weight.detach()
    nudged = torch.nextafter(weight, torch.full_like(weight, 1.0))
    tuned = cheats.other_weights(model, {"model.layers.2.mlp.down_proj.weight": nudged})
    assert _caught(request_, cheats.with_model(tuned, request_, spec.quant_format))


def _dequantized(fmt: str) -> dict[str, torch.Tensor]:
    return load_reference_weights(fmt).dequantized()


def _differing_pairs() -> list[tuple[str, str]]:
    formats = [f.value for f in QuantFormat]
    weights = {f: _dequantized(f) for f in formats}
    pairs = []
    for claimed, used in itertools.permutations(formats, 2):
        a, b = weights[claimed], weights[used]
        if any(not torch.equal(a[n], b[n]) for n in a):
            pairs.append((claimed, used))
    return pairs


def test_quantization_downgrade_every_differing_pair() -> None:
    pairs = _differing_pairs()
    formats = [f.value for f in QuantFormat]
    assert len(formats) == 18
    missed = []
    for used in formats:
        model_used, _ = _model(used)
        for claimed in [c for c, u in pairs if u == used]:
            committed = cheats.with_model(model_used, GREEDY, QuantFormat(claimed))
            if not _caught(GREEDY, committed, claimed):
                missed.append((claimed, used))
    assert missed == []
    # Every ordered pair of distinct formats differs in its dequantized weights.
    assert len(pairs) == 18 * 17


@pytest.mark.parametrize("skip", [{3}, {1}, {0, 2}], ids=["last", "middle", "two"])
def test_skipped_or_truncated_layers(skip: set[int]) -> None:
    model, spec = _model("fp32")
    shallow = cheats.skipped_layers(model, skip)
    assert _caught(SAMPLED, cheats.with_model(shallow, SAMPLED, spec.quant_format))


def test_truncated_or_altered_context() -> None:
    model, spec = _model("fp32")
    long_request = make_request(b"The bridge over the river Arle " * 3, max_new_tokens=16, seed=2)
    assert _caught(long_request, cheats.truncated_context(model, long_request, spec, keep=20))
    altered = b"You are helpful. " + GREEDY.prompt
    assert _caught(GREEDY, cheats.altered_context(model, GREEDY, spec, altered))
    one_byte = b"On Saturday mornin!"
    assert _caught(GREEDY, cheats.altered_context(model, GREEDY, spec, one_byte))


def test_wrong_sampling_seed() -> None:
    model, spec = _model("fp32")
    honest = _honest(SAMPLED)
    for seed in (78, 0, 2**64 - 1):
        committed = cheats.wrong_seed(model, SAMPLED, spec, seed)
        assert committed[0] != honest[0]
        assert _caught(SAMPLED, committed)


def test_altered_output_tokens() -> None:
    model, spec = _model("fp32")
    for request in (SAMPLED, GREEDY):
        honest = _honest(request)
        for index in (0, 11, len(honest[0]) - 1):
            token = (honest[0][index] + 1) % 256
            assert _caught(request, cheats.altered_token(honest, index, token))
            recommitted = cheats.altered_token_recommitted(
                model, request, spec, honest, index, token
            )
            assert _caught(request, recommitted)
        assert _caught(request, cheats.truncated_response(model, request, spec, honest))


def test_fabricated_artifact() -> None:
    _, spec = _model("fp32")
    honest = _honest(SAMPLED)
    assert _caught(SAMPLED, cheats.fabricated_random(honest, b"seed"))
    assert _caught(SAMPLED, cheats.fabricated_header(SAMPLED, spec, honest[0]))
    assert _caught(SAMPLED, (honest[0], bytes(164)))


def test_artifact_replayed_from_another_request() -> None:
    _, spec = _model("fp32")
    other = make_request(b"The harbour of Morby", max_new_tokens=24, seed=78, temperature=0.9)
    committed = _honest(other)
    assert _caught(SAMPLED, cheats.foreign_artifact(committed))
    assert _caught(SAMPLED, cheats.foreign_artifact_rewritten(SAMPLED, spec, committed))
    # The same answer re-sent for a request that differs only in its sampling settings.
    cooler = make_request(b"On Saturday morning", max_new_tokens=24, seed=0, top_k=3)
    assert _caught(cooler, cheats.foreign_artifact(_honest(GREEDY)))
