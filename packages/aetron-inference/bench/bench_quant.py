"""Quantize and dequantize every format on one weight matrix, as ratios to a torch cast.

Run: ``uv run python packages/aetron-inference/bench/bench_quant.py`` (``--help`` for options).

The baseline is ``tensor.to(torch.bfloat16)`` on the same float32 matrix: one pass of torch's
vectorised C++ cast, the least any element-wise conversion of those values costs. Each time is
the minimum over interleaved rounds in this one run; the machine is shared, so only the ratios
mean anything. The default matrix is 2560 x 4096 (10.5M parameters), about the size of the
reference models' largest weights taken together.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import torch
from aetron_inference.quant import FORMATS


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2560)
    parser.add_argument("--cols", type=int, default=4096)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--formats", nargs="*", default=list(FORMATS))
    args = parser.parse_args()

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    weights = torch.from_numpy(
        (rng.standard_normal((args.rows, args.cols)) * 0.02).astype(np.float32)
    )
    print(
        f"matrix {args.rows} x {args.cols} = {weights.numel():,} float32 weights, torch threads 1"
    )
    print(f"{'format':<12} {'quantize / cast':>16} {'dequantize / cast':>18} {'baseline ms':>12}")
    for name in args.formats:
        fmt = FORMATS[name]
        q = fmt.quantize(weights)
        baseline = quantize = dequantize = float("inf")
        for _ in range(args.rounds):  # interleaved, so drift in machine load hits all three
            baseline = min(baseline, timed(partial(weights.to, torch.bfloat16)))
            quantize = min(quantize, timed(partial(fmt.quantize, weights)))
            dequantize = min(dequantize, timed(partial(fmt.dequantize, q)))
        print(
            f"{name:<12} {quantize / baseline:>15.1f}x {dequantize / baseline:>17.1f}x"
            f" {baseline * 1e3:>12.1f}"
        )


if __name__ == "__main__":
    main()
