"""Replay cost: one prefill over prompt + response against generating the response.

    uv run python packages/aetron-inference/bench/bench_replay_cost.py [--quick]

Generation decodes token by token through a KV cache; the replay is one cached prefill of the
whole sequence with the same capacity, which gives the same logits bit for bit (checked here).
Prints, per model, the ratio generation time / replay time measured in the same run: the factor
by which a replay is cheaper than serving (specs/inference.md, "Forward pass").
"""

from __future__ import annotations

import argparse
import time

import torch
from aetron_inference import (
    PRESETS,
    KVCache,
    LlamaConfig,
    ModelWeights,
    configure,
    default_spec,
    detect_platforms,
    load_reference_model,
    random_weights,
)


def measure(
    model: torch.nn.Module, config: LlamaConfig, prompt: int, new: int
) -> tuple[float, bool]:
    ids = torch.randint(0, 256, (1, prompt + new), generator=torch.Generator().manual_seed(0))
    capacity = prompt + new
    with torch.inference_mode():
        began = time.perf_counter()
        cache = KVCache(config, 1, capacity, torch.float32)
        steps = [model(ids[:, :prompt], cache)]
        steps += [model(ids[:, i : i + 1], cache) for i in range(prompt, prompt + new - 1)]
        generated = time.perf_counter() - began
        began = time.perf_counter()
        replayed = model(ids[:, : prompt + new - 1], KVCache(config, 1, capacity, torch.float32))
        replay = time.perf_counter() - began
    same = torch.equal(torch.cat(steps, dim=1), replayed)
    return generated / replay, same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter sequences")
    args = parser.parse_args()
    cpu = next(p.hardware_arch for p in detect_platforms() if p.device == "cpu")
    runtime = configure(default_spec(hardware_arch=cpu))
    reference = load_reference_model(runtime)
    smollm = PRESETS["smollm2-135m"]
    big = ModelWeights.from_float(smollm, random_weights(smollm, b"bench")).build(runtime)
    cases = [
        ("reference", reference, reference.config, 64, 64 if args.quick else 192),
        ("smollm2-135m", big, smollm, 32, 16 if args.quick else 48),
    ]
    for name, model, config, prompt, new in cases:
        ratio, same = measure(model, config, prompt, new)
        print(
            f"{name:>13}: prompt {prompt}, {new} new tokens: generation / replay = {ratio:.1f}x"
            f" (replay logits bit-identical: {same})"
        )


if __name__ == "__main__":
    main()
