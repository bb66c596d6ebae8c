"""The committed vectors pass against the reference packages and regenerate byte for byte."""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

import pytest
from aetron_conformance import SubprocessAdapter, generate, run
from aetron_conformance._registry import domains

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def test_every_vector_passes_against_the_reference() -> None:
    report = run(VECTORS)
    assert not report.failed, report.failed[:20]
    assert not report.unsupported, f"vectors no handler consumed: {report.unsupported[:20]}"


@pytest.mark.parametrize("domain", sorted(domains()))
def test_regeneration_is_byte_identical(domain: str, tmp_path: Path) -> None:
    if (VECTORS / domain).exists():
        shutil.copytree(VECTORS / domain, tmp_path / domain)
    generate(tmp_path, only=[domain])
    committed = sorted(p.relative_to(VECTORS) for p in (VECTORS / domain).rglob("*.json"))
    fresh = sorted(p.relative_to(tmp_path) for p in (tmp_path / domain).rglob("*.json"))
    assert fresh == committed, (
        "regeneration adds or removes files: run `aetron-conformance generate`"
    )
    _, mismatch, errors = filecmp.cmpfiles(
        VECTORS, tmp_path, [str(p) for p in fresh], shallow=False
    )
    assert not mismatch and not errors, f"regenerated files differ: {mismatch[:10]}"


def test_subprocess_adapter_speaks_the_line_protocol(tmp_path: Path) -> None:
    sample = sorted(VECTORS.rglob("*.json"))[:: max(1, len(list(VECTORS.rglob("*.json"))) // 40)]
    if not sample:
        pytest.skip("no vectors committed yet")
    for path in sample:
        target = tmp_path / path.relative_to(VECTORS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    adapter = SubprocessAdapter(f"{sys.executable} -m aetron_conformance.adapter")
    try:
        report = run(tmp_path, adapter)
    finally:
        adapter.close()
    assert report.ok() and len(report.passed) + len(report.skipped) == len(sample), report.failed


def test_a_vector_nobody_handles_fails_the_run(tmp_path: Path) -> None:
    orphan = tmp_path / "nosuchdomain" / "x" / "case.json"
    orphan.parent.mkdir(parents=True)
    orphan.write_text(
        '{"id": "nosuchdomain/x/case", "handler": "h", "input": {}, '
        '"expected": {"result": "valid", "output": null}}\n'
    )
    report = run(tmp_path)
    assert report.unsupported == ["nosuchdomain/x/case"] and not report.ok()


def test_the_command_line_takes_domain_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from aetron_conformance.__main__ import main

    for argv in (["--domain", "types", "run"], ["run", "--domain", "types"]):
        assert main(argv) == 0
        last = capsys.readouterr().out.strip().splitlines()[-1]
        count = len(list((VECTORS / "types").rglob("*.json")))
        assert last == f"{count} passed, 0 failed"
