"""Pulse: the canonical reference workload per hardware architecture, run, signed and replayed.

    uv run python -m aetron_inference.pulse --key <64 hex digits> [--epoch N] [--arch ARCH]
    uv run python -m aetron_inference.pulse --replay result.json

Runs this machine's Pulse workload for the miner whose Ed25519 key has that 32-byte seed and
prints the signed `aetron_types.PulseResult` as JSON; ``--replay`` checks such a printout's
signature and re-runs its workload. The inputs are derived from the miner's
key and the epoch, and the result commits to every round's last-position logits, so the figure
cannot be reused by another miner or made up: anyone on the same architecture can replay it
(`replay_pulse`) and must get the same ``output_hash``.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import blake3
import torch
from aetron_types import (
    SIGNING_DOMAIN,
    AttentionBackend,
    ComputeDtype,
    HardwareArch,
    PulseResult,
    QuantFormat,
)
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from ._config import PRESETS, LlamaConfig
from ._errors import InferenceError, SpecMismatch
from ._init import random_weights
from ._logits import logit_hash
from ._model import LlamaForCausalLM
from ._runtime import configure, default_spec
from ._weights import ModelWeights

__all__ = [
    "PULSE_INPUT_TAG",
    "PULSE_MODEL_SEED",
    "PULSE_REFERENCE_TOKENS_PER_S",
    "PULSE_WORKLOADS",
    "PulseWorkload",
    "pulse_score_ppm",
    "pulse_signing_bytes",
    "replay_pulse",
    "run_pulse",
    "sign_pulse",
    "verify_pulse_signature",
    "workload_hash",
]

PULSE_MODEL_SEED = b"AETRON pulse model v1"
"""Seed of every Pulse model's random weights (`random_weights`)."""
PULSE_INPUT_TAG = b"AETRON.pulse.v1"
"""Domain tag of the Pulse input stream and of the workload hash."""


@dataclass(frozen=True)
class PulseWorkload:
    """One architecture's canonical workload: model, execution choices and batch schedule."""

    preset: str
    """Key of `PRESETS`; weights are `random_weights(config, PULSE_MODEL_SEED)`."""
    quant_format: str
    compute_dtype: str
    attention_backend: str
    batch: int
    tokens: int
    """Tokens per sequence; every round runs ``batch`` sequences of this many tokens at once."""
    rounds: int
    threads: int
    """The spec's thread count: CPU results depend on it, so the workload pins it."""

    @property
    def config(self) -> LlamaConfig:
        """The model configuration of `preset`."""
        return PRESETS[self.preset]

    @property
    def work_units(self) -> int:
        """Tokens processed by the whole workload, the ``work_units`` of its `PulseResult`."""
        return self.batch * self.tokens * self.rounds


_CPU = PulseWorkload("smollm2-135m", "fp32", "fp32", "eager", 1, 128, 4, 1)
_GPU = PulseWorkload("llama-3.2-1b", "fp32", "bf16", "eager", 8, 512, 8, 1)
PULSE_WORKLOADS: dict[str, PulseWorkload] = {
    "x86_64-avx2": _CPU,
    "x86_64-avx512": _CPU,
    "aarch64": _CPU,
    "nvidia-ampere": _GPU,
    "nvidia-ada": _GPU,
    "nvidia-hopper": _GPU,
    "nvidia-blackwell": _GPU,
    "amd-cdna3": _GPU,
    "apple-silicon": _CPU,
}
"""The workload of each `HardwareArch` value; a protocol parameter, changed only by governance."""


PULSE_REFERENCE_TOKENS_PER_S: dict[str, int] = {
    "x86_64-avx512": 200,
    "nvidia-hopper": 90_000,
}
"""Reference throughput of each architecture's workload, in work units per second: a Pulse
result at this speed scores `PPM`. A governance parameter, set from measured runs; an
architecture without one cannot be scored yet."""

_PPM = 1_000_000
_US_PER_S = 1_000_000


def pulse_score_ppm(result: PulseResult) -> int:
    """The ``pulse_score_ppm`` signal of a replayed Pulse result (specs/inference.md, "Pulse").

    Throughput relative to the architecture's reference, floored, capped at `PPM`: a miner gains
    nothing by being faster than the reference, only by being at least that fast.
    """
    reference = PULSE_REFERENCE_TOKENS_PER_S.get(result.hardware_arch.value)
    if reference is None:
        raise InferenceError(
            "INFERENCE.NO_PULSE_REFERENCE",
            f"no reference throughput for {result.hardware_arch.value} yet",
        )
    score = result.work_units * _US_PER_S * _PPM // (result.elapsed_us * reference)
    return min(score, _PPM)


def _code(member: StrEnum) -> int:
    return list(type(member)).index(member)


def workload_hash(
    arch: str, workload: PulseWorkload, miner: bytes, epoch: int, torch_release: str
) -> bytes:
    """BLAKE3-256 naming everything a replay needs (specs/inference.md, "Pulse")."""
    config = workload.config.canonical_bytes()
    version = torch_release.encode()
    return blake3.blake3(
        PULSE_INPUT_TAG
        + b"\x00workload"
        + struct.pack(
            "<4B",
            _code(HardwareArch(arch)),
            _code(QuantFormat(workload.quant_format)),
            _code(ComputeDtype(workload.compute_dtype)),
            _code(AttentionBackend(workload.attention_backend)),
        )
        + struct.pack("<I", len(config))
        + config
        + struct.pack("<B", len(PULSE_MODEL_SEED))
        + PULSE_MODEL_SEED
        + struct.pack("<4I", workload.batch, workload.tokens, workload.rounds, workload.threads)
        + miner
        + struct.pack("<Q", epoch)
        + struct.pack("<B", len(version))
        + version
    ).digest()


def _round_inputs(workload: PulseWorkload, miner: bytes, epoch: int, index: int) -> torch.Tensor:
    """Token ids of one round: BLAKE3 output read as u32 words, each modulo the vocabulary."""
    seed = PULSE_INPUT_TAG + b"\x00input" + miner + struct.pack("<QI", epoch, index)
    count = workload.batch * workload.tokens
    words = struct.unpack(f"<{count}I", blake3.blake3(seed).digest(length=4 * count))
    ids = [w % workload.config.vocab_size for w in words]
    return torch.tensor(ids, dtype=torch.long).view(workload.batch, workload.tokens)


@cache
def _weights(workload: PulseWorkload) -> ModelWeights:
    config = workload.config
    return ModelWeights.from_float(config, random_weights(config, PULSE_MODEL_SEED)).quantize(
        workload.quant_format
    )


def _execute(
    arch: str, workload: PulseWorkload, miner: bytes, epoch: int
) -> tuple[bytes, bytes, int]:
    """(workload hash, output hash, elapsed microseconds of the forward passes alone)."""
    spec = default_spec(
        workload.quant_format,
        hardware_arch=arch,
        compute_dtype=workload.compute_dtype,
        attention_backend=workload.attention_backend,
        thread_count=workload.threads,
    )
    runtime = configure(spec)
    model: LlamaForCausalLM = _weights(workload).build(runtime)
    inputs = [
        _round_inputs(workload, miner, epoch, i).to(runtime.device) for i in range(workload.rounds)
    ]
    outputs = []
    with torch.inference_mode():
        model(inputs[0])  # untimed warm-up: kernel selection and caches, result discarded
        _sync(runtime.device)
        began = time.perf_counter_ns()
        for ids in inputs:
            outputs.append(model(ids)[:, -1])
        _sync(runtime.device)
        elapsed_us = max(1, (time.perf_counter_ns() - began) // 1000)
    output = blake3.blake3(PULSE_INPUT_TAG + b"\x00output")
    for logits in outputs:
        output.update(logit_hash(logits[:, None]))
    return (
        workload_hash(arch, workload, miner, epoch, spec.torch_version),
        output.digest(),
        elapsed_us,
    )


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def run_pulse(
    miner: bytes, epoch: int, *, arch: str | None = None, workload: PulseWorkload | None = None
) -> PulseResult:
    """Run the Pulse workload of ``arch`` (this machine's first platform by default)."""
    arch = arch or default_spec().hardware_arch.value
    chosen = workload or PULSE_WORKLOADS[arch]
    w_hash, out_hash, elapsed_us = _execute(arch, chosen, miner, epoch)
    return PulseResult(
        miner=miner,
        epoch=epoch,
        hardware_arch=HardwareArch(arch),
        workload_hash=w_hash,
        output_hash=out_hash,
        work_units=chosen.work_units,
        elapsed_us=elapsed_us,
    )


def replay_pulse(result: PulseResult, *, workload: PulseWorkload | None = None) -> bool:
    """Re-run ``result``'s workload here; True when its workload and output hashes match.

    The machine must offer the result's architecture and torch version (else `SpecMismatch`).
    The time is not compared: only the work is reproducible.
    """
    arch = result.hardware_arch.value
    chosen = workload or PULSE_WORKLOADS[arch]
    if result.work_units != chosen.work_units:
        return False
    w_hash, out_hash, _ = _execute(arch, chosen, result.miner, result.epoch)
    return w_hash == result.workload_hash and out_hash == result.output_hash


def pulse_signing_bytes(result: PulseResult) -> bytes:
    """What a miner signs: ``SIGNING_DOMAIN || 0x00 || "PulseResult" || 0x00 || encoding``."""
    return SIGNING_DOMAIN + b"\x00PulseResult\x00" + result.encode()


def sign_pulse(result: PulseResult, key: SigningKey) -> bytes:
    """The miner's 64-byte Ed25519 signature over `pulse_signing_bytes`."""
    if bytes(key.verify_key) != result.miner:
        raise ValueError("the key is not the result's miner")
    return key.sign(pulse_signing_bytes(result)).signature


def verify_pulse_signature(result: PulseResult, signature: bytes) -> bool:
    """True when ``signature`` is the result's miner's signature over it; never raises."""
    try:
        VerifyKey(result.miner).verify(pulse_signing_bytes(result), signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """The command line (module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m aetron_inference.pulse", description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--key", help="run: Ed25519 seed, 32 bytes as 64 hex digits")
    action.add_argument(
        "--replay", type=Path, help="check a printed result (exit 1: invalid, 2: other machine)"
    )
    parser.add_argument("--epoch", type=int, default=0)
    parser.add_argument("--arch", help="hardware architecture (default: this machine's first)")
    args = parser.parse_args(argv)
    if args.replay:
        printed = json.loads(args.replay.read_text())
        result = PulseResult.from_json(printed["result"])
        signature = bytes.fromhex(printed["signature"].removeprefix("0x"))
        try:
            valid = verify_pulse_signature(result, signature) and replay_pulse(result)
        except SpecMismatch as exc:
            print(f"cannot replay on this machine: {exc}", file=sys.stderr)
            return 2
        print("valid" if valid else "invalid")
        return 0 if valid else 1
    key = SigningKey(bytes.fromhex(args.key))
    result = run_pulse(bytes(key.verify_key), args.epoch, arch=args.arch)
    signature = sign_pulse(result, key)
    rate = result.work_units * 1_000_000 // result.elapsed_us
    printed = {"result": result.to_json(), "signature": "0x" + signature.hex()}
    print(json.dumps(printed, indent=2, sort_keys=True))
    print(f"{result.hardware_arch.value}: {rate} tokens/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
