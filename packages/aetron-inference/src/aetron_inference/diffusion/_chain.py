"""Diffusion artifacts: a commitment to every latent of the chain, and replay of a few steps.

The miner commits to the hash of each latent from the seeded noise to the output. A replayer
gets the steps a VRF output picks, recomputes each from the committed latent before it, and
checks the result's hash, so a replay costs a few steps of a generation, not all of them.
"""

from __future__ import annotations

import array
import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeGuard

import blake3
import numpy as np
import numpy.typing as npt
import torch
from aetron_types import (
    ARTIFACT_SAMPLE_SLOTS,
    ARTIFACT_SIZE,
    ArtifactKind,
    ExecutionSpec,
    InferenceRequest,
    ValidationArtifact,
)

from .._commitment import bf16_bits, replay_commitment
from .._errors import InferenceError
from .._runtime import configure
from ._model import Denoiser
from ._sampler import (
    conditioning_class,
    denoise_step,
    initial_noise,
    sample_chain,
    step_coefficients,
)

__all__ = [
    "DIFFUSION_REPLAY_PPM",
    "DIFFUSION_STEPS_TAG",
    "LATENT_CHAIN_TAG",
    "LATENT_LEAF_TAG",
    "DiffusionServed",
    "Opening",
    "chain_commitment",
    "diffusion_artifact",
    "diffusion_replay_commitment",
    "latent_leaf",
    "open_chain",
    "replay_diffusion",
    "replay_steps",
    "sample_indices",
    "serve_diffusion",
]

LATENT_LEAF_TAG = b"AETRON/latent/v1"
"""Domain tag of one latent's hash."""
LATENT_CHAIN_TAG = b"AETRON/latent-chain/v1"
"""Domain tag of the latent-chain commitment."""
DIFFUSION_STEPS_TAG = b"AETRON/diffusion-steps/v1"
"""Domain tag of the replayed-step draw."""
DIFFUSION_REPLAY_PPM = 50_000
"""Share of a request's steps a replay recomputes, in ppm (at least one step)."""
_FLOAT32 = np.dtype(np.float32)


def latent_leaf(index: int, latent: npt.NDArray[np.float32]) -> bytes:
    """BLAKE3(``LATENT_LEAF_TAG`` || u32le(index) || float32 little-endian bytes of the latent)."""
    body = index.to_bytes(4, "little") + latent.astype("<f4", copy=False).tobytes()
    return blake3.blake3(LATENT_LEAF_TAG + body).digest()


def chain_commitment(leaves: Sequence[bytes], latent_size: int) -> bytes:
    """BLAKE3(tag || u32le(steps) || u32le(latent size) || leaf 0 || ... || leaf steps)."""
    head = (len(leaves) - 1).to_bytes(4, "little") + latent_size.to_bytes(4, "little")
    return blake3.blake3(LATENT_CHAIN_TAG + head + b"".join(leaves)).digest()


def sample_indices(steps: int) -> list[int]:
    """The chain indices the artifact samples: ``(j + 1) * steps // 8`` for eight j, or 1..steps."""
    if steps < ARTIFACT_SAMPLE_SLOTS:
        return list(range(1, steps + 1))
    return [(j + 1) * steps // ARTIFACT_SAMPLE_SLOTS for j in range(ARTIFACT_SAMPLE_SLOTS)]


def _sums_of_squares(latents: Sequence[npt.NDArray[np.float32]]) -> list[float]:
    """Each latent's ``fsum(x**2)``: the exact sum of its squares, rounded once to float64."""
    # Squares of float32 values are exact in float64 (24-bit significands give at most 48
    # bits, exponents stay in range) and fsum is correctly rounded, so there is no order to
    # pin. numpy squares all latents in one call, the same floats as squaring in Python, and
    # fsum reads them from a view, so no float is made twice.
    if not latents:
        return []
    squares = np.square(np.concatenate(latents), dtype=np.float64).data
    sums, start = [], 0
    for x in latents:
        sums.append(math.fsum(squares[start : start + x.size]))
        start += x.size
    return sums


def _sample_bf16(latents: Sequence[npt.NDArray[np.float32]]) -> list[int]:
    """Each latent's root mean square ``sqrt(fsum(x**2) / n)``, as bfloat16 bit patterns."""
    # A replay runs this next to a model step whose code each numpy call evicts: array("f")
    # rounds to float32 with a C cast instead, to nearest-even like numpy's astype, overflow
    # to inf included.
    sums = _sums_of_squares(latents)
    rms = array.array("f", [math.sqrt(s / x.size) for s, x in zip(sums, latents, strict=True)])
    return bf16_bits(np.frombuffer(rms, dtype=np.float32))


def _artifact(
    request: InferenceRequest,
    spec: ExecutionSpec,
    steps: int,
    size: int,
    commitment: bytes,
    samples: Sequence[npt.NDArray[np.float32]],
) -> bytes:
    indices = sample_indices(steps)
    pad = ARTIFACT_SAMPLE_SLOTS - len(indices)
    # Every field is in range by construction (steps checked against the schedule, hashes of
    # 32 bytes, u16 sample values), so the encoder is not made to validate them again.
    artifact = ValidationArtifact.model_construct(
        kind=ArtifactKind.diffusion,
        quant_format=spec.quant_format,
        sample_count=len(indices),
        prompt_len=steps,
        output_len=size,
        seed=request.seed,
        request_hash=request.hash(),
        context_hash=blake3.blake3(request.prompt).digest(),
        commitment=commitment,
        sample_ids=tuple(indices + [0] * pad),
        sample_values=tuple(_sample_bf16(samples) + [0] * pad),
    )
    return artifact.encode()


def diffusion_artifact(
    request: InferenceRequest, spec: ExecutionSpec, chain: Sequence[npt.NDArray[np.float32]]
) -> bytes:
    """The 164-byte artifact of a served diffusion request (specs/inference.md, "Diffusion").

    Steps as ``prompt_len``, latent elements as ``output_len``, BLAKE3 of the conditioning as
    ``context_hash``, `chain_commitment` as ``commitment``, and at `sample_indices` each
    latent's root mean square as bfloat16.
    """
    steps, size = len(chain) - 1, chain[0].size
    commitment = chain_commitment([latent_leaf(k, x) for k, x in enumerate(chain)], size)
    return _artifact(
        request, spec, steps, size, commitment, [chain[k] for k in sample_indices(steps)]
    )


@dataclass(frozen=True)
class DiffusionServed:
    """A served diffusion request: the output latent, the chain the miner keeps, the artifact."""

    latent: npt.NDArray[np.float32]
    chain: tuple[npt.NDArray[np.float32], ...]
    artifact: bytes


def _check_runtime(model: Denoiser, spec: ExecutionSpec) -> None:
    runtime = configure(spec)
    device = model.device.type
    if runtime.dtype != torch.float32:
        raise InferenceError("INFERENCE.MODEL_SPEC_MISMATCH", "the denoiser computes in float32")
    if device != runtime.device.type:
        raise InferenceError(
            "INFERENCE.MODEL_SPEC_MISMATCH", f"denoiser on {device}, spec runs on {runtime.device}"
        )


def serve_diffusion(
    model: Denoiser, request: InferenceRequest, *, spec: ExecutionSpec
) -> DiffusionServed:
    """Sample ``request`` (steps in ``max_new_tokens``, class byte as prompt) under ``spec``.

    ``model`` must be loaded in ``spec``'s format (`load_diffusion_model`). Raises
    `SpecMismatch`, ``INFERENCE.MODEL_SPEC_MISMATCH``, ``INFERENCE.BAD_STEPS`` or
    ``INFERENCE.BAD_CONDITIONING``.
    """
    _check_runtime(model, spec)
    chain = sample_chain(model, request)
    return DiffusionServed(chain[-1], tuple(chain), diffusion_artifact(request, spec, chain))


def replay_steps(beta: bytes, index: int, steps: int) -> tuple[int, ...]:
    """The transitions a replay recomputes, ascending, drawn from a replay assignment's VRF beta.

    ``ceil(steps * DIFFUSION_REPLAY_PPM / 10**6)`` distinct transitions in ``1..steps``: draw
    ``d_i`` = first 8 bytes (little-endian) of BLAKE3(tag || beta || u32le(index) || u32le(i))
    for i = 0, 1, ...; the candidate is ``1 + (d_i * steps >> 64)``; repeats are skipped.
    """
    count = max(1, -(-steps * DIFFUSION_REPLAY_PPM // 1_000_000))
    prefix = DIFFUSION_STEPS_TAG + beta + index.to_bytes(4, "little")
    chosen: set[int] = set()
    i = 0
    while len(chosen) < count:
        draw = int.from_bytes(blake3.blake3(prefix + i.to_bytes(4, "little")).digest(8), "little")
        chosen.add(1 + (draw * steps >> 64))
        i += 1
    return tuple(sorted(chosen))


@dataclass(frozen=True)
class Opening:
    """What a miner reveals for a replay: every latent's leaf hash and some latents in full."""

    leaves: tuple[bytes, ...]
    latents: Mapping[int, npt.NDArray[np.float32]]


def open_chain(chain: Sequence[npt.NDArray[np.float32]], steps: Sequence[int]) -> Opening:
    """The opening for replaying transitions ``steps``: the latent before each, and the sampled ones."""
    wanted = {k - 1 for k in steps} | set(sample_indices(len(chain) - 1))
    leaves = tuple(latent_leaf(k, x) for k, x in enumerate(chain))
    return Opening(leaves, {k: chain[k] for k in sorted(wanted)})


def _verified(
    model: Denoiser,
    request: InferenceRequest,
    latent: object,
    artifact: bytes,
    leaves: object,
    latents: Mapping[int, object],
    steps: Sequence[int],
    spec: ExecutionSpec,
) -> bool:
    n, size = request.max_new_tokens, model.config.latent
    try:
        cls = conditioning_class(request, model.config.classes)
        coefficients = step_coefficients(n, model.config.timesteps)
    except InferenceError:
        return False
    if not isinstance(leaves, tuple | list) or len(leaves) != n + 1:
        return False
    if not all(isinstance(x, bytes) and len(x) == 32 for x in leaves):
        return False
    if not _is_latent(latent, size) or any(not 1 <= k <= n or k - 1 not in latents for k in steps):
        return False
    opened: dict[int, npt.NDArray[np.float32]] = {}
    for k, x in latents.items():
        if not 0 <= k <= n or not _is_latent(x, size) or latent_leaf(k, x) != leaves[k]:
            return False
        opened[k] = x
    indices = sample_indices(n)
    if any(k not in opened for k in indices):
        return False
    # The output and the noise are checked against their leaves; where the same index is
    # opened, and so already checked, equal bytes have that leaf and the hash is skipped.
    if not _has_leaf(n, latent, leaves, opened):
        return False
    if not _has_leaf(0, initial_noise(request.seed, size), leaves, opened):
        return False
    commitment = chain_commitment(leaves, size)
    try:
        expected = _artifact(request, spec, n, size, commitment, [opened[k] for k in indices])
    except OverflowError:
        # A negative NaN sample rounds to a bfloat16 pattern past u16: no artifact holds it.
        return False
    if artifact != expected:
        return False
    for k in steps:
        t, a, b = coefficients[k - 1]
        if latent_leaf(k, denoise_step(model, opened[k - 1], t, cls, a, b)) != leaves[k]:
            return False
    return True


def _has_leaf(
    index: int,
    x: npt.NDArray[np.float32],
    leaves: Sequence[bytes],
    checked: Mapping[int, npt.NDArray[np.float32]],
) -> bool:
    known = checked.get(index)
    if known is not None and known.tobytes() == x.tobytes():
        return True
    return latent_leaf(index, x) == leaves[index]


def _is_latent(x: object, size: int) -> TypeGuard[npt.NDArray[np.float32]]:
    return isinstance(x, np.ndarray) and x.dtype == _FLOAT32 and x.shape == (size,)


def replay_diffusion(
    model: Denoiser,
    request: InferenceRequest,
    latent: npt.NDArray[np.float32],
    artifact: bytes,
    opening: Opening,
    steps: Sequence[int],
    *,
    spec: ExecutionSpec,
) -> bool:
    """True exactly when the artifact and opening check out and every step in ``steps`` recomputes.

    Checks the artifact byte for byte against the one the request, the spec, the opened leaves
    and the opened sample latents give (header fields, commitment of the leaves, samples),
    every opened latent and the served output against their leaves, the first leaf against
    the seeded noise, and for each transition ``k`` in ``steps`` that one denoising step from
    latent ``k - 1`` gives leaf ``k``. Malformed input gives False, never an exception.
    Raises `SpecMismatch` or ``INFERENCE.MODEL_SPEC_MISMATCH``.
    """
    _check_runtime(model, spec)
    if not isinstance(artifact, bytes) or len(artifact) != ARTIFACT_SIZE:
        return False
    if not isinstance(opening, Opening) or not isinstance(opening.latents, Mapping):
        return False
    try:
        steps = [operator.index(k) for k in steps]
        latents = {operator.index(k): x for k, x in opening.latents.items()}
    except TypeError:
        return False
    if len(latents) != len(opening.latents):
        return False
    return _verified(model, request, latent, artifact, opening.leaves, latents, steps, spec)


def diffusion_replay_commitment(
    model: Denoiser,
    request: InferenceRequest,
    latent: npt.NDArray[np.float32],
    artifact: bytes,
    opening: Opening,
    steps: Sequence[int],
    *,
    spec: ExecutionSpec,
) -> bytes:
    """The replay commitment a diffusion replayer or arbiter reports (for `arbitrate`).

    The artifact's own claim (`claimed_replay_commitment`) when `replay_diffusion` accepts,
    else the commitment of a failed recomputation of it.
    """
    passed = replay_diffusion(model, request, latent, artifact, opening, steps, spec=spec)
    return replay_commitment(artifact if isinstance(artifact, bytes) else None, passed)
