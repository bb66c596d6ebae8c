"""Canonical execution: detect what this machine is, refuse specs it is not, configure torch."""

from __future__ import annotations

import contextlib
import functools
import os
import platform as _platform
from dataclasses import dataclass

import torch
from aetron_types import (
    AttentionBackend,
    ComputeDtype,
    ExecutionSpec,
    HardwareArch,
    QuantFormat,
)

from ._errors import SpecMismatch

__all__ = [
    "CPU_ARCHS",
    "CUBLAS_WORKSPACE_CONFIG",
    "Platform",
    "Runtime",
    "check_spec",
    "configure",
    "default_spec",
    "detect_platforms",
    "offers",
    "spec_problems",
    "torch_version",
]

CPU_ARCHS = ("x86_64-avx2", "x86_64-avx512", "aarch64")
# cuBLAS is deterministic only with a fixed workspace; torch refuses deterministic mode without it.
CUBLAS_WORKSPACE_CONFIG = ":4096:8"

# Which attention backends each device kind runs (torch's SDPA kernels per device).
_BACKENDS = {
    "cpu": ("eager", "sdpa-math", "sdpa-flash"),
    "cuda": ("eager", "sdpa-math", "sdpa-flash", "sdpa-efficient", "sdpa-cudnn"),
    "rocm": ("eager", "sdpa-math", "sdpa-flash", "sdpa-efficient"),
    "mps": ("eager", "sdpa-math"),
}
_DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}


@dataclass(frozen=True)
class Platform:
    """One execution target this machine offers: its CPU, or one kind of accelerator."""

    hardware_arch: str
    """The `HardwareArch` value, e.g. ``"x86_64-avx512"`` or ``"nvidia-hopper"``."""
    device: str
    """The torch device type that runs it: ``"cpu"``, ``"cuda"`` or ``"mps"``."""
    torch_version: str
    cuda_version: str
    rocm_version: str
    detail: str
    """Free text for people: the CPU capability or the GPU name and compute capability."""


@dataclass(frozen=True)
class Runtime:
    """A configured torch runtime for one `ExecutionSpec` (returned by `configure`)."""

    spec: ExecutionSpec
    platform: Platform
    device: torch.device
    dtype: torch.dtype
    attention: str
    """The `AttentionBackend` value the model uses."""

    @property
    def quant_format(self) -> str:
        """The spec's weight format, as its `QuantFormat` value."""
        return str(self.spec.quant_format.value)


def torch_version() -> str:
    """Torch's release version without the local build tag (``2.13.0+cpu`` gives ``2.13.0``)."""
    return torch.__version__.split("+", 1)[0]


def _cpu_platform() -> Platform | None:
    machine = _platform.machine().lower()
    capability = torch.backends.cpu.get_cpu_capability()
    if machine in ("x86_64", "amd64"):
        # torch's own dispatch level: the kernels that actually run, not only what the chip has.
        arch = {"AVX512": "x86_64-avx512", "AVX2": "x86_64-avx2"}.get(capability)
    elif machine in ("aarch64", "arm64"):
        arch = "aarch64"
    else:
        arch = None
    if arch is None:
        return None
    return Platform(arch, "cpu", torch_version(), "", "", f"{machine} {capability}")


def _nvidia_arch(major: int, minor: int) -> str | None:
    if major == 8:
        return "nvidia-ada" if minor == 9 else "nvidia-ampere"
    if major == 9:
        return "nvidia-hopper"
    if major in (10, 12):
        return "nvidia-blackwell"
    return None


def _accelerator_platform() -> Platform | None:
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        hip = torch.version.hip
        if hip:
            gcn = str(getattr(props, "gcnArchName", ""))
            arch = "amd-cdna3" if gcn.startswith("gfx942") else None
            rocm = ".".join(hip.split(".")[:2])
            detail = f"{props.name} {gcn}"
            return Platform(arch, "cuda", torch_version(), "", rocm, detail) if arch else None
        arch = _nvidia_arch(props.major, props.minor)
        detail = f"{props.name} sm_{props.major}{props.minor}"
        cuda = torch.version.cuda or ""
        return Platform(arch, "cuda", torch_version(), cuda, "", detail) if arch else None
    if torch.backends.mps.is_available():
        return Platform("apple-silicon", "mps", torch_version(), "", "", "Apple MPS")
    return None


@functools.cache  # the hardware does not change under a running process; reading it is not free
def detect_platforms() -> tuple[Platform, ...]:
    """Every target this machine can run a spec on: the accelerator first, if any, then the CPU."""
    found = [p for p in (_accelerator_platform(), _cpu_platform()) if p is not None]
    return tuple(found)


def _family(arch: str) -> str:
    if arch in CPU_ARCHS:
        return "cpu"
    if arch.startswith("nvidia-"):
        return "cuda"
    return "rocm" if arch == "amd-cdna3" else "mps"


def _expected_versions(arch: str) -> tuple[str, str]:
    """The (cuda, rocm) versions a spec for ``arch`` must name when run by this torch build."""
    if arch.startswith("nvidia-"):
        return torch.version.cuda or "", ""
    if arch == "amd-cdna3":
        hip = torch.version.hip or ""
        return "", ".".join(hip.split(".")[:2])
    return "", ""


def spec_problems(spec: ExecutionSpec) -> tuple[str, ...]:
    """What is wrong with ``spec`` on any machine at all (empty when nothing is)."""
    arch = str(spec.hardware_arch.value)
    family = _family(arch)
    problems = []
    if family != "cuda" and spec.cuda_version:
        problems.append(f"cuda_version: {arch} runs no CUDA, spec names {spec.cuda_version!r}")
    if family != "rocm" and spec.rocm_version:
        problems.append(f"rocm_version: {arch} runs no ROCm, spec names {spec.rocm_version!r}")
    backend = str(spec.attention_backend.value)
    if backend not in _BACKENDS[family]:
        problems.append(f"attention_backend: {backend} does not run on {arch}")
    if spec.thread_count < 1:
        problems.append(f"thread_count: {spec.thread_count} is not a thread count (at least 1)")
    return tuple(problems)


def offers(spec: ExecutionSpec, platforms: tuple[Platform, ...] | None = None) -> bool:
    """Whether this machine has the spec's hardware architecture and torch version."""
    offered = detect_platforms() if platforms is None else platforms
    arch = str(spec.hardware_arch.value)
    return spec.torch_version == torch_version() and any(p.hardware_arch == arch for p in offered)


def check_spec(spec: ExecutionSpec, platforms: tuple[Platform, ...] | None = None) -> Platform:
    """Return the platform that runs ``spec``; raise `SpecMismatch` naming every difference.

    Nothing is computed and no torch setting is touched; the check only reads.
    """
    offered = detect_platforms() if platforms is None else platforms
    arch = str(spec.hardware_arch.value)
    problems = list(spec_problems(spec))
    match = next((p for p in offered if p.hardware_arch == arch), None)
    if match is None:
        names = ", ".join(p.hardware_arch for p in offered) or "nothing known"
        problems.append(f"hardware_arch: spec wants {arch}, this machine offers {names}")
    if spec.torch_version != torch_version():
        problems.append(f"torch_version: spec wants {spec.torch_version}, have {torch_version()}")
    cuda, rocm = _expected_versions(arch)
    if _family(arch) == "cuda" and spec.cuda_version != cuda:
        problems.append(f"cuda_version: spec wants {spec.cuda_version!r}, torch has {cuda!r}")
    if _family(arch) == "rocm" and spec.rocm_version != rocm:
        problems.append(f"rocm_version: spec wants {spec.rocm_version!r}, torch has {rocm!r}")
    if match is None or problems:
        raise SpecMismatch(tuple(problems))
    return match


def configure(spec: ExecutionSpec) -> Runtime:
    """Check ``spec`` against this machine (`check_spec`), then pin torch's global state to it.

    Sets the intra-op thread count (and inter-op threads where torch still allows it),
    deterministic algorithms, full-precision float32 matmuls (no TF32, no reduced-precision
    reductions) and, on CUDA, a fixed cuBLAS workspace.
    """
    runtime = _CONFIGURED.get(spec)
    if runtime is not None and _still_pinned(runtime):
        return runtime
    match = check_spec(spec)
    if match.device == "cuda":
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE_CONFIG)
    torch.set_num_threads(spec.thread_count)
    if torch.get_num_interop_threads() != spec.thread_count:
        # Fixed once inter-op work has started; eager inference runs no inter-op tasks anyway.
        with contextlib.suppress(RuntimeError):
            torch.set_num_interop_threads(spec.thread_count)
    torch.use_deterministic_algorithms(True)
    torch.set_float32_matmul_precision("highest")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = False
    torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    runtime = Runtime(
        spec=spec,
        platform=match,
        device=torch.device(match.device),
        dtype=_DTYPES[str(spec.compute_dtype.value)],
        attention=str(spec.attention_backend.value),
    )
    if len(_CONFIGURED) >= 64:
        _CONFIGURED.clear()
    _CONFIGURED[spec] = runtime
    return runtime


# The runtime each spec was last configured to. The spec check reads only the spec and this
# process's torch and hardware, so while torch stays pinned a call may return it at once:
# setting everything again costs more than a 20-step diffusion replay's other checks together.
_CONFIGURED: dict[ExecutionSpec, Runtime] = {}


def _still_pinned(runtime: Runtime) -> bool:
    # The settings above that CPU kernels read (cuBLAS, cuDNN and the inter-op pool do not run
    # there); any other device is configured again on every call.
    return (
        runtime.device.type == "cpu"
        and torch.get_num_threads() == runtime.spec.thread_count
        and torch.are_deterministic_algorithms_enabled()
        and not torch.is_deterministic_algorithms_warn_only_enabled()
        and torch.get_float32_matmul_precision() == "highest"
    )


def default_spec(
    quant_format: str = "fp32",
    *,
    hardware_arch: str | None = None,
    compute_dtype: str = "fp32",
    attention_backend: str = "eager",
    thread_count: int = 1,
) -> ExecutionSpec:
    """A spec this machine runs: its accelerator if it has one (else its CPU) unless named."""
    offered = detect_platforms()
    if hardware_arch is None:
        if not offered:
            raise SpecMismatch(("hardware_arch: this machine is no known architecture",))
        hardware_arch = offered[0].hardware_arch
    cuda, rocm = _expected_versions(hardware_arch)
    return ExecutionSpec(
        compute_dtype=ComputeDtype(compute_dtype),
        quant_format=QuantFormat(quant_format),
        hardware_arch=HardwareArch(hardware_arch),
        attention_backend=AttentionBackend(attention_backend),
        torch_version=torch_version(),
        cuda_version=cuda,
        rocm_version=rocm,
        thread_count=thread_count,
    )
