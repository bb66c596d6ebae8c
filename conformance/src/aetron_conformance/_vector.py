"""The vector file format: one case per JSON file, canonically serialised."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["HandlerError", "NotApplicable", "Vector", "dump_json", "load_vector"]


class HandlerError(ValueError):
    """A handler's typed rejection; ``code`` is the stable ``DOMAIN.REASON`` reason code."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


class NotApplicable(Exception):
    """Raised by a handler for a case this machine cannot run (a probe for other hardware)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Vector:
    """One conformance case. ``expected`` is built with :meth:`valid` or :meth:`invalid`."""

    id: str
    handler: str
    description: str
    input: dict[str, Any]
    expected: dict[str, Any]
    spec: str
    generator: str
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def domain(self) -> str:
        return self.id.split("/", 1)[0]

    @staticmethod
    def valid(output: Any) -> dict[str, Any]:
        return {"result": "valid", "output": output}

    @staticmethod
    def invalid(error: str) -> dict[str, Any]:
        return {"result": "invalid", "error": error}

    def to_json(self) -> dict[str, Any]:
        provenance: dict[str, Any] = {"spec": self.spec, "generator": self.generator}
        if self.source is not None:
            provenance["source"] = self.source
        return {
            "id": self.id,
            "domain": self.domain,
            "handler": self.handler,
            "description": self.description,
            "input": self.input,
            "expected": self.expected,
            "provenance": provenance,
            **self.extra,
        }


def dump_json(obj: Any) -> str:
    """The one text form of a vector file: sorted keys, two-space indent, trailing newline."""
    _reject_floats(obj)
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _reject_floats(obj: Any) -> None:
    if isinstance(obj, float):
        raise TypeError("vectors carry no floats; encode the value's bit pattern as hex")
    if isinstance(obj, dict):
        for value in obj.values():
            _reject_floats(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            _reject_floats(value)


def load_vector(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
