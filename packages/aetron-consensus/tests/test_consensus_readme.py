"""The usage example in the package README runs and does what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (example,) = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    exec(compile(example, str(README), "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out.split()
    assert printed[:6] == ["OWNER", "27000000", "STAKER", "81000000", "MINER", "432000000"]
    assert len(printed[-1]) == 64  # the state root, in hex
