"""Inference vectors, in groups that each live in a submodule of this package.

Each submodule defines ``GROUP``, ``generate()``, ``HANDLERS`` (handler name -> function of the
input) and optionally ``keep(relpath)``; this module joins them into one domain.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from ..._vector import Vector

DOMAIN = "inference"
_GROUPS = ("quant", "probes", "artifacts")


def _groups() -> list[ModuleType]:
    found = []
    for name in _GROUPS:
        try:
            found.append(importlib.import_module(f"{__name__}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return found


def generate() -> Iterator[Vector]:
    for group in _groups():
        yield from group.generate()


def handle(handler: str, input: dict[str, Any]) -> Any:
    handlers: dict[str, Callable[[dict[str, Any]], Any]] = {}
    for group in _groups():
        handlers.update(group.HANDLERS)
    return handlers[handler](input)


def keep(relpath: str) -> bool:
    for group in _groups():
        if relpath.startswith(f"{group.GROUP}/") and hasattr(group, "keep"):
            return bool(group.keep(relpath))
    return False
