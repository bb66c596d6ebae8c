"""Property tests over every protocol type: the three forms convert without loss, the encoding
is canonical (whatever decodes re-encodes to the same bytes), and the JSON Schemas describe
the JSON forms."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aetron_types as t
import pytest
from aetron_types import AetronTypesError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

u16 = st.integers(0, 2**16 - 1)
u32 = st.integers(0, 2**32 - 1)
u64 = st.integers(0, 2**64 - 1)
key = st.binary(min_size=32, max_size=32)
sig = st.binary(min_size=64, max_size=64)
label = st.text(alphabet="0123456789abcXYZ.+_-", max_size=t.MAX_LABEL_BYTES)


def sorted_keys(max_size: int = 4) -> st.SearchStrategy[tuple[bytes, ...]]:
    return st.lists(key, unique=True, max_size=max_size).map(lambda keys: tuple(sorted(keys)))


execution_specs = st.builds(
    t.ExecutionSpec,
    compute_dtype=st.sampled_from(t.ComputeDtype),
    quant_format=st.sampled_from(t.QuantFormat),
    hardware_arch=st.sampled_from(t.HardwareArch),
    attention_backend=st.sampled_from(t.AttentionBackend),
    torch_version=label,
    cuda_version=label,
    rocm_version=label,
    thread_count=u16,
)

inference_requests = st.builds(
    t.InferenceRequest,
    prompt=st.binary(max_size=64) | st.just(b"\xff" * t.MAX_PROMPT_BYTES),
    max_new_tokens=u32,
    seed=u64,
    temperature_milli=u32,
    top_k=u32,
    top_p_ppm=st.integers(1, t.PPM),
)


@st.composite
def validation_artifacts(draw: st.DrawFn) -> t.ValidationArtifact:
    used = draw(st.integers(0, t.ARTIFACT_SAMPLE_SLOTS))
    zeros = (0,) * (t.ARTIFACT_SAMPLE_SLOTS - used)
    ids = tuple(draw(st.lists(u32, min_size=used, max_size=used))) + zeros
    values = tuple(draw(st.lists(u16, min_size=used, max_size=used))) + zeros
    return t.ValidationArtifact(
        kind=draw(st.sampled_from(t.ArtifactKind)),
        quant_format=draw(st.sampled_from(t.QuantFormat)),
        sample_count=used,
        prompt_len=draw(u32),
        output_len=draw(u32),
        seed=draw(u64),
        request_hash=draw(key),
        context_hash=draw(key),
        commitment=draw(key),
        sample_ids=ids,
        sample_values=values,
    )


access_policies = st.just(t.AccessPolicy(mode=t.AccessMode.open, allowlist=())) | st.builds(
    t.AccessPolicy,
    mode=st.just(t.AccessMode.allowlist),
    allowlist=st.lists(key, unique=True, min_size=1, max_size=4).map(lambda k: tuple(sorted(k))),
)
reference_probes = st.builds(t.ReferenceProbe, request=inference_requests, expected_hash=key)
tasks = st.builds(
    t.Task,
    kind=st.sampled_from(t.TaskKind),
    model_hash=key,
    execution_spec=execution_specs,
    probes=st.lists(reference_probes, min_size=1, max_size=3).map(tuple),
)


@st.composite
def neuronets(draw: st.DrawFn) -> t.Neuronet:
    keys = draw(st.lists(key, unique=True, max_size=6))
    split = draw(st.integers(0, len(keys)))
    hosted = draw(st.lists(tasks, max_size=3, unique_by=lambda task: task.hash()))
    return t.Neuronet(
        neuronet_id=draw(key),
        owner=draw(key),
        owner_share_bp=draw(st.integers(0, t.MAX_OWNER_SHARE_BP)),
        created_at=draw(u64),
        access_policy=draw(access_policies),
        miners=tuple(sorted(keys[:split])),
        vetoed=tuple(sorted(keys[split:])),
        stake=draw(u64),
        tasks=tuple(sorted(hosted, key=lambda task: task.hash())),
    )


batch_commitments = st.builds(
    t.ArtifactBatchCommitment,
    neuronet_id=key,
    task_id=key,
    miner=key,
    epoch=u64,
    size=st.integers(1, t.MAX_BATCH_SIZE),
    merkle_root=key,
    signature=sig,
)
replay_assignments = st.builds(
    t.ReplayAssignment,
    neuronet_id=key,
    epoch=u64,
    batch_hash=key,
    leaf_index=st.integers(0, t.MAX_BATCH_SIZE - 1),
    miner=st.just(b"\x01" * 32),
    replayer=key.filter(lambda k: k != b"\x01" * 32),
    vrf_proof=st.binary(min_size=80, max_size=80),
)
replay_verdicts = st.builds(
    t.ReplayVerdict,
    assignment_id=key,
    replayer=key,
    outcome=st.sampled_from(t.ReplayOutcome),
    replay_commitment=key,
    signature=sig,
)


@st.composite
def arbitration_verdicts(draw: st.DrawFn) -> t.ArbitrationVerdict:
    miner, replayer, arbiter = draw(st.lists(key, unique=True, min_size=3, max_size=3))
    return t.ArbitrationVerdict(
        assignment_id=draw(key),
        miner=miner,
        replayer=replayer,
        arbiter=arbiter,
        outcome=draw(st.sampled_from(t.ArbitrationOutcome)),
        arbiter_commitment=draw(key),
        signature=draw(sig),
    )


pow_solutions = st.builds(t.PowSolution, challenge=key, nonce=u64)
tee_attestations = st.builds(
    t.TeeAttestation,
    vendor=st.sampled_from(t.TeeVendor),
    measurement=st.binary(min_size=1, max_size=t.MAX_TEE_MEASUREMENT_BYTES),
    report_data=st.binary(min_size=64, max_size=64),
    evidence=st.binary(min_size=1, max_size=200),
)


@st.composite
def miner_registrations(draw: st.DrawFn) -> t.MinerRegistration:
    by_fee = draw(st.booleans())
    return t.MinerRegistration(
        neuronet_id=draw(key),
        miner=draw(key),
        height=draw(u64),
        hardware_arch=draw(st.sampled_from(t.HardwareArch)),
        fee=draw(st.integers(1, 2**64 - 1)) if by_fee else None,
        pow=None if by_fee else draw(pow_solutions),
        tee=draw(st.none() | tee_attestations),
        signature=draw(sig),
    )


@st.composite
def score_signals(draw: st.DrawFn) -> t.ScoreSignals:
    assigned = draw(u32)
    return t.ScoreSignals(
        miner=draw(key),
        neuronet_id=draw(key),
        epoch=draw(u64),
        confirmed_work=draw(u64),
        pulse_score_ppm=draw(u32),
        uptime_ppm=draw(st.integers(0, t.PPM)),
        rechecks_assigned=assigned,
        rechecks_completed=draw(st.integers(0, assigned)),
    )


pulse_results = st.builds(
    t.PulseResult,
    miner=key,
    epoch=u64,
    hardware_arch=st.sampled_from(t.HardwareArch),
    workload_hash=key,
    output_hash=key,
    work_units=st.integers(1, 2**64 - 1),
    elapsed_us=st.integers(1, 2**64 - 1),
)
miner_payouts = st.builds(t.MinerPayout, miner=key, amount=st.integers(1, 2**60))


@st.composite
def epoch_settlements(draw: st.DrawFn) -> t.EpochSettlement:
    keys = draw(st.lists(key, unique=True, max_size=6))
    split = draw(st.integers(0, len(keys)))
    payouts = [t.MinerPayout(miner=k, amount=draw(st.integers(1, 2**58))) for k in keys[:split]]
    owner, stakers, rest = (draw(st.integers(0, 2**58)) for _ in range(3))
    return t.EpochSettlement(
        neuronet_id=draw(key),
        epoch=draw(u64),
        emission=owner + stakers + rest + sum(p.amount for p in payouts),
        owner_amount=owner,
        staker_amount=stakers,
        unallocated=rest,
        miner_payouts=tuple(sorted(payouts, key=lambda p: p.miner)),
        excluded_miners=tuple(sorted(keys[split:])),
    )


STRATEGIES: dict[type[t.CanonicalModel], st.SearchStrategy[Any]] = {
    t.ExecutionSpec: execution_specs,
    t.InferenceRequest: inference_requests,
    t.ValidationArtifact: validation_artifacts(),
    t.AccessPolicy: access_policies,
    t.ReferenceProbe: reference_probes,
    t.Task: tasks,
    t.Neuronet: neuronets(),
    t.ArtifactBatchCommitment: batch_commitments,
    t.ReplayAssignment: replay_assignments,
    t.ReplayVerdict: replay_verdicts,
    t.ArbitrationVerdict: arbitration_verdicts(),
    t.PowSolution: pow_solutions,
    t.TeeAttestation: tee_attestations,
    t.MinerRegistration: miner_registrations(),
    t.ScoreSignals: score_signals(),
    t.PulseResult: pulse_results,
    t.MinerPayout: miner_payouts,
    t.EpochSettlement: epoch_settlements(),
}
TYPES = [pytest.param(cls, id=cls.__name__) for cls in t.PROTOCOL_TYPES]


def test_every_protocol_type_has_a_strategy() -> None:
    assert set(STRATEGIES) == set(t.PROTOCOL_TYPES)


@pytest.mark.parametrize("cls", TYPES)
@SETTINGS
@given(data=st.data())
def test_bytes_round_trip(cls: type[t.CanonicalModel], data: st.DataObject) -> None:
    obj = data.draw(STRATEGIES[cls])
    encoded = t.encode(obj)
    assert t.decode(cls, encoded) == obj
    assert t.encode(t.decode(cls, encoded)) == encoded
    assert t.object_hash(obj) == t.object_hash(t.decode(cls, encoded))


@pytest.mark.parametrize("cls", TYPES)
@SETTINGS
@given(data=st.data())
def test_json_round_trip(cls: type[t.CanonicalModel], data: st.DataObject) -> None:
    obj = data.draw(STRATEGIES[cls])
    form = t.to_json(obj)
    text = json.dumps(form)
    assert "." not in re.sub(r'"[^"]*"', "", text), "a float in the JSON form"
    assert t.from_json(cls, form) == obj
    assert t.from_json(cls, text) == obj
    assert t.to_json(t.from_json(cls, text)) == form


@pytest.mark.parametrize("cls", TYPES)
@SETTINGS
@given(data=st.data())
def test_accepted_bytes_are_canonical(cls: type[t.CanonicalModel], data: st.DataObject) -> None:
    """Any byte string that decodes at all re-encodes to itself: one encoding per object."""
    encoded = bytearray(t.encode(data.draw(STRATEGIES[cls])))
    for _ in range(3):
        where = data.draw(st.integers(0, len(encoded) - 1))
        encoded[where] = data.draw(st.integers(0, 255))
    try:
        obj = t.decode(cls, bytes(encoded))
    except AetronTypesError as exc:
        assert exc.code in t.ERROR_CODES
    else:
        assert t.encode(obj) == bytes(encoded)


@pytest.mark.parametrize("cls", TYPES)
@SETTINGS
@given(data=st.data())
def test_truncation_and_trailing_bytes_are_rejected(
    cls: type[t.CanonicalModel], data: st.DataObject
) -> None:
    encoded = t.encode(data.draw(STRATEGIES[cls]))
    cut = data.draw(st.integers(0, len(encoded) - 1))
    extra = data.draw(st.binary(min_size=1, max_size=4))
    short, long = ("TYPES.TRUNCATED", "TYPES.TRAILING_BYTES")
    if cls is t.ValidationArtifact:
        short, long = ("TYPES.ARTIFACT_TOO_SHORT", "TYPES.ARTIFACT_TOO_LONG")
    with pytest.raises(AetronTypesError) as truncated:
        t.decode(cls, encoded[:cut])
    assert truncated.value.code == short
    with pytest.raises(AetronTypesError) as trailing:
        t.decode(cls, encoded + extra)
    assert trailing.value.code == long


@SETTINGS
@given(data=st.binary(max_size=300), cls=st.sampled_from(t.PROTOCOL_TYPES))
def test_garbage_never_crashes(data: bytes, cls: type[t.CanonicalModel]) -> None:
    try:
        obj = t.decode(cls, data)
    except AetronTypesError as exc:
        assert exc.code in t.ERROR_CODES
    else:
        assert t.encode(obj) == data


@SETTINGS
@given(validation_artifacts())
def test_artifact_is_always_artifact_size(artifact: t.ValidationArtifact) -> None:
    assert len(t.encode(artifact)) == t.ARTIFACT_SIZE


@SETTINGS
@given(inference_requests)
def test_request_hash_is_blake3_of_the_encoding(request: t.InferenceRequest) -> None:
    import blake3

    assert t.request_hash(request) == blake3.blake3(t.encode(request)).digest()


# A validator for the subset of JSON Schema the generated schemas use, so that the test needs
# no schema library: it checks that every JSON form is an instance of its type's schema.
def _conforms(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return _conforms(value, root["$defs"][schema["$ref"].rsplit("/", 1)[1]], root)
    if "anyOf" in schema:
        return any(_conforms(value, option, root) for option in schema["anyOf"])
    kind = schema.get("type")
    checks = {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "null": value is None,
    }
    if kind is not None and not checks[kind]:
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if kind == "string":
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            return False
    if kind == "integer" and not schema["minimum"] <= value <= schema["maximum"]:
        return False
    if kind == "array":
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            return False
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            return False
        return all(_conforms(item, schema["items"], root) for item in value)
    if kind == "object":
        properties = schema["properties"]
        if set(value) != set(schema["required"]) or set(value) - set(properties):
            return False
        return all(_conforms(value[name], properties[name], root) for name in value)
    return True


@pytest.mark.parametrize("cls", TYPES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_json_forms_match_the_json_schemas(
    cls: type[t.CanonicalModel], data: st.DataObject
) -> None:
    schema = json.loads(t.json_schemas()[t.schema_file_name(cls)])
    assert _conforms(t.to_json(data.draw(STRATEGIES[cls])), schema, schema)


SCHEMAS = Path(__file__).resolve().parents[3] / "conformance" / "schemas"


def test_committed_schemas_equal_fresh_ones() -> None:
    if not SCHEMAS.is_dir():
        pytest.skip(f"no repository checkout around this package ({SCHEMAS} missing)")
    fresh = t.json_schemas()
    committed = {path.name: path.read_text(encoding="utf-8") for path in SCHEMAS.glob("*.json")}
    assert committed == fresh, "run `uv run python -m aetron_types schemas conformance/schemas`"


def test_writing_schemas_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "gone.schema.json").write_text("{}")
    t.write_json_schemas(tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    t.write_json_schemas(tmp_path)
    assert first == {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert "gone.schema.json" not in first
    assert len(first) == len(t.PROTOCOL_TYPES)


@given(replay_assignments, st.binary(min_size=80, max_size=80))
def test_assignment_id_ignores_the_malleable_proof_bytes(
    assignment: t.ReplayAssignment, other_proof: bytes
) -> None:
    other = t.ReplayAssignment(**{**assignment.model_dump(), "vrf_proof": other_proof})
    assert other.assignment_id() == assignment.assignment_id()
    moved = t.ReplayAssignment(
        **{**assignment.model_dump(), "leaf_index": (assignment.leaf_index + 1) % t.MAX_BATCH_SIZE}
    )
    assert moved.assignment_id() != assignment.assignment_id()
