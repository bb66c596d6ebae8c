"""The small denoising diffusion model: a residual MLP that predicts the noise in a glyph latent."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Self

import blake3
import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn

from .._errors import InferenceError
from ._glyphs import GLYPH_CLASSES, GLYPH_SIZE

__all__ = [
    "DENOISER_CONFIG",
    "DIFFUSION_INIT_SEED",
    "DIFFUSION_MODEL_HASH",
    "DIFFUSION_MODEL_TAG",
    "Denoiser",
    "DenoiserConfig",
    "denoiser_hash",
    "denoiser_random_weights",
    "load_diffusion_model",
]

DIFFUSION_MODEL_TAG = b"AETRON/diffusion-model/v1"
"""Domain tag of the diffusion model hash."""
DIFFUSION_INIT_SEED = b"AETRON diffusion model v1"
"""Seed of the random weights its training started from."""
DIFFUSION_MODEL_HASH = bytes.fromhex(
    "726e314e00db2b56652650526fdeff1eae1607524b3a33c05ebd96e84b1aa327"
)
"""`denoiser_hash` of the shipped float32 weights (``diffusion/denoiser.safetensors``)."""
_FILE = "denoiser.safetensors"
_RMS_EPS = 1e-5


@dataclass(frozen=True)
class DenoiserConfig:
    """Shape of the denoiser: latent width, residual width, MLP width, blocks, timesteps."""

    latent: int
    hidden: int
    mlp: int
    blocks: int
    timesteps: int
    classes: int

    def weight_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every weight's name and shape."""
        shapes: dict[str, tuple[int, ...]] = {
            "in_proj": (self.hidden, self.latent),
            "time_embed": (self.timesteps, self.hidden),
            "class_embed": (self.classes + 1, self.hidden),
        }
        for i in range(self.blocks):
            shapes[f"blocks.{i}.norm"] = (self.hidden,)
            shapes[f"blocks.{i}.up"] = (self.mlp, self.hidden)
            shapes[f"blocks.{i}.down"] = (self.hidden, self.mlp)
        shapes["out_norm"] = (self.hidden,)
        shapes["out_proj"] = (self.latent, self.hidden)
        return shapes


DENOISER_CONFIG = DenoiserConfig(
    latent=GLYPH_SIZE * GLYPH_SIZE, hidden=256, mlp=512, blocks=3, timesteps=100,
    classes=GLYPH_CLASSES,
)  # fmt: skip
"""The shipped denoiser: about 0.85 M weights, 100 training timesteps, 10 classes plus none."""


def _rms_norm(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + _RMS_EPS))


class Denoiser(nn.Module):
    """``eps = model(x, t, c)``: the noise in latents ``x`` at timesteps ``t`` for classes ``c``.

    ``h = in_proj(x) + time_embed[t] + class_embed[c]``; each block adds
    ``down(silu(up(rms_norm(h))))``; the output is ``out_proj(rms_norm(h))``. Class
    ``classes`` (one past the last glyph class) means no conditioning.
    """

    def __init__(self, config: DenoiserConfig, weights: dict[str, torch.Tensor]) -> None:
        super().__init__()
        expected = config.weight_shapes()
        if set(weights) != set(expected) or any(
            tuple(weights[n].shape) != s for n, s in expected.items()
        ):
            raise InferenceError("INFERENCE.BAD_WEIGHTS", "denoiser weights do not fit its config")
        self.config = config
        self.weights = nn.ParameterDict(
            {n.replace(".", "_"): nn.Parameter(weights[n].to(torch.float32)) for n in expected}
        )
        self.model_hash = denoiser_hash(weights)
        self._bind()

    def _bind(self) -> None:
        # Plain references to the parameters (a list or tuple is not registered with the
        # module): the forward pass and `device` read them without nn.Module's attribute
        # lookup, which costs a replay's runtime check more than the rest of it.
        w = self.weight
        self._blocks = [
            (w(f"blocks.{i}.norm"), w(f"blocks.{i}.up"), w(f"blocks.{i}.down"))
            for i in range(self.config.blocks)
        ]
        self._in_proj = (w("in_proj"),)

    def _apply(self, fn: Callable[[torch.Tensor], torch.Tensor], recurse: bool = True) -> Self:
        # ``to``, ``cuda``, ``float`` ... may replace the parameters: bind the new ones.
        super()._apply(fn, recurse)
        self._bind()
        return self

    @property
    def device(self) -> torch.device:
        """The device the weights are on."""
        return self._in_proj[0].device

    def weight(self, name: str) -> torch.Tensor:
        """The weight called ``name`` in `DenoiserConfig.weight_shapes`."""
        weight: torch.Tensor = self.weights[name.replace(".", "_")]
        return weight

    def forward(self, x: torch.Tensor, t: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Predicted noise ``[rows, latent]`` for ``x`` ``[rows, latent]``, ``t`` and ``c`` ``[rows]``."""
        w = self.weight
        h = F.linear(x, w("in_proj")) + w("time_embed")[t] + w("class_embed")[c]
        for norm, up, down in self._blocks:
            h = h + F.linear(F.silu(F.linear(_rms_norm(h, norm), up)), down)
        return F.linear(_rms_norm(h, w("out_norm")), w("out_proj"))


def denoiser_hash(weights: dict[str, torch.Tensor]) -> bytes:
    """BLAKE3-256 of the tag and, by name in byte order, each weight's name, shape and float32 bytes."""
    hasher = blake3.blake3(DIFFUSION_MODEL_TAG)
    for name in sorted(weights, key=str.encode):
        tensor = weights[name].detach().to(device="cpu", dtype=torch.float32).contiguous()
        encoded = name.encode()
        hasher.update(struct.pack("<H", len(encoded)) + encoded + bytes([tensor.ndim]))
        hasher.update(struct.pack(f"<{tensor.ndim}I", *tensor.shape))
        hasher.update(tensor.numpy().astype("<f4").tobytes())
    return hasher.digest()


def denoiser_random_weights(config: DenoiserConfig, seed: bytes) -> dict[str, torch.Tensor]:
    """Initial weights: norms 1, every matrix uniform with variance ``1 / fan_in``.

    Drawn from BLAKE3's extendable output of the seed and the weight's name, like the language
    model's `random_weights`, so a seed gives the same bits everywhere.
    """
    weights: dict[str, torch.Tensor] = {}
    for name, shape in config.weight_shapes().items():
        if len(shape) == 1:
            weights[name] = torch.ones(shape, dtype=torch.float32)
            continue
        count = math.prod(shape)
        stream = blake3.blake3(DIFFUSION_MODEL_TAG + seed + name.encode()).digest(length=4 * count)
        words = np.frombuffer(stream, dtype="<u4")
        unit = ((words >> 8).astype(np.int32) - (1 << 23)).astype(np.float32) * np.float32(2**-23)
        bound = math.sqrt(3.0 / shape[-1]) if "embed" not in name else math.sqrt(3.0)
        weights[name] = torch.from_numpy((unit * np.float32(bound)).reshape(shape))
    return weights


@cache
def _shipped_weights() -> dict[str, torch.Tensor]:
    ref = resources.files("aetron_inference.diffusion").joinpath(_FILE)
    with resources.as_file(ref) as path:
        weights = load_file(str(path))
    if denoiser_hash(weights) != DIFFUSION_MODEL_HASH:
        raise InferenceError("INFERENCE.DENOISER_HASH_MISMATCH", f"{_FILE} is not the pinned model")
    return weights


def load_diffusion_model(quant_format: str = "fp32") -> Denoiser:
    """The shipped denoiser, its matrices stored in ``quant_format`` and dequantized to float32.

    The model hash of a quantized denoiser covers the dequantized values it computes with.
    """
    weights = dict(_shipped_weights())
    if quant_format != "fp32":
        from ..quant import FORMATS

        if quant_format not in FORMATS:
            raise InferenceError("INFERENCE.UNKNOWN_FORMAT", f"no weight format {quant_format!r}")
        codec = FORMATS[quant_format]
        weights = {
            n: codec.dequantize(codec.quantize(w)).to(torch.float32) if w.ndim == 2 else w
            for n, w in weights.items()
        }
    return Denoiser(DENOISER_CONFIG, weights).requires_grad_(False).eval()
