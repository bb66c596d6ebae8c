"""Shadow replay: the simulated detection curve is 1 - (1 - 0.07 f)^n within statistical bounds."""

from __future__ import annotations

import pytest
from aetron_inference.shadow import (
    Cheater,
    cdf_gap,
    detection_probability,
    dkw_bound,
    requests_to_detection,
    simulate,
)

ALPHA = 1e-6


@pytest.mark.parametrize(
    ("cheat_ppm", "miners", "horizon", "cheater"),
    [
        (1_000_000, 600, 400, Cheater.random),
        (100_000, 400, 3_000, Cheater.random),
        (100_000, 400, 3_000, Cheater.by_content),
    ],
)
def test_detection_curve_matches_theory(
    cheat_ppm: int, miners: int, horizon: int, cheater: Cheater
) -> None:
    run = simulate(
        cheat_ppm=cheat_ppm, miners=miners, horizon=horizon, seed=b"curve", cheater=cheater
    )
    rate = 0.07 * cheat_ppm / 1_000_000
    assert cdf_gap(run.by_replay, rate, horizon) < dkw_bound(miners, ALPHA)


def test_probes_add_their_own_detection() -> None:
    # Indistinguishable probes at 5 % catch a cheat on a probe whatever the replay draw.
    miners, horizon, cheat_ppm, probe_ppm = 400, 3_000, 100_000, 50_000
    run = simulate(
        cheat_ppm=cheat_ppm, miners=miners, horizon=horizon, seed=b"probes", probe_ppm=probe_ppm
    )
    f, q = cheat_ppm / 1e6, probe_ppm / 1e6
    rate = f * (0.07 + q - 0.07 * q)
    assert cdf_gap(run.by_any, rate, horizon) < dkw_bound(miners, ALPHA)
    assert all(
        a is not None and (r is None or a <= r)
        for a, r in zip(run.by_any, run.by_replay, strict=True)
    )


def test_a_miner_who_sees_the_draw_first_escapes_replay() -> None:
    # Why the batch is committed before the VRF draw: with the draw known in advance, a miner
    # cheats only where nobody replays. Probes still catch it.
    run = simulate(
        cheat_ppm=100_000, miners=40, horizon=3_000, seed=b"peek", cheater=Cheater.peeking,
        probe_ppm=20_000,
    )  # fmt: skip
    assert run.by_replay == (None,) * 40
    assert sum(t is not None for t in run.by_any) > 30


def test_requests_to_detection_figures() -> None:
    assert [requests_to_detection(0.07 * f, 0.99) for f in (1, 0.1, 0.01)] == [64, 656, 6577]
    assert detection_probability(1000, 0.0007) == pytest.approx(0.5035, abs=1e-4)
