"""What a language-model artifact commits to, and the replay commitment that disputes compare.

The artifact (aetron-types' 164-byte `ValidationArtifact`) binds the request, the token
context, a hash of every logit that chose a response token, and the eight largest logits of the
last of those rows. The replay commitment is one 32-byte value per (request, response): a
miner's artifact stands exactly when an honest recomputation gives the same value.
"""

from __future__ import annotations

import blake3
import numpy as np
import numpy.typing as npt
from aetron_types import (
    ARTIFACT_SAMPLE_SLOTS,
    ArtifactKind,
    InferenceRequest,
    QuantFormat,
    ValidationArtifact,
)

from ._sampling import candidate_order

__all__ = [
    "LOGIT_COMMITMENT_TAG",
    "REPLAY_COMMITMENT_TAG",
    "bf16_bits",
    "claimed_replay_commitment",
    "context_hash",
    "lm_artifact",
    "logit_commitment",
    "replay_commitment",
]

LOGIT_COMMITMENT_TAG = b"AETRON/logits/v1"
"""Domain tag of the logit commitment."""
REPLAY_COMMITMENT_TAG = b"AETRON/replay/v1"
"""Domain tag of the replay commitment."""


def context_hash(prompt_ids: list[int], response: list[int]) -> bytes:
    """BLAKE3-256 of the prompt's then the response's token ids, each a u32 little-endian."""
    ids = np.asarray(prompt_ids + response, dtype="<u4")
    return blake3.blake3(ids.tobytes()).digest()


def logit_commitment(logits: npt.NDArray[np.float32]) -> bytes:
    """BLAKE3-256 of the tag and the float32 logits (little-endian) row after row.

    Row ``t`` is the logits that chose response token ``t``: the output at position
    ``prompt_len - 1 + t``.
    """
    return blake3.blake3(LOGIT_COMMITMENT_TAG + logits.astype("<f4").tobytes()).digest()


def bf16_bits(values: npt.NDArray[np.float32]) -> list[int]:
    """bfloat16 bit patterns of finite float32 values, rounded to nearest with ties to even."""
    # Python integers for a handful of values: a chain of numpy calls costs more, above all
    # next to a model step whose code each of them evicts (diffusion replay).
    bits = values.astype("<f4", copy=False).view("<u4").tolist()
    return [(b + 0x7FFF + ((b >> 16) & 1)) >> 16 for b in bits]


def lm_artifact(
    request: InferenceRequest,
    quant_format: QuantFormat,
    prompt_ids: list[int],
    response: list[int],
    logits: npt.NDArray[np.float32],
) -> bytes:
    """The 164-byte artifact of a served request (specs/inference.md, "Language-model artifact").

    ``logits`` holds one float32 row per response token. The sample is the first eight token ids
    of the last row's candidate order with their logits as bfloat16; none when there is no row.
    """
    ids = [0] * ARTIFACT_SAMPLE_SLOTS
    values = [0] * ARTIFACT_SAMPLE_SLOTS
    count = 0
    if len(response):
        _, order = candidate_order(logits[-1:])
        top = order[0, :ARTIFACT_SAMPLE_SLOTS]
        count = len(top)
        ids[:count] = [int(i) for i in top]
        values[:count] = bf16_bits(logits[-1, top])
    artifact = ValidationArtifact(
        kind=ArtifactKind.causal_lm,
        quant_format=quant_format,
        sample_count=count,
        prompt_len=len(prompt_ids),
        output_len=len(response),
        seed=request.seed,
        request_hash=request.hash(),
        context_hash=context_hash(prompt_ids, response),
        commitment=logit_commitment(logits),
        sample_ids=tuple(ids),
        sample_values=tuple(values),
    )
    return artifact.encode()


def replay_commitment(expected: bytes | None, follows: bool) -> bytes:
    """The replay commitment of a recomputation: BLAKE3(tag || status || expected artifact).

    ``expected`` is the artifact an honest server gives for the request and response, or None
    when no honest server gives that response at all; ``follows`` says whether every response
    token is the sampler's decision. Status is 1 when both hold, else 0 (the artifact bytes
    still follow when there are any).
    """
    status = b"\x01" if expected is not None and follows else b"\x00"
    return blake3.blake3(REPLAY_COMMITMENT_TAG + status + (expected or b"")).digest()


def claimed_replay_commitment(artifact: bytes) -> bytes:
    """The replay commitment a served artifact claims: that of an honest recomputation giving it."""
    return replay_commitment(artifact, True)
