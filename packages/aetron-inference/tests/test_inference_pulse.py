"""Pulse: a signed result that a replay on the same architecture confirms or refutes."""

from __future__ import annotations

import pytest
from aetron_inference import InferenceError, detect_platforms, torch_version
from aetron_inference.pulse import (
    PULSE_REFERENCE_TOKENS_PER_S,
    PULSE_WORKLOADS,
    PulseWorkload,
    pulse_score_ppm,
    replay_pulse,
    run_pulse,
    sign_pulse,
    verify_pulse_signature,
    workload_hash,
)
from aetron_types import HardwareArch, PulseResult
from nacl.signing import SigningKey

SMALL = PulseWorkload("reference", "q8_0", "fp32", "eager", 2, 24, 3, 1)
KEY = SigningKey(bytes(range(32)))
MINER = bytes(KEY.verify_key)


def cpu_arch() -> str:
    return next(p.hardware_arch for p in detect_platforms() if p.device == "cpu")


@pytest.fixture(scope="module")
def result() -> PulseResult:
    return run_pulse(MINER, 7, arch=cpu_arch(), workload=SMALL)


def test_every_architecture_has_a_workload() -> None:
    assert set(PULSE_WORKLOADS) == {a.value for a in HardwareArch}


def test_a_replay_confirms_an_honest_result(result: PulseResult) -> None:
    assert result.work_units == 2 * 24 * 3 and result.elapsed_us >= 1
    assert replay_pulse(result, workload=SMALL)


def test_a_made_up_output_or_another_miner_fails_the_replay(result: PulseResult) -> None:
    forged = PulseResult(**{**dict(result), "output_hash": bytes(32)})
    assert not replay_pulse(forged, workload=SMALL)
    other = SigningKey(bytes(32)).verify_key
    copied = PulseResult(**{**dict(result), "miner": bytes(other)})
    assert not replay_pulse(copied, workload=SMALL)


def test_inputs_depend_on_miner_and_epoch(result: PulseResult) -> None:
    later = run_pulse(MINER, 8, arch=cpu_arch(), workload=SMALL)
    assert later.output_hash != result.output_hash
    assert later.workload_hash != result.workload_hash
    assert result.workload_hash == workload_hash(cpu_arch(), SMALL, MINER, 7, torch_version())


def test_signatures_bind_the_whole_result(result: PulseResult) -> None:
    signature = sign_pulse(result, KEY)
    assert verify_pulse_signature(result, signature)
    slower = PulseResult(**{**dict(result), "elapsed_us": result.elapsed_us + 1})
    assert not verify_pulse_signature(slower, signature)
    assert not verify_pulse_signature(result, b"\x00" * 64)
    assert not verify_pulse_signature(result, b"short")


def test_pulse_score_is_throughput_against_the_reference_capped_at_ppm() -> None:
    reference = PULSE_REFERENCE_TOKENS_PER_S["x86_64-avx512"]

    def result(work_units: int, elapsed_us: int, arch: str = "x86_64-avx512") -> PulseResult:
        return PulseResult(
            miner=bytes(32),
            epoch=1,
            hardware_arch=HardwareArch(arch),
            workload_hash=bytes(32),
            output_hash=bytes(32),
            work_units=work_units,
            elapsed_us=elapsed_us,
        )

    assert pulse_score_ppm(result(reference, 1_000_000)) == 1_000_000
    assert pulse_score_ppm(result(reference, 2_000_000)) == 500_000
    assert pulse_score_ppm(result(reference, 3_000_000)) == 333_333  # floored
    assert pulse_score_ppm(result(10 * reference, 1_000_000)) == 1_000_000  # capped
    with pytest.raises(InferenceError) as refused:
        pulse_score_ppm(result(512, 1_000, "amd-cdna3"))
    assert refused.value.code == "INFERENCE.NO_PULSE_REFERENCE"
