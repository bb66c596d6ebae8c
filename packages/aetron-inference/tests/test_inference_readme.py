"""The usage examples in the package README run, and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def examples() -> list[str]:
    if not README.is_file():  # an installed wheel's tests run without the source tree
        return []
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("example", examples(), ids=lambda text: text.splitlines()[2][:40])
def test_readme_example_runs(example: str) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, str(README), "exec"), {})
    if "b' Tuesday.'" in example:
        assert "b' Tuesday.'" in printed.getvalue().splitlines()


def test_readme_has_both_examples() -> None:
    assert len(examples()) == 2
