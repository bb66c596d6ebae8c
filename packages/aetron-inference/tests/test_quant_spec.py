"""specs/quantization.md and the code say the same: tables of elements, formats, NF4, errors."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from aetron_inference.quant import (
    FORMAT_NAMES,
    LAYOUTS,
    QUANT_ERROR_CODES,
    decode_elements,
)
from aetron_inference.quant._absmax import NF4_CODEBOOK, NF4_THRESHOLDS
from aetron_inference.quant._elements import FP4_E2M1, FP6_E2M3, FP6_E3M2, FP8_E4M3, FP8_E5M2

CHAPTER = Path(__file__).resolve().parents[3] / "specs" / "quantization.md"


def table(header: str) -> list[list[str]]:
    """Rows of the first table whose header row starts with ``header``."""
    rows: list[list[str]] = []
    inside = False
    for line in CHAPTER.read_text(encoding="utf-8").splitlines():
        if line.startswith(header):
            inside = True
            continue
        if inside and line.startswith("| ---"):
            continue
        if inside and not line.startswith("|"):
            break
        if inside:
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    assert rows, f"no table headed {header!r}"
    return rows


def test_errors_table_lists_every_code_in_order() -> None:
    codes = tuple(row[0].strip("`") for row in table("| Code | Raised when |"))
    assert codes == QUANT_ERROR_CODES


def test_nf4_table_matches_the_code() -> None:
    rows = table("| Code | Value | float32 bits |")
    assert [int(r[0]) for r in rows] == list(range(16))
    values = np.array([float(r[1]) for r in rows], dtype=np.float32)
    assert np.array_equal(values, NF4_CODEBOOK)
    assert [int(r[2].strip("`"), 16) for r in rows] == NF4_CODEBOOK.view(np.uint32).tolist()
    thresholds = np.array([float(r[3]) for r in rows[:15]], dtype=np.float32)
    assert np.array_equal(thresholds, NF4_THRESHOLDS)
    assert [int(r[4].strip("`"), 16) for r in rows[:15]] == NF4_THRESHOLDS.view(np.uint32).tolist()


@pytest.mark.parametrize(
    "element", [FP8_E4M3, FP8_E5M2, FP6_E2M3, FP6_E3M2, FP4_E2M1], ids=lambda e: e.name
)
def test_element_table_matches_the_code(element) -> None:  # type: ignore[no-untyped-def]
    rows = {r[0].split()[0].strip("`"): r for r in table("| Element | Bits |")}
    row = rows[element.name]
    assert int(row[1]) == element.bits
    assert row[2] == f"{element.exponent_bits} / {element.mantissa_bits}"
    assert int(row[3]) == element.bias and int(row[4]) == element.emax
    largest, code = re.fullmatch(r"(\S+) \(`(0x[0-9A-F]+)`\)", row[5]).groups()  # type: ignore[union-attr]
    assert float(largest) == element.max_value and int(code, 16) == element.max_code
    smallest = float(eval(row[7], {"__builtins__": {}}))  # "2**-9"
    codes = np.arange(1 << element.bits)
    positive = decode_elements(codes, element.name)
    assert smallest == positive[np.isfinite(positive) & (positive > 0)].min()


def test_e8m0_row() -> None:
    row = {r[0].split()[0].strip("`"): r for r in table("| Element | Bits |")}["e8m0"]
    assert row[5] == "2**127 (`0xFE`)" and row[6] == "2**-127 (`0x00`)" and row[8] == "`0xFF`"
    assert decode_elements(np.array([0xFE, 0x00]), "e8m0").tolist() == [2.0**127, 2.0**-127]


def test_format_table_matches_the_layouts() -> None:
    rows = table("| Format | Code | Grouping |")
    assert [r[0].strip("`") for r in rows] == list(FORMAT_NAMES)
    for code, row in enumerate(rows):
        layout = LAYOUTS[row[0].strip("`")]
        assert int(row[1]) == code
        if layout.grouping == "block":
            assert row[2] == f"block of {layout.block}"
            blocks = 5
            expected = layout.part_lengths((blocks * layout.block,))
            assert row[5] == f"`{expected[0] // blocks}G`"
            assert row[6] == ("`G`" if expected[1] == blocks else f"`{expected[1] // blocks}G`")
        else:
            assert row[2] == layout.grouping
        tensor_scale = layout.tensor_scale_bytes
        assert row[7] == (f"{tensor_scale} (float32)" if tensor_scale else "0")
