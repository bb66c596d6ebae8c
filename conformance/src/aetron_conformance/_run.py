"""Run vectors against the reference packages in-process, or against any adapter subprocess."""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import adapter
from ._vector import load_vector

Answer = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Report:
    passed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def ok(self, *, allow_unsupported: bool = False) -> bool:
        return not self.failed and (allow_unsupported or not self.unsupported)

    def summary(self) -> str:
        line = f"{len(self.passed)} passed, {len(self.failed)} failed"
        if self.skipped:
            line += f", {len(self.skipped)} skipped"
        if self.unsupported:
            line += f", {len(self.unsupported)} unsupported"
        return line


def vector_files(vectors_dir: Path, only: set[str] | None = None) -> Iterator[Path]:
    for path in sorted(vectors_dir.rglob("*.json")):
        if only is None or path.relative_to(vectors_dir).parts[0] in only:
            yield path


def check(vector: dict[str, Any], got: dict[str, Any]) -> str | None:
    """None when the answer matches the vector's expectation, else why not."""
    expected = vector["expected"]
    if got.get("id") != vector["id"]:
        return f"answer for {got.get('id')!r}, expected {vector['id']!r}"
    if got.get("result") != expected["result"]:
        detail = got.get("error") or got.get("output")
        return f"result {got.get('result')!r} ({detail!r}), expected {expected['result']!r}"
    if expected["result"] == "invalid" and got.get("error") != expected["error"]:
        return f"error {got.get('error')!r}, expected {expected['error']!r}"
    if expected["result"] == "valid" and got.get("output") != expected["output"]:
        return f"output {json.dumps(got.get('output'))[:300]}, expected {json.dumps(expected['output'])[:300]}"
    return None


def run(vectors_dir: Path, answer: Answer = adapter.answer, only: set[str] | None = None) -> Report:
    report = Report()
    for path in vector_files(vectors_dir, only):
        vector = load_vector(path)
        if vector.get("id") != path.relative_to(vectors_dir).with_suffix("").as_posix():
            report.failed.append((str(path), "file path does not match the vector's id"))
            continue
        request = {"id": vector["id"], "handler": vector["handler"], "input": vector["input"]}
        try:
            got = answer(request)
        except Exception as exc:  # a crash is a failure of that vector, not of the run
            report.failed.append((vector["id"], f"raised {type(exc).__name__}: {exc}"))
            continue
        if got.get("result") == "unsupported":
            report.unsupported.append(vector["id"])
            continue
        if got.get("result") == "skipped":
            report.skipped.append((vector["id"], str(got.get("reason", ""))))
            continue
        problem = check(vector, got)
        if problem is None:
            report.passed.append(vector["id"])
        else:
            report.failed.append((vector["id"], problem))
    return report


class SubprocessAdapter:
    """Speaks the line protocol to an adapter program kept running for the whole run."""

    def __init__(self, command: str) -> None:
        self._proc = subprocess.Popen(
            shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"adapter exited with status {self._proc.poll()}")
        result: dict[str, Any] = json.loads(line)
        return result

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=30)
