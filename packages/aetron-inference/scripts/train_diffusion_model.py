"""Train the small glyph diffusion model and write its safetensors file.

    uv run python packages/aetron-inference/scripts/train_diffusion_model.py [--steps N]

Starts from `denoiser_random_weights(DENOISER_CONFIG, DIFFUSION_INIT_SEED)`, trains noise
prediction (DDPM loss, the schedule of `aetron_inference.diffusion`) on procedurally drawn 8 x 8
glyphs with one class in ten dropped to "no class", and writes
``src/aetron_inference/diffusion/denoiser.safetensors``. Training is not bit-reproducible across
machines; the committed file is the artifact and its hash is pinned in ``DIFFUSION_MODEL_HASH``.
Prints the loss and how many 50-step samples per class land nearest their class's template.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from aetron_inference.diffusion import (
    DENOISER_CONFIG,
    DIFFUSION_INIT_SEED,
    Denoiser,
    denoiser_hash,
    denoiser_random_weights,
    glyph_batch,
    nearest_class,
    sample_chain,
)
from aetron_inference.diffusion._sampler import _alpha_bars
from aetron_types import InferenceRequest
from safetensors.torch import save_file

OUT = Path(__file__).resolve().parents[1] / "src" / "aetron_inference" / "diffusion"
BATCH = 256


def accuracy(model: Denoiser, per_class: int = 10) -> float:
    hits = 0
    for c in range(DENOISER_CONFIG.classes):
        for seed in range(per_class):
            request = InferenceRequest(
                prompt=bytes([c]), max_new_tokens=50, seed=seed, temperature_milli=0,
                top_k=0, top_p_ppm=1_000_000,
            )  # fmt: skip
            latent = sample_chain(model, request)[-1]
            hits += int(nearest_class(latent[None])[0] == c)
    return hits / (per_class * DENOISER_CONFIG.classes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--lr", type=float, default=2e-3)
    args = parser.parse_args()
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    config = DENOISER_CONFIG
    weights = denoiser_random_weights(config, DIFFUSION_INIT_SEED)
    model = Denoiser(config, weights)
    bars = torch.tensor(_alpha_bars(config.timesteps), dtype=torch.float32)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.steps)
    start = time.perf_counter()
    for step in range(1, args.steps + 1):
        x0, labels = glyph_batch(rng, BATCH)
        x0_t, c = torch.from_numpy(x0), torch.from_numpy(labels)
        c = torch.where(torch.rand(BATCH) < 0.1, torch.full_like(c, config.classes), c)
        t = torch.randint(0, config.timesteps, (BATCH,))
        noise = torch.randn_like(x0_t)
        ab = bars[t][:, None]
        xt = ab.sqrt() * x0_t + (1 - ab).sqrt() * noise
        loss = torch.nn.functional.mse_loss(model(xt, t, c), noise)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % 500 == 0:
            print(f"step {step}: loss {loss.item():.4f} ({time.perf_counter() - start:.0f} s)")
    model.requires_grad_(False).eval()
    trained = {n: model.weight(n).detach().clone().contiguous() for n in config.weight_shapes()}
    save_file(trained, str(OUT / "denoiser.safetensors"))
    print(f"class accuracy of 50-step samples: {accuracy(Denoiser(config, trained)):.2f}")
    print(f"DIFFUSION_MODEL_HASH = {denoiser_hash(trained).hex()}")


if __name__ == "__main__":
    main()
