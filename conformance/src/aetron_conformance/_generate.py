"""Regenerate vector files from the reference packages; two runs write identical bytes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ._registry import domains
from ._vector import Vector, dump_json


def generate(vectors_dir: Path, only: Iterable[str] | None = None) -> dict[str, int]:
    """Write every domain's vectors under ``vectors_dir``; return the count per domain.

    Files in a regenerated domain that its generator no longer writes are deleted, unless the
    domain's ``keep`` says they belong to other hardware.
    """
    wanted = set(only) if only is not None else None
    counts: dict[str, int] = {}
    for name, module in domains().items():
        if wanted is not None and name not in wanted:
            continue
        root = vectors_dir / name
        written: set[Path] = set()
        for vector in module.generate():
            written.add(_write(vectors_dir, vector))
        keep = getattr(module, "keep", lambda relpath: False)
        for path in sorted(root.rglob("*.json")) if root.exists() else []:
            if path not in written and not keep(path.relative_to(root).as_posix()):
                path.unlink()
        counts[name] = len(written)
    return counts


def _write(vectors_dir: Path, vector: Vector) -> Path:
    if not isinstance(vector, Vector):
        raise TypeError(f"generate() must yield Vector objects, got {type(vector).__name__}")
    path = vectors_dir / f"{vector.id}.json"
    text = dump_json(vector.to_json())
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
