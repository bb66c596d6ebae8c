"""Verifying many proofs at once on every core."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from ._args import as_uint, check_suite
from ._constants import MAX_WORKERS
from ._ecvrf import verify
from ._errors import ErrorCode, InvalidProof
from ._suite import DEFAULT_SUITE, Suite

__all__ = ["verify_many"]

_CHUNKS_PER_WORKER = 4


def _usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _verify_chunk(
    items: Sequence[tuple[bytes, bytes, bytes]], suite: Suite
) -> list[bytes | InvalidProof]:
    results: list[bytes | InvalidProof] = []
    for pk, alpha, pi in items:
        try:
            results.append(verify(pk, alpha, pi, suite=suite))
        except InvalidProof as exc:
            results.append(exc)
    return results


def verify_many(
    items: Iterable[tuple[bytes, bytes, bytes]],
    *,
    suite: Suite = DEFAULT_SUITE,
    workers: int | None = None,
) -> list[bytes | InvalidProof]:
    """Verify ``(pk, alpha, pi)`` triples; for each, in order, its beta or its InvalidProof.

    Each result is exactly what :func:`verify` returns or raises for that triple. ``workers``
    threads (by default, one per core this process may use; at most ``MAX_WORKERS``) take
    chunks of the triples in turn; libsodium releases the GIL, so they run in parallel.
    """
    suite = check_suite(suite)
    if workers is not None:
        as_uint(workers, "workers", MAX_WORKERS, ErrorCode.WORKERS_OUT_OF_RANGE, minimum=1)
    batch = list(items)
    threads = min(workers or _usable_cores(), len(batch))
    if threads <= 1:
        return _verify_chunk(batch, suite)
    # Several chunks per thread, so that a thread slowed by a proof that takes the reference
    # path does not hold up the others.
    size = -(-len(batch) // (threads * _CHUNKS_PER_WORKER))
    chunks = [batch[start : start + size] for start in range(0, len(batch), size)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(_verify_chunk, chunks, [suite] * len(chunks)))
    return [result for part in parts for result in part]
