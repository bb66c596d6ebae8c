"""Hashing every level of a tree, on every core when the tree is large.

The cost floor of a tree is its ``2n - 1`` hash calls; everything else here exists to keep
the rest small. Leaves are hashed in chunks of ``2**_CHUNK_LOG`` (so the digests of a chunk
stay in cache), each chunk up to its own subtree root, and each finished level of a chunk is
copied into one buffer. The binding holds the GIL for inputs this small, so threads would not
run in parallel: a large tree is hashed by forked processes that take runs of chunks from a
shared pipe as they go (so a late fork or a busy core delays no one) and write into one
anonymous shared mapping.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import signal
import threading
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import add
from typing import Any

from ._hashing import HASH_SIZE, LEAF_PREFIX, NODE_PREFIX, Hash
from ._shape import level_offsets

__all__ = ["build_levels", "default_workers"]

_CHUNK_LOG = 12
_CHUNK = 1 << _CHUNK_LOG
# Below this many leaves per process, forking costs more than it saves.
_MIN_LEAVES_PER_WORKER = 1 << 14
# Work handed to processes in at most this many runs of chunks: 4-byte tokens that fit a
# pipe's buffer on every system.
_MAX_UNITS = 1024


def default_workers() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _next_level(level: list[bytes], function: Hash) -> list[bytes]:
    pairs = iter(level)
    # bytes.join(left, (NODE_PREFIX, right)) is NODE_PREFIX + left + right in one allocation;
    # zip hands back the same tuple each time, so there is no allocation for it either.
    joined = map(bytes.join, pairs, zip(repeat(NODE_PREFIX), pairs))
    parents = list(map(function.digest, map(function.new, joined)))
    if len(level) & 1:
        parents.append(level[-1])
    return parents


def _hash_chunks(
    leaves: Sequence[Any],
    lo: int,
    hi: int,
    top: int,
    function: Hash,
    nodes: mmap.mmap,
    offsets: list[int],
) -> None:
    """Levels ``0..top`` of chunks ``[lo, hi)``."""
    digest, new = function.digest, function.new
    for start in range(lo * _CHUNK, min(hi * _CHUNK, len(leaves)), _CHUNK):
        level = list(
            map(digest, map(new, map(add, repeat(LEAF_PREFIX), leaves[start : start + _CHUNK])))
        )
        for height in range(top + 1):
            if height:
                level = _next_level(level, function)
            at = offsets[height] + HASH_SIZE * (start >> height)
            nodes[at : at + HASH_SIZE * len(level)] = b"".join(level)


def _buffer(size: int, *, shared: bool) -> mmap.mmap:
    """Zeroed memory for the levels: shared with forked children, or private to this process.

    Writing the levels is most of a build's page faults; a private mapping can take huge pages
    (64 MB in 32 faults instead of 16,384), a shared one only where the kernel's shmem setting
    allows them.
    """
    if shared or not hasattr(mmap, "MAP_PRIVATE"):
        nodes = mmap.mmap(-1, size)
    else:
        nodes = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if hasattr(mmap, "MADV_HUGEPAGE"):
        with contextlib.suppress(OSError):
            nodes.madvise(mmap.MADV_HUGEPAGE)
    return nodes


def _can_fork() -> bool:
    # A fork copies only the calling thread; with other Python threads alive, a lock one of
    # them holds could never be released in the child.
    return hasattr(os, "fork") and threading.active_count() == 1


def _share_out(units: int, processes: int, work: Callable[[int], None]) -> None:
    """``work(unit)`` for units ``0..units-1`` (at most _MAX_UNITS), over forked processes.

    The units wait in a pipe as 4-byte tokens; this process and ``processes - 1`` children each
    read the next token when free. A unit a child did not finish (it was killed, or raised on
    a leaf that is not bytes) is done again here afterwards, so this process raises what a
    serial build would.
    """
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as tokens:  # 4 KiB at most: never blocks
        tokens.write(b"".join(unit.to_bytes(4, "little") for unit in range(units)))
    done = mmap.mmap(-1, units)

    def drain() -> None:
        while len(token := os.read(read_end, 4)) == 4:
            unit = int.from_bytes(token, "little")
            work(unit)
            done[unit] = 1

    children: list[int] = []
    try:
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:
                try:
                    drain()
                finally:
                    os._exit(0)
            children.append(pid)
        drain()
        while children:
            os.waitpid(children[-1], 0)
            children.pop()
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(read_end)
    for unit in range(units):
        if not done[unit]:
            work(unit)


def build_levels(
    leaves: Sequence[Any], function: Hash, workers: int
) -> tuple[mmap.mmap, list[int]]:
    """Every level of the tree over ``leaves`` (at least one), and the levels' byte offsets.

    Raises TypeError when a leaf is not bytes-like.
    """
    size = len(leaves)
    offsets = level_offsets(size)
    top = min(_CHUNK_LOG, len(offsets) - 2)
    processes = min(workers, size // _MIN_LEAVES_PER_WORKER)
    forked = processes >= 2 and _can_fork()
    nodes = _buffer(offsets[-1], shared=forked)
    chunks = -(-size // _CHUNK)
    if forked:
        units = min(chunks, _MAX_UNITS)
        _share_out(
            units,
            processes,
            lambda unit: _hash_chunks(
                leaves,
                chunks * unit // units,
                chunks * (unit + 1) // units,
                top,
                function,
                nodes,
                offsets,
            ),
        )
    else:
        _hash_chunks(leaves, 0, chunks, top, function, nodes, offsets)
    raw = nodes[offsets[top] : offsets[top + 1]]
    level = [raw[at : at + HASH_SIZE] for at in range(0, len(raw), HASH_SIZE)]
    height = top
    while len(level) > 1:
        level = _next_level(level, function)
        height += 1
        nodes[offsets[height] : offsets[height] + HASH_SIZE * len(level)] = b"".join(level)
    return nodes, offsets
