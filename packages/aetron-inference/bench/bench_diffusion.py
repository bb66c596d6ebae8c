"""Diffusion replay cost: recomputing the VRF-drawn steps against generating the whole chain.

    uv run python packages/aetron-inference/bench/bench_diffusion.py

For 20, 50 and 100 denoising steps it serves requests with the shipped glyph denoiser and
replays each with the steps `replay_steps` draws, and prints, as ratios of times in this run
(medians over the requests): replay over generation (target 5 to 10 %), the overhead at 7 %
replay sampling, the artifact's share of serving, and the miner's cost of opening the chain;
then the median generation and replay times themselves. Last, the same at 20 steps for
denoisers of the same shape but wider (random weights): the fixed work of checking an opening
stays, while a step grows.

Each timed call directly follows an untimed call of the same operation on the same request, so
generation and replay are both timed warm and alike. (Timed cold, replay suffers more: its one
step pays for reloading the model's code and weights, which a generation pays once per chain.)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TypeVar

import blake3
from aetron_inference import default_spec, make_request
from aetron_inference.diffusion import (
    DENOISER_CONFIG,
    DIFFUSION_INIT_SEED,
    DIFFUSION_REPLAY_PPM,
    Denoiser,
    denoiser_random_weights,
    diffusion_artifact,
    load_diffusion_model,
    open_chain,
    replay_diffusion,
    replay_steps,
    serve_diffusion,
)
from aetron_types import ExecutionSpec

RATE = 0.07
T = TypeVar("T")


def _seconds(fn: Callable[[], T]) -> tuple[float, T]:
    fn()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _measure(model: Denoiser, spec: ExecutionSpec, steps: int, count: int) -> dict[str, float]:
    """Medians over ``count`` requests of ``steps`` steps: the ratios and the two times."""
    rows: dict[str, list[float]] = {
        k: [] for k in ("ratio", "artifact", "opening", "serve", "replay")
    }
    replayed = 0
    for i in range(count):
        request = make_request(bytes([i % 10]), max_new_tokens=steps, seed=i)
        t_serve, served = _seconds(partial(serve_diffusion, model, request, spec=spec))
        chosen = replay_steps(blake3.blake3(bytes([i])).digest(64), i, steps)
        t_open, opening = _seconds(partial(open_chain, served.chain, chosen))
        t_replay, ok = _seconds(
            partial(
                replay_diffusion,
                model,
                request,
                served.latent,
                served.artifact,
                opening,
                chosen,
                spec=spec,
            )
        )
        assert ok
        t_artifact, _ = _seconds(partial(diffusion_artifact, request, spec, served.chain))
        rows["ratio"].append(t_replay / t_serve)
        rows["artifact"].append(t_artifact / t_serve)
        rows["opening"].append(t_open / t_serve)
        rows["serve"].append(t_serve)
        rows["replay"].append(t_replay)
        replayed = len(chosen)
    medians = {k: statistics.median(v) for k, v in rows.items()}
    medians["replayed"] = replayed
    return medians


def main() -> None:
    cpu = next(p for p in ("x86_64-avx512", "x86_64-avx2", "aarch64") if _offers(p))
    spec = default_spec(hardware_arch=cpu)
    model = load_diffusion_model()
    serve_diffusion(model, make_request(b"\x00", max_new_tokens=5, seed=0), spec=spec)
    print(f"replayed share of steps: {DIFFUSION_REPLAY_PPM / 1e4:.0f} % (at least one step)")
    print("## the shipped denoiser, 40 requests per row")
    print(
        f"{'steps':>5} {'replayed':>8} {'replay/generate':>16} {'overhead@7%':>12} "
        f"{'artifact/serve':>15} {'opening/serve':>14} {'generate':>9} {'replay':>8}"
    )
    for steps in (20, 50, 100):
        m = _measure(model, spec, steps, 40)
        print(
            f"{steps:>5} {m['replayed']:>8.0f} {100 * m['ratio']:>15.2f}% "
            f"{100 * RATE * m['ratio']:>11.3f}% {100 * m['artifact']:>14.2f}% "
            f"{100 * m['opening']:>13.2f}% {1e3 * m['serve']:>6.2f} ms {1e3 * m['replay']:>5.3f} ms"
        )
    print()
    print("## wider denoisers (random weights, which time as trained ones), 20 steps, 20 requests")
    print(
        f"{'hidden':>6} {'mlp':>5} {'weights':>8} {'replay/generate':>16} {'generate':>9} {'replay':>8}"
    )
    for hidden in (128, 256, 512, 1024):
        config = replace(DENOISER_CONFIG, hidden=hidden, mlp=2 * hidden)
        weights = denoiser_random_weights(config, DIFFUSION_INIT_SEED)
        wide = Denoiser(config, weights)
        m = _measure(wide, spec, 20, 20)
        print(
            f"{hidden:>6} {2 * hidden:>5} {sum(w.numel() for w in weights.values()):>8} "
            f"{100 * m['ratio']:>15.2f}% {1e3 * m['serve']:>6.2f} ms {1e3 * m['replay']:>5.3f} ms"
        )


def _offers(arch: str) -> bool:
    from aetron_inference import detect_platforms

    return any(p.hardware_arch == arch for p in detect_platforms())


if __name__ == "__main__":
    main()
