"""Shadow replay: requests to detection for a miner cheating on a fraction f of its requests.

    uv run python packages/aetron-inference/bench/bench_shadow.py [--miners N]

Simulates miners whose batches are committed before the network's ECVRF proof draws 7 % of
them for replay (`aetron_inference.shadow`), and prints, for f = 1, 0.1 and 0.01, the mean,
median and 99th percentile of the requests served until the first replay catches the miner
against the geometric law 1 - (1 - 0.07 f)^n, and the largest gap between the two curves with
its Dvoretzky-Kiefer-Wolfowitz bound. Then the same with indistinguishable probes, and a miner
that knows the draw before committing.
"""

from __future__ import annotations

import argparse
import statistics

from aetron_inference.shadow import (
    Cheater,
    cdf_gap,
    dkw_bound,
    requests_to_detection,
    simulate,
)

ALPHA = 1e-6


def _percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--miners", type=int, default=2000)
    args = parser.parse_args()
    print(f"{args.miners} simulated miners per row, replay rate 7 %")
    print(
        f"{'f':>5} {'cheater':>10} {'probes':>6} {'mean':>9} {'theory':>9} {'median':>7} "
        f"{'theory':>7} {'p99':>6} {'theory':>7} {'never':>6} {'cdf gap':>8} {'DKW':>6}"
    )
    for cheat_ppm, horizon in ((1_000_000, 2_000), (100_000, 20_000), (10_000, 200_000)):
        for cheater, probe_ppm in ((Cheater.random, 0), (Cheater.by_content, 0)):
            _row(args.miners, cheat_ppm, horizon, cheater, probe_ppm)
    _row(args.miners // 4, 100_000, 20_000, Cheater.random, 20_000)
    _row(args.miners // 20, 100_000, 20_000, Cheater.peeking, 0)
    _row(args.miners // 20, 100_000, 20_000, Cheater.peeking, 20_000)


def _row(miners: int, cheat_ppm: int, horizon: int, cheater: Cheater, probe_ppm: int) -> None:
    run = simulate(
        cheat_ppm=cheat_ppm,
        miners=miners,
        horizon=horizon,
        seed=f"{cheat_ppm}-{cheater}-{probe_ppm}".encode(),
        cheater=cheater,
        probe_ppm=probe_ppm,
    )
    f, q = cheat_ppm / 1e6, probe_ppm / 1e6
    times = run.by_any if probe_ppm else run.by_replay
    rate = f * (0.07 + q - 0.07 * q) if cheater is not Cheater.peeking else f * q * 0.93
    caught = [t for t in times if t is not None]
    never = len(times) - len(caught)
    if rate == 0:
        print(f"{f:>5} {cheater:>10} {q:>6} {'-':>9} {'-':>9} {'-':>7} {'-':>7} {'-':>6} "
              f"{'-':>7} {never:>6}")  # fmt: skip
        return
    mean = statistics.mean(caught) if caught else float("nan")
    median = _percentile(caught, 0.5) if caught else 0
    p99 = _percentile(caught, 0.99) if caught else 0
    gap = cdf_gap(times, rate, horizon)
    print(
        f"{f:>5} {cheater:>10} {q:>6} {mean:>9.1f} {1 / rate:>9.1f} {median:>7} "
        f"{requests_to_detection(rate, 0.5):>7} {p99:>6} {requests_to_detection(rate, 0.99):>7} "
        f"{never:>6} {gap:>8.4f} {dkw_bound(miners, ALPHA):>6.3f}"
    )


if __name__ == "__main__":
    main()
