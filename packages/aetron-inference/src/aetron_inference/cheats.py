"""Dishonest miners: each function returns the (tokens, artifact) a cheat would commit.

These are the rows of the detection matrix (specs/inference.md, "Detection matrix"). Every
cheat writes an artifact that looks right for the request it claims to answer (its header
names that request, the task's format and the seed), computed as carefully as the cheat allows,
so a replay has to catch it by recomputation, not by a stray header field.
"""

from __future__ import annotations

from dataclasses import replace

import blake3
import torch
from aetron_types import (
    ARTIFACT_SIZE,
    ArtifactKind,
    ExecutionSpec,
    InferenceRequest,
    QuantFormat,
    ValidationArtifact,
)

from ._commitment import context_hash, lm_artifact
from ._config import encode_bytes
from ._model import LlamaForCausalLM
from ._replay import prefill_logits
from ._serve import generate

__all__ = [
    "Committed",
    "altered_context",
    "altered_token",
    "altered_token_recommitted",
    "fabricated_header",
    "fabricated_random",
    "foreign_artifact",
    "foreign_artifact_rewritten",
    "other_weights",
    "skipped_layers",
    "truncated_context",
    "truncated_response",
    "with_model",
    "wrong_seed",
]

Committed = tuple[tuple[int, ...], bytes]
"""What a miner hands in for a request: the response tokens and the artifact."""


def with_model(
    model: LlamaForCausalLM, request: InferenceRequest, claimed: QuantFormat
) -> Committed:
    """Serve with ``model`` (another model, or the right one in another format) claiming ``claimed``."""
    prompt = encode_bytes(request.prompt)
    response, logits = generate(model, prompt, request)
    return tuple(response), lm_artifact(request, claimed, prompt, response, logits)


def other_weights(model: LlamaForCausalLM, change: dict[str, torch.Tensor]) -> LlamaForCausalLM:
    """``model`` with the named weights replaced (a fine-tune, a different checkpoint)."""
    weights = {n: p.detach().clone() for n, p in model.named_parameters()}
    weights.update(change)
    return LlamaForCausalLM.from_weights(
        model.config,
        weights,
        dtype=model.model.embed_tokens.weight.dtype,
        device=model.model.embed_tokens.weight.device,
        attention=model.attention,
    )


def skipped_layers(model: LlamaForCausalLM, skip: set[int]) -> LlamaForCausalLM:
    """``model`` without the decoder layers in ``skip`` (a cheaper, shallower network)."""
    config = model.config
    keep = [i for i in range(config.num_hidden_layers) if i not in skip]
    weights = {}
    for name, p in model.named_parameters():
        parts = name.split(".")
        if parts[:2] == ["model", "layers"]:
            if int(parts[2]) not in keep:
                continue
            parts[2] = str(keep.index(int(parts[2])))
        weights[".".join(parts)] = p.detach().clone()
    shallow = replace(config, num_hidden_layers=len(keep))
    return LlamaForCausalLM.from_weights(
        shallow,
        weights,
        dtype=model.model.embed_tokens.weight.dtype,
        device=model.model.embed_tokens.weight.device,
        attention=model.attention,
    )


def truncated_context(
    model: LlamaForCausalLM, request: InferenceRequest, spec: ExecutionSpec, keep: int
) -> Committed:
    """Compute with only the last ``keep`` prompt bytes; commit as if the whole prompt was read."""
    prompt = encode_bytes(request.prompt)
    response, logits = generate(model, encode_bytes(request.prompt[-keep:]), request)
    return tuple(response), lm_artifact(request, spec.quant_format, prompt, response, logits)


def altered_context(
    model: LlamaForCausalLM, request: InferenceRequest, spec: ExecutionSpec, context: bytes
) -> Committed:
    """Compute from ``context`` (an injected system prompt, an edited one); commit the request's."""
    prompt = encode_bytes(request.prompt)
    response, logits = generate(model, encode_bytes(context), request)
    return tuple(response), lm_artifact(request, spec.quant_format, prompt, response, logits)


def wrong_seed(
    model: LlamaForCausalLM, request: InferenceRequest, spec: ExecutionSpec, seed: int
) -> Committed:
    """Sample with another seed; commit the request's seed (to reuse or steer an output)."""
    other = InferenceRequest(
        prompt=request.prompt,
        max_new_tokens=request.max_new_tokens,
        seed=seed,
        temperature_milli=request.temperature_milli,
        top_k=request.top_k,
        top_p_ppm=request.top_p_ppm,
    )
    prompt = encode_bytes(request.prompt)
    response, logits = generate(model, prompt, other)
    return tuple(response), lm_artifact(request, spec.quant_format, prompt, response, logits)


def altered_token(honest: Committed, index: int, token: int) -> Committed:
    """Change one response token after serving; keep the honest artifact."""
    tokens = list(honest[0])
    tokens[index] = token
    return tuple(tokens), honest[1]


def altered_token_recommitted(
    model: LlamaForCausalLM,
    request: InferenceRequest,
    spec: ExecutionSpec,
    honest: Committed,
    index: int,
    token: int,
) -> Committed:
    """Change one token and recompute the artifact over the new tokens by teacher forcing.

    Every hash in it is then consistent with the tokens; only the sampler gives it away.
    """
    tokens = list(honest[0])
    tokens[index] = token
    prompt = encode_bytes(request.prompt)
    logits = prefill_logits(model, prompt, tokens)
    return tuple(tokens), lm_artifact(request, spec.quant_format, prompt, tokens, logits)


def truncated_response(
    model: LlamaForCausalLM, request: InferenceRequest, spec: ExecutionSpec, honest: Committed
) -> Committed:
    """Stop early (half the tokens, no end-of-sequence) with a consistent artifact."""
    tokens = list(honest[0][: max(1, len(honest[0]) // 2)])
    prompt = encode_bytes(request.prompt)
    logits = prefill_logits(model, prompt, tokens)
    return tuple(tokens), lm_artifact(request, spec.quant_format, prompt, tokens, logits)


def fabricated_random(honest: Committed, seed: bytes) -> Committed:
    """Random bytes (BLAKE3 output of ``seed``) of the artifact's length."""
    return honest[0], blake3.blake3(seed).digest(length=ARTIFACT_SIZE)


def fabricated_header(
    request: InferenceRequest, spec: ExecutionSpec, tokens: tuple[int, ...]
) -> Committed:
    """A well-formed artifact with every header field right and invented hashes and samples."""
    prompt = encode_bytes(request.prompt)
    artifact = ValidationArtifact(
        kind=ArtifactKind.causal_lm,
        quant_format=spec.quant_format,
        sample_count=8,
        prompt_len=len(prompt),
        output_len=len(tokens),
        seed=request.seed,
        request_hash=request.hash(),
        context_hash=context_hash(prompt, list(tokens)),
        commitment=blake3.blake3(b"invented" + request.hash()).digest(),
        sample_ids=tuple(range(32, 40)),
        sample_values=tuple([0x4000] * 8),
    )
    return tokens, artifact.encode()


def foreign_artifact(other: Committed) -> Committed:
    """Answer with another request's response and artifact (a cached answer)."""
    return other


def foreign_artifact_rewritten(
    request: InferenceRequest, spec: ExecutionSpec, other: Committed
) -> Committed:
    """Another request's response and artifact, its header rewritten for this request."""
    tokens = other[0]
    old = ValidationArtifact.decode(other[1])
    prompt = encode_bytes(request.prompt)
    artifact = ValidationArtifact(
        kind=old.kind,
        quant_format=spec.quant_format,
        sample_count=old.sample_count,
        prompt_len=len(prompt),
        output_len=len(tokens),
        seed=request.seed,
        request_hash=request.hash(),
        context_hash=context_hash(prompt, list(tokens)),
        commitment=old.commitment,
        sample_ids=old.sample_ids,
        sample_values=old.sample_values,
    )
    return tokens, artifact.encode()
