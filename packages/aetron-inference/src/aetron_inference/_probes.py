"""Reference probes: fixed prompts whose logit hashes pin a task's model, format and machine."""

from __future__ import annotations

import torch
from aetron_types import InferenceRequest, ReferenceProbe

from ._config import encode_bytes
from ._errors import InferenceError
from ._logits import logit_hash
from ._model import LlamaForCausalLM

__all__ = [
    "PROBE_PROMPTS",
    "probe_hash",
    "probe_request",
    "probe_requests",
    "reference_probes",
    "verify_probes",
]

PROBE_PROMPTS = (
    b"The day after Monday is",
    b"Q: What is 12 plus 30? A:",
    b"The town of Ashford lies on the river Wend, north of",
    b"Two computers that add the same numbers in a different order may not get the same answer."
    b" Each addition rounds its result, and the roundings pile up differently.",
    b"\x00\x01\xfe\xff caf\xc3\xa9 \xe2\x82\xac 42 \t\n",
)
"""The reference probe prompts: in-distribution text, a long one, and bytes it never saw."""


def probe_request(prompt: bytes) -> InferenceRequest:
    """``prompt`` as a probe: a greedy, prefill-only request (``max_new_tokens`` = 0)."""
    return InferenceRequest(
        prompt=prompt,
        max_new_tokens=0,
        seed=0,
        temperature_milli=0,
        top_k=0,
        top_p_ppm=1_000_000,
    )


def probe_requests() -> tuple[InferenceRequest, ...]:
    """`PROBE_PROMPTS` as probe requests (`probe_request`)."""
    return tuple(probe_request(prompt) for prompt in PROBE_PROMPTS)


@torch.inference_mode()
def probe_hash(model: LlamaForCausalLM, request: InferenceRequest) -> bytes:
    """Logit hash of one probe: ``BOS`` + prompt bytes, alone in a batch of one, no cache.

    Every position's logits over the whole vocabulary, in the compute dtype.
    """
    if request.max_new_tokens != 0:
        raise InferenceError("INFERENCE.PROBE_NOT_PREFILL", "a probe request generates no tokens")
    device = model.model.embed_tokens.weight.device
    ids = torch.tensor([encode_bytes(request.prompt)], dtype=torch.long, device=device)
    return logit_hash(model(ids)[0])


def reference_probes(model: LlamaForCausalLM) -> tuple[ReferenceProbe, ...]:
    """The probe set with this model's hashes: what a task publishes as its ground truth."""
    return tuple(
        ReferenceProbe(request=request, expected_hash=probe_hash(model, request))
        for request in probe_requests()
    )


def verify_probes(model: LlamaForCausalLM, probes: tuple[ReferenceProbe, ...]) -> bool:
    """True when every probe's logit hash matches bit for bit; a task is rejected otherwise."""
    return all(probe_hash(model, p.request) == p.expected_hash for p in probes)
