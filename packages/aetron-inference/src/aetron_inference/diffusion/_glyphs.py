"""The diffusion model's training data: ten 8 x 8 glyph classes, drawn procedurally."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["GLYPH_CLASSES", "GLYPH_SIZE", "glyph_batch", "glyph_templates", "nearest_class"]

GLYPH_SIZE = 8
"""Glyphs are ``GLYPH_SIZE`` x ``GLYPH_SIZE`` images; a latent is one, flattened row-major."""
GLYPH_CLASSES = 10
"""Number of glyph classes; the conditioning byte names one of them."""


def glyph_templates() -> npt.NDArray[np.float32]:
    """The ten class templates, ``[10, 8, 8]``: 1 on the glyph's strokes, 0 elsewhere.

    Horizontal bar, vertical bar, diagonal, anti-diagonal, plus, cross, square outline,
    filled centre square, 2 x 2 checkerboard, L.
    """
    n = GLYPH_SIZE
    t = np.zeros((GLYPH_CLASSES, n, n), dtype=np.float32)
    t[0, 3:5, 1:7] = 1
    t[1, 1:7, 3:5] = 1
    for i in range(1, 7):
        t[2, i, i] = t[2, i, i - 1] = 1
        t[3, i, n - 1 - i] = t[3, i, n - i] = 1
        t[5, i, i] = t[5, i, n - 1 - i] = 1
    t[4, 3:5, 1:7] = t[4, 1:7, 3:5] = 1
    t[6, 1, 1:7] = t[6, 6, 1:7] = t[6, 1:7, 1] = t[6, 1:7, 6] = 1
    t[7, 2:6, 2:6] = 1
    t[8] = (np.add.outer(np.arange(n) // 2, np.arange(n) // 2) % 2).astype(np.float32)
    t[9, 1:7, 1:3] = 1
    t[9, 5:7, 1:7] = 1
    return t


def glyph_batch(
    rng: np.random.Generator, count: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """``count`` random glyphs as latents in [-1, 1] (``[count, 64]``) and their class labels.

    Each is its class template shifted by up to one pixel each way, with stroke brightness
    drawn from [0.7, 1] and a little Gaussian noise.
    """
    shifted = _shifted_templates()
    labels = rng.integers(0, GLYPH_CLASSES, count)
    strokes = shifted[labels, rng.integers(0, 9, count)]
    brightness = rng.uniform(0.7, 1.0, (count, 1, 1))
    images = -1 + strokes * (1 + brightness) + rng.normal(0, 0.05, strokes.shape)
    return np.clip(images, -1, 1).reshape(count, -1).astype(np.float32), labels.astype(np.int64)


def _shifted_templates() -> npt.NDArray[np.float32]:
    templates = glyph_templates()
    shifts = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return np.stack(
        [np.stack([np.roll(t, s, axis=(0, 1)) for s in shifts]) for t in templates]
    ).astype(np.float32)


def nearest_class(latents: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """The class whose (shifted, ideal-brightness) template is nearest each latent in L2."""
    flat = (2 * _shifted_templates() - 1).reshape(GLYPH_CLASSES * 9, -1)
    distances = ((latents[:, None, :] - flat[None, :, :]) ** 2).sum(-1)
    classes: npt.NDArray[np.int64] = (distances.argmin(1) // 9).astype(np.int64)
    return classes
