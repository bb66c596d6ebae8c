"""Random weights from a seed, by a stream we define (BLAKE3 XOF), stable across releases."""

from __future__ import annotations

import math

import blake3
import numpy as np
import torch

from ._config import LlamaConfig

__all__ = ["INIT_STD", "random_weights"]

INIT_STD = 0.02
"""Standard deviation of every random matrix (Hugging Face's ``initializer_range``)."""
_TAG = b"AETRON.init.v1"


def _uniform(seed: bytes, name: str, count: int, bound: float) -> np.ndarray:
    stream = blake3.blake3(_TAG + len(seed).to_bytes(4, "little") + seed + name.encode())
    words = np.frombuffer(stream.digest(length=4 * count), dtype="<u4")
    # The top 24 bits give an integer in [-2**23, 2**23): exact in float32, so is the scale.
    unit = ((words >> 8).astype(np.int32) - (1 << 23)).astype(np.float32) * np.float32(2.0**-23)
    return unit * np.float32(bound)


def random_weights(config: LlamaConfig, seed: bytes) -> dict[str, torch.Tensor]:
    """Float32 weights for ``config``: norms 1, every matrix uniform with std `INIT_STD`.

    Each matrix is drawn from BLAKE3's extendable output keyed by the seed and the weight's
    name (specs/inference.md, "Random weights"), so the same seed gives the same bits anywhere.
    """
    bound = INIT_STD * math.sqrt(3.0)
    weights: dict[str, torch.Tensor] = {}
    for name, shape in config.weight_shapes().items():
        if len(shape) == 1:
            weights[name] = torch.ones(shape, dtype=torch.float32)
        else:
            count = math.prod(shape)
            weights[name] = torch.from_numpy(_uniform(seed, name, count, bound).reshape(shape))
    return weights
