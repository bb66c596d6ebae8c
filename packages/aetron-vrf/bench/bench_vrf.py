"""ECVRF speed as ratios against baselines measured in the same run.

    uv run python packages/aetron-vrf/bench/bench_vrf.py [--rounds 10] [--alphas 16] [--batch 400]

Baselines: PyNaCl's Ed25519 sign and verify (libsodium), and this package's pure-Python
reference (``aetron_vrf.reference``), on the same inputs: the replay alphas of 16 epochs, since
TAI's cost depends on how many tries an alpha takes. Every operation is timed on every input in
each of several interleaved rounds; the fastest round counts, so that the load of a shared
machine weighs on baseline and candidate alike, and the inputs are averaged. The batch
verification compares one thread with all usable cores. Targets (issue 3): prove at most 11x Ed25519 sign, verify at most 8x Ed25519
verify, both at least 20x faster than the reference.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from collections.abc import Callable

import aetron_vrf
from aetron_vrf import Suite, reference, sortition
from nacl import bindings as nacl_bindings
from nacl.signing import SigningKey

WINDOW_US = 5000


def per_call_us(call: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(repeat):
        call()
    return (time.perf_counter_ns() - start) / repeat / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    parser.add_argument("--alphas", type=int, default=16, help="inputs per operation (default 16)")
    parser.add_argument("--batch", type=int, default=400, help="proofs for verify_many")
    args = parser.parse_args()

    sk = hashlib.sha256(b"bench key").digest()
    pk = aetron_vrf.public_key(sk)
    signer = SigningKey(sk)
    root = hashlib.sha256(b"root").digest()
    # The replay alphas of successive epochs: TAI's cost depends on how many tries alpha takes.
    alphas = [sortition.replay_alpha(bytes(32), epoch, root) for epoch in range(args.alphas)]
    signed = [signer.sign(alpha) for alpha in alphas]
    proofs = {suite: [aetron_vrf.prove(sk, a, suite=suite) for a in alphas] for suite in Suite}

    # One call of each operation on input i.
    ops: dict[str, Callable[[int], object]] = {
        "ed25519 sign": lambda i: signer.sign(alphas[i]),
        "ed25519 verify": lambda i: signer.verify_key.verify(signed[i]),
    }
    for suite in Suite:
        name, pis = suite.name.rsplit("_", 1)[1], proofs[suite]
        ops[f"{name} prove"] = lambda i, s=suite: aetron_vrf.prove(sk, alphas[i], suite=s)
        ops[f"{name} verify"] = lambda i, s=suite, p=pis: aetron_vrf.verify(
            pk, alphas[i], p[i], suite=s
        )
        ops[f"{name} proof_to_hash"] = lambda i, s=suite, p=pis: aetron_vrf.proof_to_hash(
            p[i], suite=s
        )
        ops[f"{name} reference prove"] = lambda i, s=suite: reference.prove(sk, alphas[i], suite=s)
        ops[f"{name} reference verify"] = lambda i, s=suite, p=pis: reference.verify(
            pk, alphas[i], p[i], suite=s
        )

    # The libsodium calls an honest proof cannot avoid, to print the floor of what any
    # implementation on PyNaCl's bindings can reach (specs/vrf.md, "Performance").
    scalar = nacl_bindings.crypto_core_ed25519_scalar_reduce(hashlib.sha512(b"s").digest())
    ops["libsodium noclamp mul"] = lambda i: nacl_bindings.crypto_scalarmult_ed25519_noclamp(
        scalar, pk
    )
    ops["libsodium base mul"] = lambda i: nacl_bindings.crypto_scalarmult_ed25519_base_noclamp(
        scalar
    )
    ops["libsodium point add"] = lambda i: nacl_bindings.crypto_core_ed25519_add(pk, pk)

    # Each measurement repeats one operation on one input for about WINDOW_US, so that every
    # operation has the same chance of falling into a quiet moment of a shared machine; the
    # fastest round counts per input, and the inputs are averaged.
    repeats = {
        label: max(1, round(WINDOW_US / per_call_us(lambda c=call: c(0), 3)))
        for label, call in ops.items()
    }
    best = {label: [float("inf")] * len(alphas) for label in ops}
    for _ in range(args.rounds):
        for label, call in ops.items():
            for i in range(len(alphas)):
                us = per_call_us(lambda c=call, i=i: c(i), repeats[label])
                best[label][i] = min(best[label][i], us)
    mean = {label: sum(times) / len(times) for label, times in best.items()}

    keys = [hashlib.sha256(b"batch key %d" % i).digest() for i in range(args.batch)]
    items = [(aetron_vrf.public_key(k), alphas[0], aetron_vrf.prove(k, alphas[0])) for k in keys]
    serial = parallel = float("inf")
    for _ in range(max(1, args.rounds // 2)):
        serial = min(serial, per_call_us(lambda: aetron_vrf.verify_many(items, workers=1), 1))
        parallel = min(parallel, per_call_us(lambda: aetron_vrf.verify_many(items), 1))

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"aetron-vrf benchmark: {args.rounds} rounds, {len(alphas)} inputs per operation "
        f"(best round each, then their mean), {cores} cores"
    )
    print(f"{'operation':<28}{'us/call':>10}")
    for label, us in mean.items():
        print(f"{label:<28}{us:>10.1f}")
    print()
    print(f"{'ratio':<44}{'value':>8}  target")
    sign, verify = mean["ed25519 sign"], mean["ed25519 verify"]
    for suite in Suite:
        name = suite.name.rsplit("_", 1)[1]
        prove_us, verify_us = mean[f"{name} prove"], mean[f"{name} verify"]
        rows = (
            (f"{name} prove / ed25519 sign", prove_us / sign, "<= 11", prove_us / sign <= 11),
            (
                f"{name} verify / ed25519 verify",
                verify_us / verify,
                "<= 8",
                verify_us / verify <= 8,
            ),
            (
                f"{name} reference prove / prove",
                mean[f"{name} reference prove"] / prove_us,
                ">= 20",
                mean[f"{name} reference prove"] / prove_us >= 20,
            ),
            (
                f"{name} reference verify / verify",
                mean[f"{name} reference verify"] / verify_us,
                ">= 20",
                mean[f"{name} reference verify"] / verify_us >= 20,
            ),
        )
        for label, value, target, met in rows:
            print(f"{label:<44}{value:>8.2f}  {target:<6} {'met' if met else 'NOT met'}")
    mul, base, add = (
        mean["libsodium noclamp mul"],
        mean["libsodium base mul"],
        mean["libsodium point add"],
    )
    # prove: Gamma = x*H and V = k*H (variable base), U = k*B, and 8*H by three doublings;
    # verify: c*Y, s*H, c*Gamma, s*B, two subtractions, 8*H and 8*Gamma.
    prove_floor, verify_floor = 2 * mul + base + 3 * add, 3 * mul + base + 8 * add
    print()
    print("floor: the libsodium calls alone, without hashing or Python (no implementation on")
    print("PyNaCl's bindings can go below it)")
    print(f"{'TAI prove floor / ed25519 sign':<44}{prove_floor / sign:>8.2f}  (target <= 11)")
    print(f"{'TAI verify floor / ed25519 verify':<44}{verify_floor / verify:>8.2f}  (target <= 8)")
    print(
        f"{'TAI reference verify / verify floor':<44}"
        f"{mean['TAI reference verify'] / verify_floor:>8.2f}  (target >= 20)"
    )
    print()
    print(
        f"{'verify_many speed-up, ' + str(args.batch) + ' TAI proofs':<44}"
        f"{serial / parallel:>8.2f}  (1 thread vs {cores})"
    )


if __name__ == "__main__":
    main()
