"""Every non-canonical form is rejected with its reason code, in bytes, JSON and Python."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aetron_types as t
import pytest
from aetron_types import AetronTypesError

K = [bytes([n]) * 32 for n in range(1, 6)]

SPEC = t.ExecutionSpec(
    compute_dtype=t.ComputeDtype.fp32,
    quant_format=t.QuantFormat.bf16,
    hardware_arch=t.HardwareArch.x86_64_avx512,
    attention_backend=t.AttentionBackend.sdpa_math,
    torch_version="2.13.0",
    cuda_version="",
    rocm_version="",
    thread_count=2,
)
REQUEST = t.InferenceRequest(
    prompt=b"hi", max_new_tokens=4, seed=9, temperature_milli=0, top_k=0, top_p_ppm=t.PPM
)
ARTIFACT = t.ValidationArtifact(
    kind=t.ArtifactKind.causal_lm,
    quant_format=t.QuantFormat.bf16,
    sample_count=2,
    prompt_len=2,
    output_len=4,
    seed=9,
    request_hash=REQUEST.hash(),
    context_hash=K[0],
    commitment=K[1],
    sample_ids=(5, 6, 0, 0, 0, 0, 0, 0),
    sample_values=(7, 8, 0, 0, 0, 0, 0, 0),
)
TASK = t.Task(
    kind=t.TaskKind.inference,
    model_hash=K[0],
    execution_spec=SPEC,
    probes=(t.ReferenceProbe(request=REQUEST, expected_hash=K[1]),),
)
NET = t.Neuronet(
    neuronet_id=K[0],
    owner=K[1],
    owner_share_bp=800,
    created_at=1,
    access_policy=t.AccessPolicy(mode=t.AccessMode.open, allowlist=()),
    miners=(K[2], K[3]),
    vetoed=(K[4],),
    stake=10,
    tasks=(TASK,),
)
REGISTRATION = t.MinerRegistration(
    neuronet_id=K[0],
    miner=K[1],
    height=3,
    hardware_arch=t.HardwareArch.aarch64,
    fee=5,
    pow=None,
    tee=None,
    signature=bytes(64),
)
SETTLEMENT = t.EpochSettlement(
    neuronet_id=K[0],
    epoch=1,
    emission=100,
    owner_amount=10,
    staker_amount=10,
    unallocated=20,
    miner_payouts=(t.MinerPayout(miner=K[1], amount=30), t.MinerPayout(miner=K[2], amount=30)),
    excluded_miners=(K[3],),
)
ASSIGNMENT = t.ReplayAssignment(
    neuronet_id=K[0],
    epoch=1,
    batch_hash=K[1],
    leaf_index=0,
    miner=K[2],
    replayer=K[3],
    vrf_proof=bytes(80),
)


def changed(obj: t.CanonicalModel, **changes: Any) -> Callable[[], object]:
    """Building ``obj`` with ``changes`` through the validating constructor."""
    return lambda: type(obj)(**{**dict(obj), **changes})


def forged(obj: t.CanonicalModel, **changes: Any) -> Callable[[], object]:
    """Decoding the bytes ``obj`` would have with ``changes`` (built without validation)."""
    data = type(obj).model_construct(**{**dict(obj), **changes}).encode()
    return lambda: type(obj).decode(data)


def patched(obj: t.CanonicalModel, offset: int, new: bytes) -> Callable[[], object]:
    data = obj.encode()
    data = data[:offset] + new + data[offset + len(new) :]
    return lambda: type(obj).decode(data)


def json_with(obj: t.CanonicalModel, **changes: Any) -> Callable[[], object]:
    return lambda: type(obj).from_json({**obj.to_json(), **changes})


def json_text(cls: type[t.CanonicalModel], text: str) -> Callable[[], object]:
    return lambda: cls.from_json(text)


def json_without(obj: t.CanonicalModel, name: str) -> Callable[[], object]:
    return lambda: type(obj).from_json({k: v for k, v in obj.to_json().items() if k != name})


u32 = (2**32 - 1).to_bytes(4, "little")
CASES: list[tuple[str, str, Callable[[], object]]] = [
    ("TYPES.TRUNCATED", "spec_truncated", lambda: t.ExecutionSpec.decode(SPEC.encode()[:-1])),
    ("TYPES.TRUNCATED", "empty_input", lambda: t.InferenceRequest.decode(b"")),
    ("TYPES.TRUNCATED", "forged_count", patched(NET.access_policy, 1, u32)),
    (
        "TYPES.TRAILING_BYTES",
        "spec_trailing",
        lambda: t.ExecutionSpec.decode(SPEC.encode() + b"\0"),
    ),
    ("TYPES.UNKNOWN_ENUM_CODE", "quant_code_18", patched(ARTIFACT, 2, b"\x12")),
    ("TYPES.UNKNOWN_ENUM_CODE", "arch_code_9", patched(SPEC, 2, b"\x09")),
    ("TYPES.BAD_OPTION_TAG", "fee_tag_2", patched(REGISTRATION, 73, b"\x02")),
    ("TYPES.BAD_OPTION_TAG", "tee_tag_255", patched(REGISTRATION, 82, b"\xff")),
    ("TYPES.BAD_STRING", "space", changed(SPEC, torch_version="2.13 ")),
    ("TYPES.BAD_STRING", "too_long", forged(SPEC, rocm_version="9" * (t.MAX_LABEL_BYTES + 1))),
    (
        "TYPES.BAD_STRING",
        "non_ascii_byte",
        lambda: t.ExecutionSpec.decode(SPEC.encode().replace(b"2.13.0", b"2.13.\x80")),
    ),
    ("TYPES.BAD_STRING", "unicode", changed(SPEC, cuda_version="12.\u0661")),
    (
        "TYPES.ARTIFACT_TOO_SHORT",
        "163",
        lambda: t.ValidationArtifact.decode(ARTIFACT.encode()[:-1]),
    ),
    (
        "TYPES.ARTIFACT_TOO_LONG",
        "165",
        lambda: t.ValidationArtifact.decode(ARTIFACT.encode() + b"\0"),
    ),
    ("TYPES.WRONG_TYPE", "bool_for_int", changed(SPEC, thread_count=True)),
    ("TYPES.WRONG_TYPE", "str_for_bytes", changed(REQUEST, prompt="hi")),
    ("TYPES.WRONG_TYPE", "bytearray_for_bytes", changed(ARTIFACT, commitment=bytearray(32))),
    ("TYPES.WRONG_TYPE", "json_number_for_u64", json_with(REQUEST, seed=9)),
    ("TYPES.WRONG_TYPE", "json_string_for_u32", json_with(REQUEST, top_k="0")),
    (
        "TYPES.WRONG_TYPE",
        "json_float",
        json_text(
            t.InferenceRequest, json.dumps(REQUEST.to_json()).replace('"top_k": 0', '"top_k": 0.0')
        ),
    ),
    ("TYPES.WRONG_TYPE", "json_enum_code", json_with(SPEC, quant_format=2)),
    ("TYPES.WRONG_TYPE", "json_array", lambda: t.ExecutionSpec.from_json([SPEC.to_json()])),
    ("TYPES.WRONG_TYPE", "python_enum_number", changed(SPEC, quant_format=2)),
    ("TYPES.WRONG_LENGTH", "hash_31", changed(ARTIFACT, request_hash=bytes(31))),
    ("TYPES.WRONG_LENGTH", "json_hash_33", json_with(ARTIFACT, context_hash="0x" + "00" * 33)),
    ("TYPES.WRONG_LENGTH", "seven_samples", changed(ARTIFACT, sample_ids=(0,) * 7)),
    ("TYPES.OUT_OF_RANGE", "sample_count_9", patched(ARTIFACT, 3, b"\x09")),
    ("TYPES.OUT_OF_RANGE", "top_p_zero", forged(REQUEST, top_p_ppm=0)),
    ("TYPES.OUT_OF_RANGE", "negative", changed(REQUEST, seed=-1)),
    ("TYPES.OUT_OF_RANGE", "u64_overflow", changed(REQUEST, seed=2**64)),
    ("TYPES.OUT_OF_RANGE", "json_u64_overflow", json_with(REQUEST, seed=str(2**64))),
    ("TYPES.OUT_OF_RANGE", "fee_zero", forged(REGISTRATION, fee=0)),
    ("TYPES.OUT_OF_RANGE", "leaf_index", changed(ASSIGNMENT, leaf_index=t.MAX_BATCH_SIZE)),
    ("TYPES.OUT_OF_RANGE", "temperature_nan", lambda: t.temperature_to_milli(float("nan"))),
    ("TYPES.OUT_OF_RANGE", "temperature_negative", lambda: t.temperature_to_milli(-0.5)),
    ("TYPES.OUT_OF_RANGE", "top_p_zero_float", lambda: t.top_p_to_ppm(0.0)),
    ("TYPES.OUT_OF_RANGE", "top_p_above_one", lambda: t.top_p_to_ppm(1.0000006)),
    (
        "TYPES.BYTES_TOO_LONG",
        "measurement_65",
        lambda: t.TeeAttestation(
            vendor=t.TeeVendor.nvidia_cc,
            measurement=bytes(65),
            report_data=bytes(64),
            evidence=b"x",
        ),
    ),
    (
        "TYPES.BYTES_TOO_SHORT",
        "empty_evidence",
        lambda: t.TeeAttestation(
            vendor=t.TeeVendor.nvidia_cc, measurement=b"m", report_data=bytes(64), evidence=b""
        ),
    ),
    ("TYPES.PROMPT_TOO_LONG", "prompt", changed(REQUEST, prompt=bytes(t.MAX_PROMPT_BYTES + 1))),
    ("TYPES.PROMPT_TOO_LONG", "forged_length", patched(REQUEST, 0, u32)),
    ("TYPES.TOO_MANY_ENTRIES", "probes", forged(TASK, probes=TASK.probes * 65)),
    ("TYPES.TOO_FEW_ENTRIES", "no_probes", changed(TASK, probes=())),
    ("TYPES.NOT_SORTED", "miners", changed(NET, miners=(K[3], K[2]))),
    (
        "TYPES.NOT_SORTED",
        "payouts",
        forged(SETTLEMENT, miner_payouts=SETTLEMENT.miner_payouts[::-1]),
    ),
    (
        "TYPES.NOT_SORTED",
        "json_excluded",
        json_with(SETTLEMENT, excluded_miners=["0x" + K[4].hex(), "0x" + K[3].hex()]),
    ),
    ("TYPES.DUPLICATE_ENTRY", "vetoed", forged(NET, vetoed=(K[4], K[4]))),
    ("TYPES.DUPLICATE_ENTRY", "tasks", changed(NET, tasks=(TASK, TASK))),
    ("TYPES.UNSUPPORTED_VERSION", "version_2", patched(ARTIFACT, 0, b"\x02")),
    ("TYPES.UNSUPPORTED_VERSION", "python", changed(ARTIFACT, version=0)),
    ("TYPES.NONZERO_UNUSED", "ids", forged(ARTIFACT, sample_ids=(5, 6, 1, 0, 0, 0, 0, 0))),
    ("TYPES.NONZERO_UNUSED", "values", changed(ARTIFACT, sample_values=(7, 8, 0, 0, 0, 0, 0, 1))),
    ("TYPES.OWNER_SHARE_TOO_HIGH", "1001", forged(NET, owner_share_bp=1001)),
    ("TYPES.OWNER_SHARE_RAISED", "raise", lambda: NET.with_owner_share(801)),
    ("TYPES.ROSTER_OVERLAP", "veto_on_roster", changed(NET, vetoed=(K[2],))),
    (
        "TYPES.ACCESS_POLICY_MISMATCH",
        "open_listing",
        lambda: t.AccessPolicy(mode=t.AccessMode.open, allowlist=(K[0],)),
    ),
    (
        "TYPES.ACCESS_POLICY_MISMATCH",
        "empty_allowlist",
        lambda: t.AccessPolicy(mode=t.AccessMode.allowlist, allowlist=()),
    ),
    ("TYPES.REGISTRATION_PAYMENT", "neither", forged(REGISTRATION, fee=None)),
    (
        "TYPES.REGISTRATION_PAYMENT",
        "both",
        changed(REGISTRATION, pow=t.PowSolution(challenge=K[0], nonce=1)),
    ),
    ("TYPES.SELF_REPLAY", "self", forged(ASSIGNMENT, replayer=K[2])),
    (
        "TYPES.ARBITER_NOT_DISTINCT",
        "arbiter_is_miner",
        lambda: t.ArbitrationVerdict(
            assignment_id=K[0],
            miner=K[1],
            replayer=K[2],
            arbiter=K[1],
            outcome=t.ArbitrationOutcome.both_rejected,
            arbiter_commitment=K[3],
            signature=bytes(64),
        ),
    ),
    (
        "TYPES.RECHECKS_EXCEED_ASSIGNED",
        "more_done",
        lambda: t.ScoreSignals(
            miner=K[0],
            neuronet_id=K[1],
            epoch=0,
            confirmed_work=0,
            pulse_score_ppm=0,
            uptime_ppm=0,
            rechecks_assigned=1,
            rechecks_completed=2,
        ),
    ),
    ("TYPES.SETTLEMENT_SUM", "short", changed(SETTLEMENT, emission=101)),
    ("TYPES.SETTLEMENT_SUM", "json_over", json_with(SETTLEMENT, unallocated="21")),
    ("TYPES.EXCLUDED_MINER_PAID", "paid", forged(SETTLEMENT, excluded_miners=(K[1],))),
    ("TYPES.MALFORMED_JSON", "not_json", json_text(t.ExecutionSpec, "{")),
    (
        "TYPES.MALFORMED_JSON",
        "duplicate_key",
        json_text(t.ExecutionSpec, json.dumps(SPEC.to_json())[:-1] + ', "thread_count": 2}'),
    ),
    (
        "TYPES.MALFORMED_JSON",
        "nan",
        json_text(
            t.InferenceRequest, json.dumps(REQUEST.to_json()).replace('"top_k": 0', '"top_k": NaN')
        ),
    ),
    ("TYPES.MALFORMED_JSON", "bad_utf8", lambda: t.ExecutionSpec.from_json(b'{"a": "\xff"}')),
    ("TYPES.BAD_HEX", "upper_case", json_with(REQUEST, prompt="0x6A")),
    ("TYPES.BAD_HEX", "no_prefix", json_with(REQUEST, prompt="6869")),
    ("TYPES.BAD_HEX", "odd", json_with(REQUEST, prompt="0x686")),
    ("TYPES.BAD_DECIMAL", "leading_zero", json_with(REQUEST, seed="09")),
    ("TYPES.BAD_DECIMAL", "empty", json_with(REQUEST, seed="")),
    ("TYPES.BAD_DECIMAL", "too_many_digits", json_with(REQUEST, seed="1" * 21)),
    ("TYPES.BAD_DECIMAL", "non_ascii_digit", json_with(REQUEST, seed="\u0661")),
    ("TYPES.UNKNOWN_ENUM_VALUE", "fp6", json_with(SPEC, quant_format="fp6")),
    ("TYPES.UNKNOWN_ENUM_VALUE", "member_name", json_with(SPEC, hardware_arch="x86_64_avx512")),
    ("TYPES.MISSING_FIELD", "json", json_without(SPEC, "thread_count")),
    ("TYPES.MISSING_FIELD", "json_default", json_without(ARTIFACT, "version")),
    ("TYPES.MISSING_FIELD", "json_null_option", json_without(REGISTRATION, "tee")),
    ("TYPES.MISSING_FIELD", "python", lambda: t.PowSolution(challenge=K[0])),
    ("TYPES.UNKNOWN_FIELD", "json", json_with(SPEC, device="cpu")),
    ("TYPES.UNKNOWN_FIELD", "python", lambda: t.PowSolution(challenge=K[0], nonce=1, extra=2)),
]


@pytest.mark.parametrize(
    ("code", "attempt"), [pytest.param(code, run, id=f"{code}-{name}") for code, name, run in CASES]
)
def test_rejected_with_its_code(code: str, attempt: Callable[[], object]) -> None:
    with pytest.raises(AetronTypesError) as raised:
        attempt()
    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)


def test_every_code_is_exercised() -> None:
    assert {code for code, _, _ in CASES} == t.ERROR_CODES


def test_decode_takes_only_bytes() -> None:
    with pytest.raises(TypeError):
        t.ExecutionSpec.decode(SPEC.encode().hex())  # type: ignore[arg-type]
    assert t.ExecutionSpec.decode(bytearray(SPEC.encode())) == SPEC


def test_objects_are_immutable() -> None:
    with pytest.raises(Exception, match="frozen"):
        SPEC.thread_count = 3  # type: ignore[misc]
    assert hash(SPEC) == hash(t.ExecutionSpec.decode(SPEC.encode()))


def test_owner_share_only_goes_down() -> None:
    assert NET.with_owner_share(800) == NET
    assert NET.with_owner_share(0).owner_share_bp == 0
    assert NET.with_owner_share(1).with_owner_share(0).owner_share_bp == 0


def test_veto_moves_a_miner_off_the_roster() -> None:
    vetoed = NET.with_veto(K[2])
    assert vetoed.miners == (K[3],) and vetoed.vetoed == (K[2], K[4])
    assert NET.with_veto(K[0]).vetoed == (K[0], K[4])


def test_signing_bytes_cover_the_type_and_every_field_but_the_signature() -> None:
    message = t.signing_bytes(REGISTRATION)
    assert message == b"AETRON-SIG-v1\x00MinerRegistration\x00" + REGISTRATION.encode()[:-64]
    resigned = type(REGISTRATION)(**{**dict(REGISTRATION), "signature": b"\x01" * 64})
    assert t.signing_bytes(resigned) == message
    with pytest.raises(TypeError):
        t.signing_bytes(SPEC)


def test_float_helpers_round_the_binary64_product_half_to_even() -> None:
    assert t.temperature_to_milli(0.7) == 700
    assert t.temperature_to_milli(0.0005) == 0  # 0.0005 * 1000 == 0.5 exactly: ties to even
    assert t.temperature_to_milli(0.0015) == 2  # 1.5 -> 2
    assert t.temperature_to_milli(0.0025) == 2  # 2.5 -> 2
    assert t.temperature_to_milli(0.0) == 0
    assert t.top_p_to_ppm(1.0) == t.PPM
    assert t.top_p_to_ppm(0.95) == 950_000
    assert t.top_p_to_ppm(0.0000015) == 2


def test_wire_layout_of_the_artifact_matches_the_spec() -> None:
    data = ARTIFACT.encode()
    assert len(data) == t.ARTIFACT_SIZE
    assert data[:4] == bytes([1, 0, 2, 2])
    assert data[4:8] == (2).to_bytes(4, "little") and data[8:12] == (4).to_bytes(4, "little")
    assert data[12:20] == (9).to_bytes(8, "little")
    assert data[20:52] == REQUEST.hash() and data[52:84] == K[0] and data[84:116] == K[1]
    assert data[116:120] == (5).to_bytes(4, "little") and data[148:150] == (7).to_bytes(2, "little")
    assert data[150:152] == (8).to_bytes(2, "little") and data[152:] == bytes(12)


def test_enum_wire_codes_are_positions() -> None:
    assert [list(t.QuantFormat).index(f) for f in (t.QuantFormat.fp32, t.QuantFormat.q4_0)] == [
        0,
        17,
    ]
    assert len(t.QuantFormat) == 18 and len(t.HardwareArch) == 9
    assert t.HardwareArch.nvidia_blackwell.value == "nvidia-blackwell"
    spec = t.ExecutionSpec.decode(SPEC.encode()[:2] + bytes([6]) + SPEC.encode()[3:])
    assert spec.hardware_arch is t.HardwareArch.nvidia_blackwell
