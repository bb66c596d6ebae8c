"""Serving: generation with the row-block forward, and what the artifact says about it."""

from __future__ import annotations

import blake3
import numpy as np
import pytest
import torch
from aetron_inference import (
    BOS_ID,
    EOS_ID,
    SERVE_BLOCK,
    InferenceError,
    KVCache,
    LlamaForCausalLM,
    SpecMismatch,
    configure,
    default_spec,
    encode_bytes,
    load_reference_model,
    make_request,
    serve,
)
from aetron_inference._commitment import logit_commitment
from aetron_inference._serve import generate
from aetron_types import ArtifactKind, ExecutionSpec, InferenceRequest, ValidationArtifact


@pytest.fixture(scope="module")
def spec() -> ExecutionSpec:
    return default_spec()


@pytest.fixture(scope="module")
def model(spec: ExecutionSpec) -> LlamaForCausalLM:
    return load_reference_model(configure(spec))


def test_make_request_scales_exactly() -> None:
    request = make_request(b"hi", max_new_tokens=5, seed=3, temperature=0.7, top_k=4, top_p=0.95)
    assert (request.temperature_milli, request.top_k, request.top_p_ppm) == (700, 4, 950_000)
    assert make_request(b"", max_new_tokens=0, seed=0).temperature_milli == 0


def test_artifact_fields_describe_the_request(model: LlamaForCausalLM, spec: ExecutionSpec) -> None:
    request = make_request(b"The river", max_new_tokens=20, seed=12, temperature=0.9, top_p=0.9)
    served = serve(model, request, spec=spec)
    artifact = ValidationArtifact.decode(served.artifact)
    prompt = encode_bytes(b"The river")
    assert len(served.artifact) == 164
    assert artifact.kind == ArtifactKind.causal_lm
    assert artifact.quant_format == spec.quant_format
    assert (artifact.prompt_len, artifact.output_len) == (len(prompt), len(served.tokens))
    assert artifact.seed == 12 and artifact.request_hash == request.hash()
    ids = np.asarray(prompt + list(served.tokens), dtype="<u4").tobytes()
    assert artifact.context_hash == blake3.blake3(ids).digest()
    assert artifact.sample_count == 8 and len(set(artifact.sample_ids)) == 8


def test_serving_is_deterministic(model: LlamaForCausalLM, spec: ExecutionSpec) -> None:
    request = make_request(b"A", max_new_tokens=30, seed=5, temperature=1.2, top_k=50)
    first = serve(model, request, spec=spec)
    assert serve(model, request, spec=spec) == first
    other = make_request(b"A", max_new_tokens=30, seed=6, temperature=1.2, top_k=50)
    assert serve(model, other, spec=spec).tokens != first.tokens


def test_greedy_follows_the_models_own_argmax(model: LlamaForCausalLM, spec: ExecutionSpec) -> None:
    # The row-block logits are not bit-identical to the model's own forward, but a trained
    # model's greedy choice sits far above the rounding noise.
    request = make_request(b"On Saturday morning", max_new_tokens=40, seed=0)
    served = serve(model, request, spec=spec)
    ids = encode_bytes(request.prompt) + list(served.tokens)
    device = model.model.embed_tokens.weight.device
    with torch.inference_mode():
        logits = model(torch.tensor([ids[:-1]], device=device))
    assert logits[0, len(ids) - len(served.tokens) - 1 :].argmax(-1).tolist() == list(served.tokens)


def test_logit_rows_cross_block_boundaries(model: LlamaForCausalLM) -> None:
    # Prompt and response spanning three blocks: each row equals the model's own (its forward
    # pads to its own block and may differ in the last bits, never more than rounding).
    request = make_request(bytes(range(65, 65 + 50)) * 2, max_new_tokens=SERVE_BLOCK, seed=1)
    prompt = encode_bytes(request.prompt)
    response, rows = generate(model, prompt, request)
    ids = prompt + response
    device = model.model.embed_tokens.weight.device
    with torch.inference_mode():
        cache = KVCache(model.config, 1, len(ids), torch.float32, device)
        logits = model(torch.tensor([ids[:-1]], device=device), cache)
    reference = logits[0, len(prompt) - 1 :].cpu().numpy()
    assert rows.shape == (len(response), model.config.vocab_size)
    np.testing.assert_allclose(rows, reference, rtol=0, atol=1e-4)


def test_zero_new_tokens(model: LlamaForCausalLM, spec: ExecutionSpec) -> None:
    served = serve(model, make_request(b"abc", max_new_tokens=0, seed=0), spec=spec)
    artifact = ValidationArtifact.decode(served.artifact)
    assert served.tokens == () and artifact.output_len == 0 and artifact.sample_count == 0
    assert artifact.commitment == logit_commitment(np.zeros((0, 259), dtype=np.float32))


def test_generation_stops_after_eos(model: LlamaForCausalLM) -> None:
    # EOS's (tied) embedding row becomes three times the space's: wherever a space would win,
    # EOS wins instead.
    weights = {n: p.detach().clone() for n, p in model.named_parameters()}
    weights["model.embed_tokens.weight"][EOS_ID] = 3 * weights["model.embed_tokens.weight"][32]
    tilted = LlamaForCausalLM.from_weights(model.config, weights)
    request = InferenceRequest(
        prompt=b"The river", max_new_tokens=30, seed=0, temperature_milli=0, top_k=0,
        top_p_ppm=1_000_000,
    )  # fmt: skip
    response, rows = generate(tilted, encode_bytes(request.prompt), request)
    assert response[-1] == EOS_ID and EOS_ID not in response[:-1] and len(response) < 30
    assert rows.shape[0] == len(response)


def test_too_long_requests_are_refused(model: LlamaForCausalLM, spec: ExecutionSpec) -> None:
    request = make_request(b"x" * 500, max_new_tokens=20, seed=0)
    with pytest.raises(InferenceError) as caught:
        serve(model, request, spec=spec)
    assert caught.value.code == "INFERENCE.CONTEXT_TOO_LONG"


def test_spec_and_model_must_agree(model: LlamaForCausalLM, spec: ExecutionSpec) -> None:
    request = make_request(b"x", max_new_tokens=1, seed=0)
    wrong_arch = "aarch64" if spec.hardware_arch.value != "aarch64" else "x86_64-avx2"
    with pytest.raises(SpecMismatch):
        serve(model, request, spec=default_spec(hardware_arch=wrong_arch))
    with pytest.raises(InferenceError) as caught:
        serve(model, request, spec=default_spec(compute_dtype="bf16"))
    assert caught.value.code == "INFERENCE.MODEL_SPEC_MISMATCH"


def test_prompt_starts_with_bos() -> None:
    assert encode_bytes(b"ab") == [BOS_ID, 97, 98]
