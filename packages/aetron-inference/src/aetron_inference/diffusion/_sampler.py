"""Seeded deterministic sampling (DDIM, eta = 0): exact noise, exact schedule, one step at a time."""

from __future__ import annotations

import math
from functools import cache

import blake3
import numpy as np
import numpy.typing as npt
import torch
from aetron_types import InferenceRequest

from .._errors import InferenceError
from ._model import Denoiser

__all__ = [
    "DIFFUSION_BETA_MAX",
    "DIFFUSION_BETA_MIN",
    "DIFFUSION_NOISE_TAG",
    "DIFFUSION_NOISE_TERMS",
    "conditioning_class",
    "denoise_step",
    "initial_noise",
    "sample_chain",
    "step_coefficients",
    "timesteps",
]

DIFFUSION_BETA_MIN = 0.001
"""Noise variance added at the first training timestep."""
DIFFUSION_BETA_MAX = 0.2
"""Noise variance added at the last training timestep (linear in between)."""
DIFFUSION_NOISE_TAG = b"AETRON/diffusion-noise/v1"
"""Domain tag of the initial-noise stream."""
DIFFUSION_NOISE_TERMS = 12
"""Uniform words summed per noise element (Irwin-Hall: mean 6, variance 1 before centring)."""


def conditioning_class(request: InferenceRequest, classes: int) -> int:
    """The class a diffusion request asks for: its one prompt byte, or ``classes`` for none."""
    if request.prompt == b"":
        return classes
    if len(request.prompt) != 1 or request.prompt[0] >= classes:
        raise InferenceError(
            "INFERENCE.BAD_CONDITIONING", f"the prompt must be empty or one byte below {classes}"
        )
    return request.prompt[0]


def timesteps(steps: int, train_steps: int) -> list[int]:
    """The ``steps`` training timesteps sampling visits, ascending: ``(j + 1) * T // steps - 1``."""
    if not 1 <= steps <= train_steps:
        raise InferenceError("INFERENCE.BAD_STEPS", f"{steps} steps, not 1..{train_steps}")
    return [(j + 1) * train_steps // steps - 1 for j in range(steps)]


@cache
def _alpha_bars(train_steps: int) -> tuple[float, ...]:
    product, out = 1.0, []
    for s in range(train_steps):
        beta = (DIFFUSION_BETA_MAX - DIFFUSION_BETA_MIN) * s / (
            train_steps - 1
        ) + DIFFUSION_BETA_MIN
        product *= 1.0 - beta
        out.append(product)
    return tuple(out)


@cache
def step_coefficients(
    steps: int, train_steps: int
) -> tuple[tuple[int, np.float32, np.float32], ...]:
    """For transitions ``k = 1..steps``: the timestep and float32 ``a``, ``b`` of ``a x + b eps``.

    Transition ``k`` denoises at ``t = timesteps[steps - k]`` towards the next lower visited
    timestep (or to clean data after the last): ``a = sqrt(ab_prev / ab)``,
    ``b = sqrt(1 - ab_prev) - sqrt(ab_prev * (1 - ab) / ab)``, in float64, then rounded once.
    """
    visit = timesteps(steps, train_steps)
    bars = _alpha_bars(train_steps)
    out = []
    for k in range(1, steps + 1):
        t = visit[steps - k]
        ab = bars[t]
        prev = bars[visit[steps - k - 1]] if k < steps else 1.0
        a = math.sqrt(prev / ab)
        b = math.sqrt(1.0 - prev) - math.sqrt(prev * (1.0 - ab) / ab)
        out.append((t, np.float32(a), np.float32(b)))
    return tuple(out)


def initial_noise(seed: int, size: int) -> npt.NDArray[np.float32]:
    """The starting latent: element ``i`` is ``(sum of 12 u32 words - 6 * 2**32) / 2**32``.

    The words are the little-endian u32s of BLAKE3's extendable output of
    ``DIFFUSION_NOISE_TAG || u64le(seed)``, twelve per element in order. The sum is exact in
    float64; one rounding to float32 follows.
    """
    stream = blake3.blake3(DIFFUSION_NOISE_TAG + seed.to_bytes(8, "little"))
    words = np.frombuffer(stream.digest(length=4 * DIFFUSION_NOISE_TERMS * size), dtype="<u4")
    sums = words.reshape(size, DIFFUSION_NOISE_TERMS).sum(axis=1, dtype=np.int64)
    # Below 2**36 in magnitude, so exact in float64 and scaled exactly by the power of two.
    centred = (sums - DIFFUSION_NOISE_TERMS // 2 * 2**32) * 2.0**-32
    noise: npt.NDArray[np.float32] = centred.astype(np.float32)
    return noise


def denoise_step(
    model: Denoiser,
    latent: npt.NDArray[np.float32],
    timestep: int,
    cls: int,
    a: np.float32,
    b: np.float32,
) -> npt.NDArray[np.float32]:
    """One transition: ``a * x + b * model(x, t, c)`` in float32, for one latent (one row)."""
    with torch.inference_mode():
        x = torch.from_numpy(latent.reshape(1, -1))
        eps = model(x, torch.tensor([timestep]), torch.tensor([cls]))
        out = torch.tensor(a) * x + torch.tensor(b) * eps
    result: npt.NDArray[np.float32] = out.reshape(-1).numpy().copy()
    return result


def sample_chain(model: Denoiser, request: InferenceRequest) -> list[npt.NDArray[np.float32]]:
    """Every latent of a request's sampling run: the seeded noise, then one per transition.

    ``request.max_new_tokens`` is the number of denoising steps; the prompt is the class byte
    (`conditioning_class`). Raises ``INFERENCE.BAD_STEPS`` or ``INFERENCE.BAD_CONDITIONING``.
    """
    config = model.config
    cls = conditioning_class(request, config.classes)
    coefficients = step_coefficients(request.max_new_tokens, config.timesteps)
    chain = [initial_noise(request.seed, config.latent)]
    for t, a, b in coefficients:
        chain.append(denoise_step(model, chain[-1], t, cls, a, b))
    return chain
