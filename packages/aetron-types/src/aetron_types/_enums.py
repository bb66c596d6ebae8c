"""Closed enumerations. On the wire each is one byte: the member's position in its class."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "AccessMode",
    "ArbitrationOutcome",
    "ArtifactKind",
    "AttentionBackend",
    "ComputeDtype",
    "HardwareArch",
    "QuantFormat",
    "ReplayOutcome",
    "TaskKind",
    "TeeVendor",
]


class QuantFormat(StrEnum):
    """Weight storage format of a task's model; defined bit for bit in ``specs/quantization.md``."""

    fp32 = "fp32"
    fp16 = "fp16"
    bf16 = "bf16"
    fp8_e4m3 = "fp8_e4m3"
    fp8_e5m2 = "fp8_e5m2"
    int8 = "int8"
    int4 = "int4"
    nf4 = "nf4"
    fp4 = "fp4"
    mxfp4 = "mxfp4"
    mxfp6_e2m3 = "mxfp6_e2m3"
    mxfp6_e3m2 = "mxfp6_e3m2"
    mxfp8_e4m3 = "mxfp8_e4m3"
    mxfp8_e5m2 = "mxfp8_e5m2"
    mxint8 = "mxint8"
    nvfp4 = "nvfp4"
    q8_0 = "q8_0"
    q4_0 = "q4_0"


class HardwareArch(StrEnum):
    """The processor family a canonical execution is pinned to (CPU ISA level or GPU generation)."""

    x86_64_avx2 = "x86_64-avx2"
    x86_64_avx512 = "x86_64-avx512"
    aarch64 = "aarch64"
    nvidia_ampere = "nvidia-ampere"
    nvidia_ada = "nvidia-ada"
    nvidia_hopper = "nvidia-hopper"
    nvidia_blackwell = "nvidia-blackwell"
    amd_cdna3 = "amd-cdna3"
    apple_silicon = "apple-silicon"


class ComputeDtype(StrEnum):
    """The dtype activations are computed in."""

    fp32 = "fp32"
    fp16 = "fp16"
    bf16 = "bf16"


class AttentionBackend(StrEnum):
    """The attention kernel family: eager, or one of PyTorch's SDPA backends."""

    eager = "eager"
    sdpa_math = "sdpa-math"
    sdpa_flash = "sdpa-flash"
    sdpa_efficient = "sdpa-efficient"
    sdpa_cudnn = "sdpa-cudnn"


class TaskKind(StrEnum):
    """What a neuronet task serves."""

    inference = "inference"
    training = "training"
    private_model = "private_model"


class ArtifactKind(StrEnum):
    """The model family a validation artifact describes."""

    causal_lm = "causal_lm"
    diffusion = "diffusion"


class AccessMode(StrEnum):
    """Who may send requests to a neuronet: anyone, or only the accounts on its allowlist."""

    open = "open"
    allowlist = "allowlist"


class ReplayOutcome(StrEnum):
    """Whether a replayer's recomputation matched the original artifact."""

    match = "match"
    mismatch = "mismatch"


class ArbitrationOutcome(StrEnum):
    """Whom the third miner's recomputation agrees with; the other side (or both) loses."""

    miner_upheld = "miner_upheld"
    replayer_upheld = "replayer_upheld"
    both_rejected = "both_rejected"


class TeeVendor(StrEnum):
    """The trusted execution environment that produced an attestation."""

    intel_tdx = "intel_tdx"
    amd_sev_snp = "amd_sev_snp"
    nvidia_cc = "nvidia_cc"
