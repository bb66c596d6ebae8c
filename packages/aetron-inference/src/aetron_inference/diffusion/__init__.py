"""A small denoising diffusion model served with seeded sampling and replayed step by step.

`serve_diffusion` samples a glyph deterministically from the request's seed and commits to every
latent of the chain; `replay_diffusion` recomputes the few steps a VRF output picks
(`replay_steps`) from the latents the miner opens (`open_chain`). See specs/inference.md,
"Diffusion".
"""

from __future__ import annotations

from ._chain import (
    DIFFUSION_REPLAY_PPM,
    DIFFUSION_STEPS_TAG,
    LATENT_CHAIN_TAG,
    LATENT_LEAF_TAG,
    DiffusionServed,
    Opening,
    chain_commitment,
    diffusion_artifact,
    diffusion_replay_commitment,
    latent_leaf,
    open_chain,
    replay_diffusion,
    replay_steps,
    sample_indices,
    serve_diffusion,
)
from ._glyphs import GLYPH_CLASSES, GLYPH_SIZE, glyph_batch, glyph_templates, nearest_class
from ._model import (
    DENOISER_CONFIG,
    DIFFUSION_INIT_SEED,
    DIFFUSION_MODEL_HASH,
    DIFFUSION_MODEL_TAG,
    Denoiser,
    DenoiserConfig,
    denoiser_hash,
    denoiser_random_weights,
    load_diffusion_model,
)
from ._sampler import (
    DIFFUSION_BETA_MAX,
    DIFFUSION_BETA_MIN,
    DIFFUSION_NOISE_TAG,
    DIFFUSION_NOISE_TERMS,
    initial_noise,
    sample_chain,
    step_coefficients,
    timesteps,
)

__all__ = [
    "DENOISER_CONFIG",
    "DIFFUSION_BETA_MAX",
    "DIFFUSION_BETA_MIN",
    "DIFFUSION_INIT_SEED",
    "DIFFUSION_MODEL_HASH",
    "DIFFUSION_MODEL_TAG",
    "DIFFUSION_NOISE_TAG",
    "DIFFUSION_NOISE_TERMS",
    "DIFFUSION_REPLAY_PPM",
    "DIFFUSION_STEPS_TAG",
    "GLYPH_CLASSES",
    "GLYPH_SIZE",
    "LATENT_CHAIN_TAG",
    "LATENT_LEAF_TAG",
    "Denoiser",
    "DenoiserConfig",
    "DiffusionServed",
    "Opening",
    "chain_commitment",
    "denoiser_hash",
    "denoiser_random_weights",
    "diffusion_artifact",
    "diffusion_replay_commitment",
    "glyph_batch",
    "glyph_templates",
    "initial_noise",
    "latent_leaf",
    "load_diffusion_model",
    "nearest_class",
    "open_chain",
    "replay_diffusion",
    "replay_steps",
    "sample_chain",
    "sample_indices",
    "serve_diffusion",
    "step_coefficients",
    "timesteps",
]
