"""Serving a request: canonical row-block decoding, the sampler, and the request's artifact."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch
from aetron_types import (
    ExecutionSpec,
    InferenceRequest,
    temperature_to_milli,
    top_p_to_ppm,
)

from ._blocked import SERVE_BLOCK, BlockedForward
from ._commitment import lm_artifact
from ._config import EOS_ID, encode_bytes
from ._errors import InferenceError
from ._model import LlamaForCausalLM
from ._runtime import Runtime, configure
from ._sampling import sample_tokens

__all__ = ["Served", "check_model", "generate", "make_request", "serve"]


@dataclass(frozen=True)
class Served:
    """A served request: the response token ids and the request's 164-byte validation artifact."""

    tokens: tuple[int, ...]
    artifact: bytes


def make_request(
    prompt: bytes,
    *,
    max_new_tokens: int,
    seed: int,
    temperature: float = 0.0,
    top_k: int = 0,
    top_p: float = 1.0,
) -> InferenceRequest:
    """An `InferenceRequest`; ``temperature`` and ``top_p`` become integer milli and ppm.

    Both are scaled exactly and rounded half to even (aetron-types' `temperature_to_milli`,
    `top_p_to_ppm`). Out-of-range values raise aetron-types' ``TYPES.*`` errors.
    """
    return InferenceRequest(
        prompt=prompt,
        max_new_tokens=max_new_tokens,
        seed=seed,
        temperature_milli=temperature_to_milli(temperature),
        top_k=top_k,
        top_p_ppm=top_p_to_ppm(top_p),
    )


def check_model(model: LlamaForCausalLM, runtime: Runtime) -> None:
    """Raise ``INFERENCE.MODEL_SPEC_MISMATCH`` unless ``model`` was built for ``runtime``."""
    weight = model.model.embed_tokens.weight
    problems = []
    if weight.dtype != runtime.dtype:
        problems.append(f"model computes in {weight.dtype}, spec wants {runtime.dtype}")
    if weight.device.type != runtime.device.type:
        problems.append(f"model is on {weight.device.type}, spec runs on {runtime.device.type}")
    if model.attention != runtime.attention:
        problems.append(f"model attends with {model.attention}, spec wants {runtime.attention}")
    if problems:
        raise InferenceError("INFERENCE.MODEL_SPEC_MISMATCH", "; ".join(problems))


def generate(
    model: LlamaForCausalLM, prompt_ids: list[int], request: InferenceRequest
) -> tuple[list[int], npt.NDArray[np.float32]]:
    """Decode ``request`` after ``prompt_ids``: the response and one float32 logit row per token.

    Stops after ``max_new_tokens`` tokens or after sampling ``EOS_ID``, whichever is first.
    Raises ``INFERENCE.CONTEXT_TOO_LONG`` when prompt and ``max_new_tokens`` exceed the model's
    positions, and ``INFERENCE.NONFINITE_LOGITS`` when a logit is NaN or infinite.
    """
    vocab = model.config.vocab_size
    length = len(prompt_ids) + request.max_new_tokens
    forward = BlockedForward(model, length)
    response: list[int] = []
    rows: list[npt.NDArray[np.float32]] = []
    if request.max_new_tokens == 0:
        return response, np.zeros((0, vocab), dtype=np.float32)
    forward.ids[: len(prompt_ids)] = torch.tensor(prompt_ids, dtype=torch.long)
    position = len(prompt_ids) - 1
    with torch.inference_mode():
        for block in range(position // SERVE_BLOCK):
            forward.fill_block(block)
        for index in range(request.max_new_tokens):
            logits = forward.run_block(position // SERVE_BLOCK)
            row = logits[position % SERVE_BLOCK].to(torch.float32).cpu().numpy()
            token = int(sample_tokens(row[None, :], request, index)[0])
            response.append(token)
            rows.append(row)
            if token == EOS_ID or index + 1 == request.max_new_tokens:
                break
            position += 1
            forward.ids[position] = token
    return response, np.stack(rows).reshape(len(rows), vocab)


def serve(model: LlamaForCausalLM, request: InferenceRequest, *, spec: ExecutionSpec) -> Served:
    """Serve ``request`` with ``model`` under ``spec``: the response and its validation artifact.

    ``model`` must be built for ``spec`` (``load_reference_model(configure(spec))``). Raises
    `SpecMismatch` when this machine cannot run ``spec``, ``INFERENCE.MODEL_SPEC_MISMATCH`` when
    the model was built for another runtime, and the errors of `generate`.
    """
    runtime = configure(spec)
    check_model(model, runtime)
    prompt_ids = encode_bytes(request.prompt)
    response, logits = generate(model, prompt_ids, request)
    artifact = lm_artifact(request, spec.quant_format, prompt_ids, response, logits)
    return Served(tokens=tuple(response), artifact=artifact)
