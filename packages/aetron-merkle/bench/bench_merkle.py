"""Tree building against its floor and against pymerkle; proofs per second; peak memory.

Run: ``uv run python packages/aetron-merkle/bench/bench_merkle.py`` (``--help`` for options).

The floor of a tree of n leaves is its 2n - 1 hash calls and nothing else: n calls on
201-byte inputs (0x00 || a 200-byte leaf) and n - 1 calls on 65-byte inputs (0x01 || two
hashes), all made ready beforehand, through the same binding this package uses
(``blake3.blake3(x).digest()``, ``hashlib.sha256(x).digest()``). It is timed two ways (a for
loop, and C-level ``map`` into a zero-length deque) and the faster counts. The single-process
floor is the reference for the 1.25x target. The parallel floor makes the same calls in as
many forked processes as the package uses for that size, balanced as the package balances its
chunks, the forks and the wait included: the least that using those cores can cost.

Every time is the minimum over interleaved rounds in this one run; the machine is shared, so
only the ratios mean anything. Peak memory is measured in a fresh process per case, as the
growth of peak RSS (ru_maxrss) over the process holding just the leaves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import blake3
import pymerkle
from aetron_merkle import (
    MerkleTree,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
    verify_multiproof,
)
from aetron_merkle._build import _MIN_LEAVES_PER_WORKER, default_workers

LEAF_BYTES = 200
BINDINGS: dict[str, Callable[[bytes], Any]] = {"blake3": blake3.blake3, "sha256": hashlib.sha256}


def make_leaves(count: int) -> list[bytes]:
    """``count`` pseudo-random 200-byte artifacts, made a block at a time (no big buffer)."""
    leaves: list[bytes] = []
    for block in range(0, count, 4096):
        n = min(4096, count - block)
        stream = blake3.blake3(b"aetron-merkle bench %d" % block).digest(LEAF_BYTES * n)
        leaves += [stream[at : at + LEAF_BYTES] for at in range(0, LEAF_BYTES * n, LEAF_BYTES)]
    return leaves


def processes_for(count: int) -> int:
    """How many processes MerkleTree.from_leaves uses for this many leaves by default."""
    return max(1, min(default_workers(), count // _MIN_LEAVES_PER_WORKER))


def _processes(count: int) -> str:
    processes = processes_for(count)
    return f"{processes} process" + ("es" if processes > 1 else "")


# --- Floors ---------------------------------------------------------------------------------


class Floor:
    """The 2n - 1 hash calls of a tree of n leaves, inputs made beforehand."""

    def __init__(self, leaves: list[bytes], name: str) -> None:
        rng = random.Random(len(leaves))
        self.new = BINDINGS[name]
        self.digest = type(self.new(b"")).digest
        self.leaf_inputs = [b"\x00" + leaf for leaf in leaves]
        self.node_inputs = [b"\x01" + rng.randbytes(64) for _ in range(len(leaves) - 1)]

    def loop(self, lo: float = 0.0, hi: float = 1.0) -> None:
        new = self.new
        for inputs in (self.leaf_inputs, self.node_inputs):
            for x in inputs[int(lo * len(inputs)) : int(hi * len(inputs))]:
                new(x).digest()

    def mapped(self, lo: float = 0.0, hi: float = 1.0) -> None:
        for inputs in (self.leaf_inputs, self.node_inputs):
            part = inputs[int(lo * len(inputs)) : int(hi * len(inputs))]
            deque(map(self.digest, map(self.new, part)), maxlen=0)

    def parallel(self, processes: int) -> None:
        """The same calls in ``processes`` forked processes, this one included.

        Balanced the way the package balances its work: 256 runs of calls wait in a pipe and
        each process takes the next when free.
        """
        units = 256
        read_end, write_end = os.pipe()
        with os.fdopen(write_end, "wb") as tokens:
            tokens.write(b"".join(unit.to_bytes(4, "little") for unit in range(units)))

        def drain() -> None:
            while len(token := os.read(read_end, 4)) == 4:
                unit = int.from_bytes(token, "little")
                self.mapped(unit / units, (unit + 1) / units)

        pids = []
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:
                try:
                    drain()
                finally:
                    os._exit(0)
            pids.append(pid)
        drain()
        for pid in pids:
            os.waitpid(pid, 0)
        os.close(read_end)


# --- Timing ---------------------------------------------------------------------------------


def best_of(rounds: int, cases: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Minimum time of each case over ``rounds`` interleaved rounds."""
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(rounds):
        for label, run in cases.items():
            start = time.perf_counter()
            run()
            best[label] = min(best[label], time.perf_counter() - start)
    return best


def rate(operation: Callable[[int], object], items: list[int]) -> float:
    start = time.perf_counter()
    for item in items:
        operation(item)
    return len(items) / (time.perf_counter() - start)


# --- Peak memory (in a fresh process per case) -----------------------------------------------


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def probe(contender: str, count: int, name: str) -> dict[str, float]:
    leaves = make_leaves(count)
    before = _maxrss_mb(resource.RUSAGE_SELF)
    start = time.perf_counter()
    if contender == "pymerkle":
        tree: Any = pymerkle.InmemoryTree.init_from_entries(leaves, algorithm=name)
        root = tree.get_root()
    else:
        workers = 1 if contender == "serial" else None
        tree = MerkleTree.from_leaves(leaves, hash=name, workers=workers)
        root = tree.root
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": _maxrss_mb(resource.RUSAGE_SELF) - before,
        "leaves_mb": before,
        "worker_peak_mb": _maxrss_mb(resource.RUSAGE_CHILDREN),
        "root": root.hex(),  # type: ignore[dict-item]
    }


def run_probe(contender: str, count: int, name: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--probe", contender, str(count), name],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


# --- The report -------------------------------------------------------------------------------


def build_section(
    count: int, name: str, rounds: int, pymerkle_result: dict[str, Any] | None
) -> None:
    leaves = make_leaves(count)
    floor = Floor(leaves, name)
    processes = processes_for(count)
    cases: dict[str, Callable[[], object]] = {
        "floor_loop": floor.loop,
        "floor_map": floor.mapped,
        "serial": lambda: MerkleTree.from_leaves(leaves, hash=name, workers=1),
    }
    if processes > 1:
        cases["floor_parallel"] = lambda: floor.parallel(processes)
        cases["default"] = lambda: MerkleTree.from_leaves(leaves, hash=name)
    best = best_of(rounds, cases)
    base = min(best["floor_loop"], best["floor_map"])
    pbase = best.get("floor_parallel")
    print(
        f"\n{count:,} leaves of {LEAF_BYTES} bytes, hash={name}: build time, best of {rounds} rounds"
    )
    print(f"  {'':44} {'seconds':>9} {'x floor':>9} {'x par. floor':>13}")

    def row(label: str, seconds: float) -> None:
        parallel = (
            f"{seconds / pbase:13.3f}" if pbase is not None and "1 process" not in label else ""
        )
        print(f"  {label:44} {seconds:9.3f} {seconds / base:9.3f} {parallel:>13}")

    row(
        f"floor, 2n-1 calls, 1 process ({'map' if best['floor_map'] <= best['floor_loop'] else 'loop'})",
        base,
    )
    if pbase is not None:
        row(f"floor, 2n-1 calls, {_processes(count)}", pbase)
    row("aetron-merkle, workers=1 (1 process)", best["serial"])
    if processes > 1:
        row(f"aetron-merkle, default ({_processes(count)})", best["default"])
    if pymerkle_result is not None:
        row("pymerkle InmemoryTree (1 run)", pymerkle_result["seconds"])
        ours = MerkleTree.from_leaves(leaves, hash=name).root.hex()
        print(f"  pymerkle root == aetron-merkle root: {pymerkle_result['root'] == ours}")


def proofs_section(count: int, name: str, with_pymerkle: bool) -> None:
    leaves = make_leaves(count)
    tree = MerkleTree.from_leaves(leaves, hash=name)
    rng = random.Random(7)
    picks = [rng.randrange(count) for _ in range(2000)]
    proofs = {i: tree.inclusion_proof(i) for i in picks}
    hashes = {i: leaf_hash(leaves[i], hash=name) for i in picks}
    root = tree.root
    old_size = count * 3 // 5
    old_root = MerkleTree.from_leaves(leaves[:old_size], hash=name).root
    consistency = tree.consistency_proof(old_size)
    sample = sorted(rng.sample(range(count), 700))
    multi = tree.multiproof(sample)
    separate = sum(len(tree.inclusion_proof(i)) for i in sample)
    sample_hashes = [leaf_hash(leaves[i], hash=name) for i in sample]
    longest = max(len(tree.inclusion_proof(i)) for i in (0, count // 2, count - 1))
    print(f"\n{count:,} leaves, hash={name}: proofs (one process)")
    print(f"  {'':58} {'per second':>12}")

    def line(label: str, per_second: float) -> None:
        print(f"  {label:58} {per_second:12,.1f}")

    line(
        f"aetron-merkle inclusion_proof ({longest} hashes at most)",
        rate(tree.inclusion_proof, picks),
    )
    line(
        "aetron-merkle verify_inclusion",
        rate(lambda i: verify_inclusion(hashes[i], i, count, proofs[i], root, hash=name), picks),
    )
    line(
        f"aetron-merkle consistency_proof, {old_size:,} -> {count:,} leaves",
        rate(lambda _: tree.consistency_proof(old_size), picks[:500]),
    )
    line(
        "aetron-merkle verify_consistency",
        rate(
            lambda _: verify_consistency(old_size, count, old_root, root, consistency, hash=name),
            picks[:500],
        ),
    )
    line(
        "aetron-merkle multiproof of 700 leaves",
        rate(lambda _: tree.multiproof(sample), picks[:20]),
    )
    line(
        "aetron-merkle verify_multiproof of 700 leaves",
        rate(
            lambda _: verify_multiproof(sample_hashes, sample, count, multi, root, hash=name),
            picks[:20],
        ),
    )
    print(f"  multiproof of 700 leaves: {len(multi):,} hashes; 700 inclusion proofs: {separate:,}")
    if not with_pymerkle:
        return
    peer = pymerkle.InmemoryTree.init_from_entries(leaves, algorithm=name)
    peer_root = peer.get_root()
    peer_proofs = {i: peer.prove_inclusion(i + 1) for i in picks}
    peer_consistency = peer.prove_consistency(old_size, count)
    peer_old = peer.get_root(old_size)
    line("pymerkle prove_inclusion", rate(lambda i: peer.prove_inclusion(i + 1), picks))
    line(
        "pymerkle verify_inclusion",
        rate(lambda i: pymerkle.verify_inclusion(hashes[i], peer_root, peer_proofs[i]), picks),
    )
    line(
        "pymerkle prove_consistency",
        rate(lambda _: peer.prove_consistency(old_size, count), picks[:500]),
    )
    line(
        "pymerkle verify_consistency",
        rate(
            lambda _: pymerkle.verify_consistency(peer_old, peer_root, peer_consistency),
            picks[:500],
        ),
    )
    # pymerkle's path is the leaf hash followed by the RFC 9162 inclusion proof.
    same = tree.inclusion_proof(picks[0]) == peer_proofs[picks[0]].path[1:]
    print(f"  pymerkle inclusion path == aetron-merkle inclusion proof: {same}")


def memory_section(count: int, names: list[str], with_pymerkle: bool) -> dict[str, dict[str, Any]]:
    print(f"\n{count:,} leaves: peak memory above the leaves (fresh process each; MB)")
    print(f"  {'':44} {'leaves':>8} {'peak':>8} {'largest worker':>15} {'stored levels':>14}")
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        contenders = ["default", "serial"] + (
            ["pymerkle"] if with_pymerkle and name == "sha256" else []
        )
        for contender in contenders:
            got = run_probe(contender, count, name)
            results[f"{contender}/{name}"] = got
            label = {
                "default": f"aetron-merkle default ({_processes(count)})",
                "serial": "aetron-merkle workers=1",
                "pymerkle": "pymerkle InmemoryTree",
            }[contender] + f", {name}"
            worker = (
                f"{got['worker_peak_mb']:15.0f}"
                if contender == "default" and processes_for(count) > 1
                else ""
            )
            stored = f"{(2 * count) * 32 / 2**20:14.0f}" if contender != "pymerkle" else ""
            print(
                f"  {label:44} {got['leaves_mb']:8.0f} {got['peak_mb']:8.0f} {worker:>15} {stored:>14}"
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated leaf counts"
    )
    parser.add_argument("--hashes", default="blake3,sha256")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved timing rounds per size")
    parser.add_argument("--no-pymerkle", action="store_true", help="skip the peer library")
    parser.add_argument(
        "--probe", nargs=3, metavar=("CONTENDER", "COUNT", "HASH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.probe:
        contender, count, name = args.probe
        print(json.dumps(probe(contender, int(count), name)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    names = args.hashes.split(",")
    with_pymerkle = not args.no_pymerkle
    print(
        f"aetron-merkle benchmark: Python {platform.python_version()}, blake3 {blake3.__version__}, "
        f"pymerkle {pymerkle.__version__}, {default_workers()} cores, {platform.machine()}"
    )
    for count in sizes:
        memory = memory_section(count, names, with_pymerkle)
        for name in names:
            build_section(count, name, args.rounds, memory.get(f"pymerkle/{name}"))
        if count == max(sizes):
            for name in names:
                proofs_section(count, name, with_pymerkle and name == "sha256")


if __name__ == "__main__":
    main()
