"""specs/types.md and the code say the same: field tables, sizes and the errors table."""

from __future__ import annotations

import re
from pathlib import Path

import aetron_types as t
import pytest

CHAPTER = Path(__file__).resolve().parents[3] / "specs" / "types.md"


@pytest.fixture(scope="module")
def chapter() -> str:
    if not CHAPTER.is_file():
        pytest.skip(f"no repository checkout around this package ({CHAPTER} missing)")
    return CHAPTER.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    return text.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]


def test_errors_table_lists_exactly_the_codes(chapter: str) -> None:
    errors = section(chapter, "## Errors")
    listed = re.findall(r"^\| `(TYPES\.[A-Z_]+)` \|", errors, flags=re.MULTILINE)
    assert len(listed) == len(set(listed))
    assert set(listed) == t.ERROR_CODES


@pytest.mark.parametrize("cls", t.PROTOCOL_TYPES, ids=lambda cls: cls.__name__)
def test_field_table_matches_the_model(chapter: str, cls: type[t.CanonicalModel]) -> None:
    rows = re.findall(
        r"^\| (\d+|—) \| (\d+|var) \| `(\w+)` \|",
        section(chapter, f"### {cls.__name__}"),
        flags=re.MULTILINE,
    )
    assert [name for _, _, name in rows] == list(cls.model_fields)
    # Offsets are given while every field before is fixed-size, and add up.
    offset: int | None = 0
    for given, size, _ in rows:
        assert given == (str(offset) if offset is not None else "—")
        offset = offset + int(size) if offset is not None and size != "var" else None


def field_sizes(chapter: str, name: str) -> list[str]:
    return re.findall(r"^\| (?:\d+|—) \| (\d+|var) \|", section(chapter, f"### {name}"), re.M)


def test_stated_sizes_add_up(chapter: str) -> None:
    stated = dict(re.findall(r"### (\w+)\n(?:(?!\n### ).)*?\nSize: (\d+) bytes", chapter, re.S))
    assert len(stated) == 6
    stated["ValidationArtifact"] = str(t.ARTIFACT_SIZE)
    for name, size in stated.items():
        sizes = field_sizes(chapter, name)
        assert "var" not in sizes and sum(map(int, sizes)) == int(size), name


def test_enum_tables_match_the_codes(chapter: str) -> None:
    table = section(chapter, "### Enumerations")
    for enum in (
        t.QuantFormat,
        t.HardwareArch,
        t.ComputeDtype,
        t.AttentionBackend,
        t.TaskKind,
        t.ArtifactKind,
        t.AccessMode,
        t.ReplayOutcome,
        t.ArbitrationOutcome,
        t.TeeVendor,
    ):
        row = re.search(rf"^\| `{enum.__name__}` \| (.*) \|$", table, re.MULTILINE)
        assert row is not None, enum.__name__
        listed = re.findall(r"(\d+): `([^`]+)`", row.group(1))
        assert listed == [(str(code), member.value) for code, member in enumerate(enum)]
