"""Train the reference model on the shipped corpus and write its safetensors file.

    uv run python packages/aetron-inference/scripts/train_reference_model.py [--steps N]

Starts from `random_weights(REFERENCE_CONFIG, REFERENCE_INIT_SEED)`, trains next-byte prediction
with AdamW on ``data/corpus.txt`` (the last 5 % held out), and writes
``data/reference-model.safetensors``. Training is not bit-reproducible across machines (thread
scheduling changes float sums); the committed file is the artifact, and its hash is pinned in
``REFERENCE_MODEL_HASH``. Prints the held-out loss, perplexity and mean top-1 probability.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import torch
from aetron_inference import REFERENCE_CONFIG, LlamaForCausalLM, ModelWeights
from aetron_inference._init import random_weights
from aetron_inference._reference import REFERENCE_INIT_SEED, corpus_bytes

DATA = Path(__file__).resolve().parents[1] / "src" / "aetron_inference" / "data"
SEQ = 128
BATCH = 32


def batches(data: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    starts = torch.randint(0, data.numel() - SEQ - 1, (BATCH,), generator=generator)
    return torch.stack([data[s : s + SEQ + 1] for s in starts.tolist()])


@torch.no_grad()
def evaluate(model: LlamaForCausalLM, data: torch.Tensor) -> tuple[float, float]:
    """Mean loss (nats per byte) and mean top-1 probability over held-out windows."""
    losses, top1 = [], []
    for start in range(0, data.numel() - SEQ - 1, SEQ):
        window = data[start : start + SEQ + 1][None]
        logits = model(window[:, :-1])
        losses.append(torch.nn.functional.cross_entropy(logits[0], window[0, 1:]).item())
        top1.append(torch.softmax(logits[0], -1).max(-1).values.mean().item())
    return sum(losses) / len(losses), sum(top1) / len(top1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2400)
    parser.add_argument("--lr", type=float, default=3e-3)
    args = parser.parse_args()
    torch.manual_seed(0)
    text = torch.tensor(list(corpus_bytes()), dtype=torch.long)
    split = text.numel() * 95 // 100
    train, held = text[:split], text[split:]
    model = LlamaForCausalLM.from_weights(
        REFERENCE_CONFIG, random_weights(REFERENCE_CONFIG, REFERENCE_INIT_SEED)
    )
    model.train()
    model.requires_grad_(True)
    decay = [p for p in model.parameters() if p.ndim == 2]
    norms = [p for p in model.parameters() if p.ndim == 1]
    optimiser = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": norms, "weight_decay": 0.0}],
        lr=args.lr,
        betas=(0.9, 0.95),
    )
    warmup = args.steps // 20
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: (
            min(1.0, (step + 1) / warmup)
            * (0.1 + 0.45 * (1 + math.cos(math.pi * min(step, args.steps) / args.steps)))
        ),
    )
    generator = torch.Generator().manual_seed(0)
    began = time.monotonic()
    for step in range(args.steps):
        batch = batches(train, generator)
        logits = model(batch[:, :-1])
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1)
        )
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        if step % 200 == 0 or step == args.steps - 1:
            print(f"step {step:5d}  loss {loss.item():.4f}  {time.monotonic() - began:6.0f} s")
    model.eval()
    held_loss, top1 = evaluate(model, held)
    print(
        f"held-out loss {held_loss:.4f} nats/byte, perplexity {math.exp(held_loss):.3f}, "
        f"mean top-1 probability {top1:.3f}"
    )
    weights = ModelWeights.from_float(
        REFERENCE_CONFIG, {n: p.detach().clone() for n, p in model.state_dict().items()}
    )
    path = DATA / "reference-model.safetensors"
    weights.save(path)
    print(f"wrote {path} ({path.stat().st_size} bytes), model hash {weights.model_hash().hex()}")


if __name__ == "__main__":
    main()
