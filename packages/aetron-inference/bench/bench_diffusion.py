"""Diffusion replay cost: recomputing the VRF-drawn steps against generating the whole chain.

    uv run python packages/aetron-inference/bench/bench_diffusion.py

For 20, 50 and 100 denoising steps it serves requests with the shipped glyph denoiser and
replays each with the steps `replay_steps` draws, and prints, as ratios of times in this run
(medians over the requests): replay over generation (target 5 to 10 %), the overhead at 7 %
replay sampling, the artifact's share of serving, and the miner's cost of opening the chain.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import blake3
from aetron_inference import default_spec, make_request
from aetron_inference.diffusion import (
    DIFFUSION_REPLAY_PPM,
    diffusion_artifact,
    load_diffusion_model,
    open_chain,
    replay_diffusion,
    replay_steps,
    sample_chain,
    serve_diffusion,
)

RATE = 0.07


def _seconds(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    cpu = next(p for p in ("x86_64-avx512", "x86_64-avx2", "aarch64") if _offers(p))
    spec = default_spec(hardware_arch=cpu)
    model = load_diffusion_model()
    serve_diffusion(model, make_request(b"\x00", max_new_tokens=5, seed=0), spec=spec)
    print(f"replayed share of steps: {DIFFUSION_REPLAY_PPM / 1e4:.0f} % (at least one step)")
    print(
        f"{'steps':>5} {'replayed':>8} {'replay/generate':>16} {'overhead@7%':>12} "
        f"{'artifact/serve':>15} {'opening/serve':>14}"
    )
    for steps in (20, 50, 100):
        ratios, artifacts, openings = [], [], []
        for i in range(40):
            request = make_request(bytes([i % 10]), max_new_tokens=steps, seed=i)
            t_serve, served = _seconds(lambda r=request: serve_diffusion(model, r, spec=spec))
            chosen = replay_steps(blake3.blake3(bytes([i])).digest(64), i, steps)
            t_open, opening = _seconds(lambda s=served, c=chosen: open_chain(s.chain, c))
            t_replay, ok = _seconds(
                lambda r=request, s=served, o=opening, c=chosen: replay_diffusion(
                    model, r, s.latent, s.artifact, o, c, spec=spec
                )
            )
            assert ok
            chain = served.chain  # type: ignore[attr-defined]
            t_artifact, _ = _seconds(lambda r=request, ch=chain: diffusion_artifact(r, spec, ch))
            ratios.append(t_replay / t_serve)
            artifacts.append(t_artifact / t_serve)
            openings.append(t_open / t_serve)
        ratio = statistics.median(ratios)
        print(
            f"{steps:>5} {len(chosen):>8} {100 * ratio:>15.2f}% {100 * RATE * ratio:>11.3f}% "
            f"{100 * statistics.median(artifacts):>14.2f}% {100 * statistics.median(openings):>13.2f}%"
        )
    t_chain, _ = _seconds(
        lambda: sample_chain(model, make_request(b"\x03", max_new_tokens=50, seed=1))
    )
    print(f"(one 50-step generation: {1000 * t_chain:.1f} ms)")


def _offers(arch: str) -> bool:
    from aetron_inference import detect_platforms

    return any(p.hardware_arch == arch for p in detect_platforms())


if __name__ == "__main__":
    main()
