"""Every constants table in specs/ matches the code of the package that owns the chapter."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SPECS = Path(__file__).resolve().parents[1] / "specs"

# Chapter -> the package whose modules define its constants.
OWNERS = {
    "types.md": "aetron_types",
    "vrf.md": "aetron_vrf",
    "merkle.md": "aetron_merkle",
    "emission.md": "aetron_consensus",
    "scoring.md": "aetron_consensus",
    "quantization.md": "aetron_inference",
    "inference.md": "aetron_inference",
    "training.md": "aetron_training",
    "node.md": "aetron_node",
}

_ROW = re.compile(r"^\|\s*`(?P<name>[A-Z][A-Z0-9_]*)`\s*\|\s*`(?P<value>[^`]+)`")


def constants_rows(chapter: Path) -> list[tuple[str, str]]:
    """(name, value expression) for each row of a table whose header starts `| Name | Value |`."""
    rows: list[tuple[str, str]] = []
    in_table = False
    for line in chapter.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if re.match(r"^\|\s*Name\s*\|\s*Value\s*\|", stripped):
            in_table = True
            continue
        if in_table and not stripped.startswith("|"):
            in_table = False
        if in_table and (match := _ROW.match(stripped)):
            rows.append((match["name"], match["value"]))
    return rows


def module_constants(package: str) -> dict[str, list[tuple[str, Any]]]:
    """Every UPPER_CASE module-level name in the package, with where it is defined."""
    root = importlib.import_module(package)
    modules: list[ModuleType] = [root]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if "__main__" not in info.name:
            modules.append(importlib.import_module(info.name))
    found: dict[str, list[tuple[str, Any]]] = {}
    for module in modules:
        for name, value in vars(module).items():
            if name.isupper() and not name.startswith("_"):
                found.setdefault(name, []).append((module.__name__, value))
    return found


def chapter_cases() -> list[tuple[str, str, str]]:
    cases = []
    for chapter in sorted(SPECS.glob("*.md")):
        if chapter.name == "README.md":  # its table only shows the convention
            continue
        for name, value in constants_rows(chapter):
            cases.append((chapter.name, name, value))
    return cases


def test_every_chapter_with_constants_has_an_owner() -> None:
    for chapter in sorted(SPECS.glob("*.md")):
        if chapter.name != "README.md" and constants_rows(chapter):
            assert chapter.name in OWNERS, f"{chapter.name} has constants but no owning package"


@pytest.mark.parametrize(("chapter", "name", "expression"), chapter_cases())
def test_constant_matches_code(chapter: str, name: str, expression: str) -> None:
    package = OWNERS[chapter]
    definitions = module_constants(package).get(name)
    assert definitions, f"{chapter}: `{name}` is not defined anywhere in {package}"
    namespace = dict(vars(importlib.import_module(definitions[0][0])))
    expected = eval(expression, {"__builtins__": {}}, namespace)  # spec tables are trusted input
    for where, value in definitions:
        assert value == expected, f"{chapter}: {name} = {expression} but {where} has {value!r}"
