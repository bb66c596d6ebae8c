"""Canonical execution: platform detection, spec checks that name every mismatch, configuration."""

from __future__ import annotations

import pytest
import torch
from aetron_inference import (
    SpecMismatch,
    check_spec,
    configure,
    default_spec,
    detect_platforms,
    torch_version,
)
from aetron_inference._runtime import _nvidia_arch, spec_problems
from aetron_types import ExecutionSpec, HardwareArch

KNOWN = {a.value for a in HardwareArch}


def cpu_arch() -> str:
    return next(p.hardware_arch for p in detect_platforms() if p.device == "cpu")


def test_this_machine_is_a_known_architecture() -> None:
    platforms = detect_platforms()
    print("platforms here:", [(p.hardware_arch, p.detail) for p in platforms])
    assert platforms and all(p.hardware_arch in KNOWN for p in platforms)
    assert all(p.torch_version == torch_version() for p in platforms)
    assert "+" not in torch_version()


def test_default_spec_passes_its_own_check() -> None:
    for platform in detect_platforms():
        spec = default_spec(hardware_arch=platform.hardware_arch)
        assert check_spec(spec) == platform


@pytest.mark.parametrize(
    ("capability", "arch"),
    [
        ((8, 0), "nvidia-ampere"),
        ((8, 6), "nvidia-ampere"),
        ((8, 7), "nvidia-ampere"),
        ((8, 9), "nvidia-ada"),
        ((9, 0), "nvidia-hopper"),
        ((10, 0), "nvidia-blackwell"),
        ((12, 0), "nvidia-blackwell"),
        ((7, 5), None),
    ],
)
def test_compute_capability_maps_to_an_architecture(
    capability: tuple[int, int], arch: str | None
) -> None:
    assert _nvidia_arch(*capability) == arch


def _foreign_arch() -> str:
    here = {p.hardware_arch for p in detect_platforms()}
    return next(a for a in ("nvidia-blackwell", "apple-silicon") if a not in here)


def test_a_mismatch_names_every_difference() -> None:
    arch = _foreign_arch()
    spec = ExecutionSpec(
        compute_dtype="fp32",
        quant_format="fp32",
        hardware_arch=arch,
        attention_backend="sdpa-cudnn" if arch == "apple-silicon" else "eager",
        torch_version="1.0.0",
        cuda_version="" if arch == "apple-silicon" else "0.1",
        rocm_version="6.2",
        thread_count=0,
    )
    with pytest.raises(SpecMismatch) as caught:
        check_spec(spec)
    error = caught.value
    assert error.code == "INFERENCE.SPEC_MISMATCH"
    fields = {m.split(":", 1)[0] for m in error.mismatches}
    expected = {"hardware_arch", "torch_version", "rocm_version", "thread_count"}
    expected.add("attention_backend" if arch == "apple-silicon" else "cuda_version")
    assert fields == expected, error.mismatches
    for field in expected:
        assert field in str(error)


def test_cpu_specs_name_no_gpu_runtime() -> None:
    spec = default_spec(hardware_arch=cpu_arch())
    bad = ExecutionSpec(**{**dict(spec), "cuda_version": "12.8", "attention_backend": "sdpa-cudnn"})
    problems = spec_problems(bad)
    assert [p.split(":")[0] for p in problems] == ["cuda_version", "attention_backend"]


def test_refusal_happens_before_any_setting_changes() -> None:
    torch.set_num_threads(2)
    spec = default_spec(hardware_arch=cpu_arch(), thread_count=1)
    bad = ExecutionSpec(**{**dict(spec), "torch_version": "0.0.1"})
    with pytest.raises(SpecMismatch):
        configure(bad)
    assert torch.get_num_threads() == 2


def test_configure_pins_threads_and_determinism() -> None:
    runtime = configure(
        default_spec(hardware_arch=cpu_arch(), compute_dtype="bf16", thread_count=1)
    )
    assert torch.get_num_threads() == 1
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.get_float32_matmul_precision() == "highest"
    assert runtime.dtype == torch.bfloat16 and runtime.device.type == "cpu"
    assert runtime.attention == "eager" and runtime.quant_format == "fp32"
