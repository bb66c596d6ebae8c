"""Replay: one teacher-forced prefill over prompt and response recomputes a served artifact."""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import torch
from aetron_types import (
    ARTIFACT_SIZE,
    AetronTypesError,
    ArtifactKind,
    ExecutionSpec,
    InferenceRequest,
    QuantFormat,
    ValidationArtifact,
)

from ._blocked import SERVE_BLOCK, BlockedForward
from ._commitment import context_hash, lm_artifact, replay_commitment
from ._config import EOS_ID, encode_bytes
from ._errors import InferenceError
from ._model import LlamaForCausalLM
from ._runtime import configure
from ._sampling import sample_tokens
from ._serve import check_model

__all__ = ["prefill_logits", "recompute", "recompute_replay_commitment", "replay"]


def prefill_logits(
    model: LlamaForCausalLM, prompt_ids: list[int], response: list[int]
) -> npt.NDArray[np.float32]:
    """The float32 logit rows that chose each response token, from one teacher-forced prefill.

    The prefill covers the prompt and every response token but the last (nothing reads the
    logits after it), block by block as serving does.
    """
    vocab = model.config.vocab_size
    if not response:
        return np.zeros((0, vocab), dtype=np.float32)
    tokens = prompt_ids + response[:-1]
    forward = BlockedForward(model, len(tokens))
    forward.ids[: len(tokens)] = torch.tensor(tokens, dtype=torch.long)
    first = (len(prompt_ids) - 1) // SERVE_BLOCK
    blocks = []
    with torch.inference_mode():
        for block in range(forward.blocks):
            if block < first:
                forward.fill_block(block)
            else:
                blocks.append(forward.run_block(block))
    start = len(prompt_ids) - 1 - first * SERVE_BLOCK
    rows = torch.cat(blocks)[start : start + len(response)]
    return rows.to(torch.float32).cpu().numpy()


def recompute(
    model: LlamaForCausalLM,
    request: InferenceRequest,
    response: list[int],
    quant_format: QuantFormat,
) -> tuple[bytes | None, bool]:
    """The artifact an honest server gives for ``request`` and ``response``, and whether it would.

    Returns ``(expected, follows)``. ``expected`` is None when no honest server produces
    ``response`` in any case: more tokens than asked for, a token outside the vocabulary, a
    request too long for the model, or a NaN or infinite logit. ``follows`` is True when every
    token is the sampler's decision on the recomputed logits and the response ends as serving
    ends it (after ``max_new_tokens`` tokens or at the first ``EOS_ID``).
    """
    prompt_ids = encode_bytes(request.prompt)
    vocab = model.config.vocab_size
    if (
        len(response) > request.max_new_tokens
        or any(not 0 <= t < vocab for t in response)
        or len(prompt_ids) + request.max_new_tokens > model.config.max_position_embeddings
    ):
        return None, False
    logits = prefill_logits(model, prompt_ids, response)
    try:
        decisions = sample_tokens(logits, request, 0)
    except InferenceError:
        return None, False
    if response:
        ends = len(response) == request.max_new_tokens or response[-1] == EOS_ID
    else:
        ends = request.max_new_tokens == 0
    follows = decisions.tolist() == response and EOS_ID not in response[:-1] and ends
    return lm_artifact(request, quant_format, prompt_ids, response, logits), follows


def _token_list(tokens: Sequence[int]) -> list[int] | None:
    try:
        return [operator.index(t) for t in tokens]
    except TypeError:
        return None


def recompute_replay_commitment(
    model: LlamaForCausalLM,
    request: InferenceRequest,
    tokens: Sequence[int],
    *,
    spec: ExecutionSpec,
) -> bytes:
    """The replay commitment a replayer or an arbiter reports for a served response.

    It equals `claimed_replay_commitment` of the served artifact exactly when that artifact is
    the one an honest server gives (specs/inference.md, "Replay commitment"). Raises
    `SpecMismatch` or ``INFERENCE.MODEL_SPEC_MISMATCH`` as `serve` does.
    """
    runtime = configure(spec)
    check_model(model, runtime)
    response = _token_list(tokens)
    if response is None:
        return replay_commitment(None, False)
    expected, follows = recompute(model, request, response, spec.quant_format)
    return replay_commitment(expected, follows)


def _header_fits(
    header: ValidationArtifact, request: InferenceRequest, response: list[int], spec: ExecutionSpec
) -> bool:
    prompt_ids = encode_bytes(request.prompt)
    return (
        header.kind == ArtifactKind.causal_lm
        and header.quant_format == spec.quant_format
        and header.seed == request.seed
        and header.request_hash == request.hash()
        and header.prompt_len == len(prompt_ids)
        and header.output_len == len(response)
        and header.context_hash == context_hash(prompt_ids, response)
    )


def replay(
    model: LlamaForCausalLM,
    request: InferenceRequest,
    tokens: Sequence[int],
    artifact: bytes,
    *,
    spec: ExecutionSpec,
) -> bool:
    """True exactly when a prefill replay reproduces ``artifact`` for ``request`` and ``tokens``.

    That is: the artifact is the one an honest server running ``spec`` gives, byte for byte,
    and every token is the sampler's decision. A malformed artifact or token list gives False,
    never an exception; header fields are checked before the prefill so that most forgeries
    cost nothing. Raises `SpecMismatch` or ``INFERENCE.MODEL_SPEC_MISMATCH`` as `serve` does.
    """
    runtime = configure(spec)
    check_model(model, runtime)
    response = _token_list(tokens)
    if response is None or not isinstance(artifact, bytes) or len(artifact) != ARTIFACT_SIZE:
        return False
    if any(not 0 <= t < model.config.vocab_size for t in response):
        return False
    try:
        header = ValidationArtifact.decode(artifact)
    except AetronTypesError:
        return False
    if not _header_fits(header, request, response, spec):
        return False
    expected, follows = recompute(model, request, response, spec.quant_format)
    return follows and expected == artifact
