"""Types vectors: canonical encodings of every protocol object, and one case per way to be wrong.

Handlers, for every type ``<type>`` (snake case: ``validation_artifact``):

``decode.<type>``
    input ``{"bytes": "0x…"}``; output ``{"value": <JSON form>, "hash": "0x…"}`` (the hash is
    BLAKE3-256 of the bytes).
``encode.<type>``
    input ``{"value": <JSON form>}`` or ``{"text": "<JSON text>"}``; output
    ``{"bytes": "0x…", "hash": "0x…"}``.
``neuronet.with_owner_share``
    input ``{"neuronet": <JSON form>, "owner_share_bp": n}``; output ``{"value": <JSON form>}``.

Invalid byte strings are made by encoding objects built without validation
(``model_construct``) or by editing one field of a canonical encoding; every case is checked
against the reference decoder when it is generated.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import aetron_types as t
from aetron_types import CanonicalModel

from .._vector import HandlerError, Vector

DOMAIN = "types"
_GENERATOR = "aetron_conformance.domains.types"
_SPEC = "specs/types.md"

_TYPES: dict[str, type[CanonicalModel]] = {
    re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower(): cls for cls in t.PROTOCOL_TYPES
}
_GROUP = {cls: group for group, cls in _TYPES.items()}


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def _unhex(value: Any) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(r"0x(?:[0-9a-f]{2})*", value):
        raise HandlerError("TYPES.BAD_HEX", "vector input is not 0x-prefixed lowercase hex")
    return bytes.fromhex(value[2:])


def _h(label: str, size: int = 32) -> bytes:
    """Deterministic example bytes, different for every label."""
    return hashlib.shake_256(label.encode()).digest(size)


def _keys(label: str, count: int) -> tuple[bytes, ...]:
    return tuple(sorted(_h(f"{label}/{index}") for index in range(count)))


# --- Example objects ---------------------------------------------------------------------

# Values are typed Any: each case reads the fields of its own type.
Examples = dict[type[CanonicalModel], dict[str, Any]]


def _examples() -> Examples:
    cpu = t.ExecutionSpec(
        compute_dtype=t.ComputeDtype.fp32,
        quant_format=t.QuantFormat.bf16,
        hardware_arch=t.HardwareArch.x86_64_avx512,
        attention_backend=t.AttentionBackend.sdpa_math,
        torch_version="2.13.0",
        cuda_version="",
        rocm_version="",
        thread_count=2,
    )
    cuda = t.ExecutionSpec(
        compute_dtype=t.ComputeDtype.bf16,
        quant_format=t.QuantFormat.nvfp4,
        hardware_arch=t.HardwareArch.nvidia_blackwell,
        attention_backend=t.AttentionBackend.sdpa_flash,
        torch_version="2.13.0+cu128",
        cuda_version="12.8",
        rocm_version="",
        thread_count=1,
    )
    rocm = t.ExecutionSpec(
        compute_dtype=t.ComputeDtype.fp16,
        quant_format=t.QuantFormat.q4_0,
        hardware_arch=t.HardwareArch.amd_cdna3,
        attention_backend=t.AttentionBackend.eager,
        torch_version="2.13.0+rocm6.3",
        cuda_version="",
        rocm_version="6.3",
        thread_count=65535,
    )
    greedy = t.InferenceRequest(
        prompt=b"The capital of France is",
        max_new_tokens=16,
        seed=0,
        temperature_milli=0,
        top_k=0,
        top_p_ppm=t.PPM,
    )
    sampled = t.InferenceRequest(
        prompt="Écris un haïku sur la mer.".encode(),
        max_new_tokens=256,
        seed=2**64 - 1,
        temperature_milli=t.temperature_to_milli(0.7),
        top_k=40,
        top_p_ppm=t.top_p_to_ppm(0.95),
    )
    empty = t.InferenceRequest(
        prompt=b"", max_new_tokens=0, seed=1, temperature_milli=0, top_k=0, top_p_ppm=1
    )
    lm = t.ValidationArtifact(
        kind=t.ArtifactKind.causal_lm,
        quant_format=t.QuantFormat.bf16,
        sample_count=8,
        prompt_len=6,
        output_len=16,
        seed=0,
        request_hash=greedy.hash(),
        context_hash=_h("lm/context"),
        commitment=_h("lm/commitment"),
        sample_ids=(464, 3139, 286, 4881, 318, 6342, 13, 198),
        sample_values=(0x4140, 0x4120, 0x4100, 0x40E0, 0x40C0, 0x40A0, 0x4080, 0x4040),
    )
    diffusion = t.ValidationArtifact(
        kind=t.ArtifactKind.diffusion,
        quant_format=t.QuantFormat.fp8_e4m3,
        sample_count=3,
        prompt_len=50,
        output_len=16384,
        seed=2**63 + 5,
        request_hash=sampled.hash(),
        context_hash=_h("diffusion/conditioning"),
        commitment=_h("diffusion/latent-chain"),
        sample_ids=(0, 24, 49, 0, 0, 0, 0, 0),
        sample_values=(0x3F80, 0xBF00, 0x0001, 0, 0, 0, 0, 0),
    )
    bare = t.ValidationArtifact(
        kind=t.ArtifactKind.causal_lm,
        quant_format=t.QuantFormat.q4_0,
        sample_count=0,
        prompt_len=0,
        output_len=0,
        seed=7,
        request_hash=empty.hash(),
        context_hash=bytes(32),
        commitment=bytes(32),
        sample_ids=(0,) * 8,
        sample_values=(0,) * 8,
    )
    open_policy = t.AccessPolicy(mode=t.AccessMode.open, allowlist=())
    allowlist = t.AccessPolicy(mode=t.AccessMode.allowlist, allowlist=_keys("client", 2))
    probe = t.ReferenceProbe(request=greedy, expected_hash=_h("probe/greedy"))
    probe2 = t.ReferenceProbe(request=sampled, expected_hash=_h("probe/sampled"))
    inference = t.Task(
        kind=t.TaskKind.inference, model_hash=_h("model/lm"), execution_spec=cpu, probes=(probe,)
    )
    private = t.Task(
        kind=t.TaskKind.private_model,
        model_hash=_h("model/private"),
        execution_spec=cuda,
        probes=(probe, probe2),
    )
    training = t.Task(
        kind=t.TaskKind.training,
        model_hash=_h("model/cnn"),
        execution_spec=rocm,
        probes=(probe2,),
    )
    miners = _keys("miner", 3)
    neuronet = t.Neuronet(
        neuronet_id=_h("neuronet/1"),
        owner=_h("owner/1"),
        owner_share_bp=t.MAX_OWNER_SHARE_BP,
        created_at=1_000,
        access_policy=open_policy,
        miners=miners,
        vetoed=_keys("vetoed", 1),
        stake=25 * 10**8,
        tasks=tuple(sorted((inference, private), key=lambda task: task.task_id())),
    )
    empty_net = t.Neuronet(
        neuronet_id=_h("neuronet/2"),
        owner=_h("owner/2"),
        owner_share_bp=0,
        created_at=2**64 - 1,
        access_policy=allowlist,
        miners=(),
        vetoed=(),
        stake=0,
        tasks=(),
    )
    batch = t.ArtifactBatchCommitment(
        neuronet_id=neuronet.neuronet_id,
        task_id=inference.task_id(),
        miner=miners[0],
        epoch=42,
        size=1_000_000,
        merkle_root=_h("batch/root"),
        signature=_h("batch/signature", 64),
    )
    assignment = t.ReplayAssignment(
        neuronet_id=neuronet.neuronet_id,
        epoch=42,
        batch_hash=batch.hash(),
        leaf_index=999_999,
        miner=miners[0],
        replayer=miners[1],
        vrf_proof=_h("assignment/proof", t.VRF_PROOF_SIZE),
    )
    verdicts = {
        f"{outcome.value}": t.ReplayVerdict(
            assignment_id=assignment.assignment_id(),
            replayer=miners[1],
            outcome=outcome,
            replay_commitment=_h(f"replay/{outcome.value}"),
            signature=_h(f"replay/{outcome.value}/signature", 64),
        )
        for outcome in t.ReplayOutcome
    }
    rulings = {
        f"{outcome.value}": t.ArbitrationVerdict(
            assignment_id=assignment.assignment_id(),
            miner=miners[0],
            replayer=miners[1],
            arbiter=miners[2],
            outcome=outcome,
            arbiter_commitment=_h(f"arbitration/{outcome.value}"),
            signature=_h(f"arbitration/{outcome.value}/signature", 64),
        )
        for outcome in t.ArbitrationOutcome
    }
    pow_ = t.PowSolution(challenge=_h("block/hash"), nonce=2**40 + 3)
    tdx = t.TeeAttestation(
        vendor=t.TeeVendor.intel_tdx,
        measurement=_h("tdx/mrtd", 48),
        report_data=_h("tdx/report-data", 64),
        evidence=_h("tdx/quote", 600),
    )
    snp = t.TeeAttestation(
        vendor=t.TeeVendor.amd_sev_snp,
        measurement=_h("snp/measurement", 64),
        report_data=bytes(64),
        evidence=b"\x00",
    )
    by_fee = t.MinerRegistration(
        neuronet_id=neuronet.neuronet_id,
        miner=miners[0],
        height=1_200,
        hardware_arch=t.HardwareArch.nvidia_hopper,
        fee=10**7,
        pow=None,
        tee=None,
        signature=_h("registration/fee", 64),
    )
    by_work = t.MinerRegistration(
        neuronet_id=neuronet.neuronet_id,
        miner=miners[1],
        height=1_201,
        hardware_arch=t.HardwareArch.apple_silicon,
        fee=None,
        pow=pow_,
        tee=tdx,
        signature=_h("registration/pow", 64),
    )
    signals = t.ScoreSignals(
        miner=miners[0],
        neuronet_id=neuronet.neuronet_id,
        epoch=42,
        confirmed_work=123_456,
        pulse_score_ppm=1_250_000,
        uptime_ppm=999_000,
        rechecks_assigned=14,
        rechecks_completed=14,
    )
    idle = t.ScoreSignals(
        miner=miners[2],
        neuronet_id=neuronet.neuronet_id,
        epoch=42,
        confirmed_work=0,
        pulse_score_ppm=0,
        uptime_ppm=0,
        rechecks_assigned=3,
        rechecks_completed=1,
    )
    pulse = t.PulseResult(
        miner=miners[0],
        epoch=42,
        hardware_arch=t.HardwareArch.nvidia_hopper,
        workload_hash=_h("pulse/hopper/workload"),
        output_hash=_h("pulse/hopper/output"),
        work_units=4_096,
        elapsed_us=1_733_205,
    )
    payouts = tuple(
        t.MinerPayout(miner=miner, amount=amount)
        for miner, amount in zip(miners[:2], (60_000_000, 48_000_000), strict=True)
    )
    settlement = t.EpochSettlement(
        neuronet_id=neuronet.neuronet_id,
        epoch=42,
        emission=135_000_000,
        owner_amount=13_500_000,
        staker_amount=13_500_000,
        unallocated=0,
        miner_payouts=payouts,
        excluded_miners=miners[2:],
    )
    return {
        t.ExecutionSpec: {"cpu": cpu, "cuda": cuda, "rocm": rocm},
        t.InferenceRequest: {"greedy": greedy, "sampled": sampled, "empty_prompt": empty},
        t.ValidationArtifact: {"causal_lm": lm, "diffusion": diffusion, "no_samples": bare},
        t.AccessPolicy: {"open": open_policy, "allowlist": allowlist},
        t.ReferenceProbe: {"greedy": probe},
        t.Task: {"inference": inference, "private_model": private, "training": training},
        t.Neuronet: {"two_tasks": neuronet, "empty": empty_net},
        t.ArtifactBatchCommitment: {"million": batch},
        t.ReplayAssignment: {"last_leaf": assignment},
        t.ReplayVerdict: verdicts,
        t.ArbitrationVerdict: rulings,
        t.PowSolution: {"nonce": pow_},
        t.TeeAttestation: {"intel_tdx": tdx, "amd_sev_snp": snp},
        t.MinerRegistration: {"fee": by_fee, "pow_with_tee": by_work},
        t.ScoreSignals: {"full": signals, "idle": idle},
        t.PulseResult: {"hopper": pulse},
        t.MinerPayout: {"single": payouts[0]},
        t.EpochSettlement: {"two_paid_one_excluded": settlement},
    }


# --- Invalid cases -----------------------------------------------------------------------


def _forge(obj: CanonicalModel, **changes: Any) -> bytes:
    """The encoding ``obj`` would have with ``changes``, which no valid object has."""
    return type(obj).model_construct(**{**dict(obj), **changes}).encode()


def _patch(data: bytes, offset: int, new: bytes) -> bytes:
    return data[:offset] + new + data[offset + len(new) :]


def _u32(value: int) -> bytes:
    return value.to_bytes(4, "little")


# (type, case, description, bytes, expected code)
Bad = tuple[type[CanonicalModel], str, str, bytes, str]


def _invalid_bytes(ex: Examples) -> Iterator[Bad]:
    art = ex[t.ValidationArtifact]["causal_lm"]
    diffusion = ex[t.ValidationArtifact]["diffusion"]
    a = art.encode()
    yield (
        t.ValidationArtifact,
        "invalid_too_long",
        "One byte past the fixed 164-byte layout.",
        a + b"\x00",
        "TYPES.ARTIFACT_TOO_LONG",
    )
    yield (
        t.ValidationArtifact,
        "invalid_too_short",
        "One byte short of the fixed layout.",
        a[:-1],
        "TYPES.ARTIFACT_TOO_SHORT",
    )
    yield (
        t.ValidationArtifact,
        "invalid_empty",
        "An empty byte string is no artifact.",
        b"",
        "TYPES.ARTIFACT_TOO_SHORT",
    )
    yield (
        t.ValidationArtifact,
        "invalid_version",
        "Layout version 2 is not defined.",
        _patch(a, 0, b"\x02"),
        "TYPES.UNSUPPORTED_VERSION",
    )
    yield (
        t.ValidationArtifact,
        "invalid_version_zero",
        "Layout version 0 is not defined.",
        _patch(a, 0, b"\x00"),
        "TYPES.UNSUPPORTED_VERSION",
    )
    yield (
        t.ValidationArtifact,
        "invalid_kind_code",
        "Artifact kind code 2 does not exist.",
        _patch(a, 1, b"\x02"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )
    yield (
        t.ValidationArtifact,
        "invalid_quant_format_code",
        "Quantization format code 18 is one past the last format.",
        _patch(a, 2, b"\x12"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )
    yield (
        t.ValidationArtifact,
        "invalid_sample_count",
        "A sample count of 9 exceeds the 8 slots.",
        _patch(a, 3, b"\x09"),
        "TYPES.OUT_OF_RANGE",
    )
    yield (
        t.ValidationArtifact,
        "invalid_unused_sample_id",
        "A non-zero sample id after the used entries.",
        _forge(diffusion, sample_ids=(0, 24, 49, 1, 0, 0, 0, 0)),
        "TYPES.NONZERO_UNUSED",
    )
    yield (
        t.ValidationArtifact,
        "invalid_unused_sample_value",
        "A non-zero sample value in the last, unused entry.",
        _forge(diffusion, sample_values=(0x3F80, 0xBF00, 1, 0, 0, 0, 0, 0x8000)),
        "TYPES.NONZERO_UNUSED",
    )

    spec = ex[t.ExecutionSpec]["cpu"]
    s = spec.encode()
    yield (
        t.ExecutionSpec,
        "invalid_truncated",
        "The last byte of thread_count is missing.",
        s[:-1],
        "TYPES.TRUNCATED",
    )
    yield (
        t.ExecutionSpec,
        "invalid_trailing_byte",
        "One byte after a complete encoding.",
        s + b"\x00",
        "TYPES.TRAILING_BYTES",
    )
    yield (
        t.ExecutionSpec,
        "invalid_compute_dtype_code",
        "Compute dtype code 3 does not exist.",
        _patch(s, 0, b"\x03"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )
    yield (
        t.ExecutionSpec,
        "invalid_hardware_arch_code",
        "Hardware architecture code 9 is one past the last.",
        _patch(s, 2, b"\x09"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )
    yield (
        t.ExecutionSpec,
        "invalid_attention_backend_code",
        "Attention backend code 255 does not exist.",
        _patch(s, 3, b"\xff"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )
    yield (
        t.ExecutionSpec,
        "invalid_version_space",
        "A space is not allowed in a version string.",
        _forge(spec, torch_version="2.13.0 "),
        "TYPES.BAD_STRING",
    )
    yield (
        t.ExecutionSpec,
        "invalid_version_non_ascii",
        "A byte above 0x7f in a version string.",
        s.replace(b"2.13.0", b"2.13.\xe9"),
        "TYPES.BAD_STRING",
    )
    yield (
        t.ExecutionSpec,
        "invalid_version_too_long",
        "A 33-byte version string, one over the limit.",
        _forge(spec, cuda_version="1" * (t.MAX_LABEL_BYTES + 1)),
        "TYPES.BAD_STRING",
    )

    greedy = ex[t.InferenceRequest]["greedy"]
    big = b"A" * (t.MAX_PROMPT_BYTES + 1)
    yield (
        t.InferenceRequest,
        "invalid_prompt_too_long",
        "A complete request whose prompt is one byte over 65,536.",
        _forge(greedy, prompt=big),
        "TYPES.PROMPT_TOO_LONG",
    )
    yield (
        t.InferenceRequest,
        "invalid_prompt_length_forged",
        "A prompt length of 2^32-1 is rejected on the length, before any prompt byte is read.",
        _u32(2**32 - 1),
        "TYPES.PROMPT_TOO_LONG",
    )
    yield (
        t.InferenceRequest,
        "invalid_prompt_truncated",
        "The prompt length promises more bytes than follow.",
        _u32(100) + b"short",
        "TYPES.TRUNCATED",
    )
    yield (
        t.InferenceRequest,
        "invalid_top_p_zero",
        "top_p_ppm 0 keeps no token at all.",
        _forge(greedy, top_p_ppm=0),
        "TYPES.OUT_OF_RANGE",
    )
    yield (
        t.InferenceRequest,
        "invalid_top_p_above_one",
        "top_p_ppm 1,000,001 is above 1.",
        _forge(greedy, top_p_ppm=t.PPM + 1),
        "TYPES.OUT_OF_RANGE",
    )

    policy = ex[t.AccessPolicy]["allowlist"]
    clients = policy.allowlist
    yield (
        t.AccessPolicy,
        "invalid_open_with_accounts",
        "An open policy that lists accounts.",
        _forge(policy, mode=t.AccessMode.open),
        "TYPES.ACCESS_POLICY_MISMATCH",
    )
    yield (
        t.AccessPolicy,
        "invalid_empty_allowlist",
        "An allowlist policy with no account.",
        _forge(policy, allowlist=()),
        "TYPES.ACCESS_POLICY_MISMATCH",
    )
    yield (
        t.AccessPolicy,
        "invalid_allowlist_unsorted",
        "Allowlist keys in descending order.",
        _forge(policy, allowlist=clients[::-1]),
        "TYPES.NOT_SORTED",
    )
    yield (
        t.AccessPolicy,
        "invalid_allowlist_duplicate",
        "The same key listed twice.",
        _forge(policy, allowlist=(clients[0], clients[0])),
        "TYPES.DUPLICATE_ENTRY",
    )
    yield (
        t.AccessPolicy,
        "invalid_mode_code",
        "Access mode code 2 does not exist.",
        _patch(policy.encode(), 0, b"\x02"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )
    yield (
        t.AccessPolicy,
        "invalid_count_forged",
        "An allowlist count of 2^32-1 with two keys after it.",
        _patch(policy.encode(), 1, _u32(2**32 - 1)),
        "TYPES.TRUNCATED",
    )

    task = ex[t.Task]["inference"]
    probe = task.probes[0]
    yield (
        t.Task,
        "invalid_no_probes",
        "A task with no reference probe.",
        _forge(task, probes=()),
        "TYPES.TOO_FEW_ENTRIES",
    )
    yield (
        t.Task,
        "invalid_too_many_probes",
        "65 reference probes, one over the limit.",
        _forge(task, probes=(probe,) * (t.MAX_PROBES_PER_TASK + 1)),
        "TYPES.TOO_MANY_ENTRIES",
    )
    yield (
        t.Task,
        "invalid_kind_code",
        "Task kind code 3 does not exist.",
        _patch(task.encode(), 0, b"\x03"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )

    net = ex[t.Neuronet]["two_tasks"]
    miners = net.miners
    yield (
        t.Neuronet,
        "invalid_owner_share_too_high",
        "An owner share of 1,001 basis points, one over 10 %.",
        _forge(net, owner_share_bp=t.MAX_OWNER_SHARE_BP + 1),
        "TYPES.OWNER_SHARE_TOO_HIGH",
    )
    yield (
        t.Neuronet,
        "invalid_roster_overlap",
        "A vetoed miner still on the roster.",
        _forge(net, vetoed=miners[:1]),
        "TYPES.ROSTER_OVERLAP",
    )
    yield (
        t.Neuronet,
        "invalid_miners_unsorted",
        "Roster keys out of order.",
        _forge(net, miners=(miners[1], miners[0], miners[2])),
        "TYPES.NOT_SORTED",
    )
    yield (
        t.Neuronet,
        "invalid_vetoed_duplicate",
        "The same vetoed key twice.",
        _forge(net, vetoed=net.vetoed * 2),
        "TYPES.DUPLICATE_ENTRY",
    )
    yield (
        t.Neuronet,
        "invalid_tasks_unsorted",
        "Tasks in descending task-id order.",
        _forge(net, tasks=net.tasks[::-1]),
        "TYPES.NOT_SORTED",
    )
    many = [
        t.Task(
            kind=t.TaskKind.inference,
            model_hash=_h(f"model/{index}"),
            execution_spec=task.execution_spec,
            probes=(probe,),
        )
        for index in range(t.MAX_TASKS_PER_NEURONET + 1)
    ]
    yield (
        t.Neuronet,
        "invalid_too_many_tasks",
        "257 distinct tasks, in order: one too many.",
        _forge(net, tasks=tuple(sorted(many, key=lambda task: task.task_id()))),
        "TYPES.TOO_MANY_ENTRIES",
    )

    batch = ex[t.ArtifactBatchCommitment]["million"]
    yield (
        t.ArtifactBatchCommitment,
        "invalid_empty_batch",
        "A batch of zero artifacts.",
        _forge(batch, size=0),
        "TYPES.OUT_OF_RANGE",
    )
    yield (
        t.ArtifactBatchCommitment,
        "invalid_batch_too_large",
        "2^20 + 1 artifacts.",
        _forge(batch, size=t.MAX_BATCH_SIZE + 1),
        "TYPES.OUT_OF_RANGE",
    )

    assignment = ex[t.ReplayAssignment]["last_leaf"]
    yield (
        t.ReplayAssignment,
        "invalid_self_replay",
        "A miner assigned to replay itself.",
        _forge(assignment, replayer=assignment.miner),
        "TYPES.SELF_REPLAY",
    )
    yield (
        t.ReplayAssignment,
        "invalid_leaf_index",
        "Leaf index 2^20 is past any batch.",
        _forge(assignment, leaf_index=t.MAX_BATCH_SIZE),
        "TYPES.OUT_OF_RANGE",
    )

    verdict = ex[t.ReplayVerdict]["match"].encode()
    yield (
        t.ReplayVerdict,
        "invalid_outcome_code",
        "Replay outcome code 2 does not exist.",
        _patch(verdict, 64, b"\x02"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )
    yield (
        t.ReplayVerdict,
        "invalid_signature_truncated",
        "A 63-byte signature.",
        verdict[:-1],
        "TYPES.TRUNCATED",
    )

    ruling = ex[t.ArbitrationVerdict]["miner_upheld"]
    yield (
        t.ArbitrationVerdict,
        "invalid_arbiter_is_miner",
        "The served miner arbitrating.",
        _forge(ruling, arbiter=ruling.miner),
        "TYPES.ARBITER_NOT_DISTINCT",
    )
    yield (
        t.ArbitrationVerdict,
        "invalid_arbiter_is_replayer",
        "The replayer arbitrating.",
        _forge(ruling, arbiter=ruling.replayer),
        "TYPES.ARBITER_NOT_DISTINCT",
    )
    yield (
        t.ArbitrationVerdict,
        "invalid_outcome_code",
        "Arbitration outcome code 3.",
        _patch(ruling.encode(), 128, b"\x03"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )

    fee = ex[t.MinerRegistration]["fee"]
    work = ex[t.MinerRegistration]["pow_with_tee"]
    yield (
        t.MinerRegistration,
        "invalid_fee_and_pow",
        "Paid by fee and by work at once.",
        _forge(fee, pow=work.pow),
        "TYPES.REGISTRATION_PAYMENT",
    )
    yield (
        t.MinerRegistration,
        "invalid_no_payment",
        "Neither a fee nor a proof of work.",
        _forge(fee, fee=None),
        "TYPES.REGISTRATION_PAYMENT",
    )
    yield (
        t.MinerRegistration,
        "invalid_fee_zero",
        "A fee of zero base units.",
        _forge(fee, fee=0),
        "TYPES.OUT_OF_RANGE",
    )
    yield (
        t.MinerRegistration,
        "invalid_option_tag",
        "The fee's option tag is 2, not 0 or 1.",
        _patch(fee.encode(), 73, b"\x02"),
        "TYPES.BAD_OPTION_TAG",
    )
    yield (
        t.MinerRegistration,
        "invalid_hardware_arch_code",
        "Hardware code 200.",
        _patch(fee.encode(), 72, b"\xc8"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )

    tee = ex[t.TeeAttestation]["amd_sev_snp"]
    yield (
        t.TeeAttestation,
        "invalid_empty_measurement",
        "A zero-length measurement.",
        _forge(tee, measurement=b""),
        "TYPES.BYTES_TOO_SHORT",
    )
    yield (
        t.TeeAttestation,
        "invalid_measurement_too_long",
        "A 65-byte measurement.",
        _forge(tee, measurement=b"\x01" * (t.MAX_TEE_MEASUREMENT_BYTES + 1)),
        "TYPES.BYTES_TOO_LONG",
    )
    yield (
        t.TeeAttestation,
        "invalid_empty_evidence",
        "Attestation with no evidence bytes.",
        _forge(tee, evidence=b""),
        "TYPES.BYTES_TOO_SHORT",
    )
    yield (
        t.TeeAttestation,
        "invalid_evidence_length_forged",
        "An evidence length over 65,536, rejected before reading.",
        tee.encode()[: 1 + 4 + 64 + 64] + _u32(t.MAX_TEE_EVIDENCE_BYTES + 1),
        "TYPES.BYTES_TOO_LONG",
    )
    yield (
        t.TeeAttestation,
        "invalid_vendor_code",
        "TEE vendor code 3 does not exist.",
        _patch(tee.encode(), 0, b"\x03"),
        "TYPES.UNKNOWN_ENUM_CODE",
    )

    signals = ex[t.ScoreSignals]["full"]
    yield (
        t.ScoreSignals,
        "invalid_rechecks_exceed_assigned",
        "15 re-checks closed of 14.",
        _forge(signals, rechecks_completed=15),
        "TYPES.RECHECKS_EXCEED_ASSIGNED",
    )
    yield (
        t.ScoreSignals,
        "invalid_uptime_above_one",
        "Uptime of 1,000,001 ppm.",
        _forge(signals, uptime_ppm=t.PPM + 1),
        "TYPES.OUT_OF_RANGE",
    )

    pulse = ex[t.PulseResult]["hopper"]
    yield (
        t.PulseResult,
        "invalid_zero_elapsed",
        "A run that took zero microseconds.",
        _forge(pulse, elapsed_us=0),
        "TYPES.OUT_OF_RANGE",
    )
    yield (
        t.PulseResult,
        "invalid_zero_work",
        "A workload of zero units.",
        _forge(pulse, work_units=0),
        "TYPES.OUT_OF_RANGE",
    )

    payout = ex[t.MinerPayout]["single"]
    yield (
        t.MinerPayout,
        "invalid_zero_amount",
        "A payout of nothing is left out, not listed.",
        _forge(payout, amount=0),
        "TYPES.OUT_OF_RANGE",
    )

    settled = ex[t.EpochSettlement]["two_paid_one_excluded"]
    paid = settled.miner_payouts
    yield (
        t.EpochSettlement,
        "invalid_sum_short",
        "The parts add to one unit less.",
        _forge(settled, emission=settled.emission + 1),
        "TYPES.SETTLEMENT_SUM",
    )
    yield (
        t.EpochSettlement,
        "invalid_sum_over",
        "The parts add to one unit more.",
        _forge(settled, emission=settled.emission - 1),
        "TYPES.SETTLEMENT_SUM",
    )
    yield (
        t.EpochSettlement,
        "invalid_excluded_paid",
        "An excluded miner is paid.",
        _forge(settled, excluded_miners=(paid[0].miner,)),
        "TYPES.EXCLUDED_MINER_PAID",
    )
    yield (
        t.EpochSettlement,
        "invalid_payouts_unsorted",
        "Payouts out of miner order.",
        _forge(settled, miner_payouts=paid[::-1]),
        "TYPES.NOT_SORTED",
    )
    yield (
        t.EpochSettlement,
        "invalid_payout_duplicate",
        "Two payouts to the same miner.",
        _forge(
            settled,
            miner_payouts=(paid[0], paid[0]),
            emission=settled.emission - paid[1].amount + paid[0].amount,
        ),
        "TYPES.DUPLICATE_ENTRY",
    )


# (type, case, description, input, expected code)
BadJson = tuple[type[CanonicalModel], str, str, dict[str, Any], str]


def _invalid_json(ex: Examples) -> Iterator[BadJson]:
    req = ex[t.InferenceRequest]["greedy"].to_json()
    yield (
        t.InferenceRequest,
        "invalid_json_seed_number",
        "A u64 given as a JSON number.",
        {"value": {**req, "seed": 0}},
        "TYPES.WRONG_TYPE",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_seed_leading_zero",
        "A u64 string with a leading 0.",
        {"value": {**req, "seed": "01"}},
        "TYPES.BAD_DECIMAL",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_seed_sign",
        "A u64 string with a plus sign.",
        {"value": {**req, "seed": "+1"}},
        "TYPES.BAD_DECIMAL",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_seed_overflow",
        "2^64 does not fit a u64.",
        {"value": {**req, "seed": str(2**64)}},
        "TYPES.OUT_OF_RANGE",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_top_k_string",
        "A u32 given as a string.",
        {"value": {**req, "top_k": "0"}},
        "TYPES.WRONG_TYPE",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_top_k_float",
        "A u32 given as 0.0.",
        {"text": json.dumps({**req, "top_k": 0}).replace('"top_k": 0', '"top_k": 0.0')},
        "TYPES.WRONG_TYPE",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_prompt_uppercase",
        "Upper-case hex digits.",
        {"value": {**req, "prompt": req["prompt"].upper().replace("0X", "0x")}},
        "TYPES.BAD_HEX",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_prompt_no_prefix",
        "Hex without 0x.",
        {"value": {**req, "prompt": req["prompt"][2:]}},
        "TYPES.BAD_HEX",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_prompt_odd_length",
        "An odd number of hex digits.",
        {"value": {**req, "prompt": req["prompt"] + "0"}},
        "TYPES.BAD_HEX",
    )
    yield (
        t.InferenceRequest,
        "invalid_json_prompt_too_long",
        "A 65,537-byte prompt.",
        {"value": {**req, "prompt": "0x" + "00" * (t.MAX_PROMPT_BYTES + 1)}},
        "TYPES.PROMPT_TOO_LONG",
    )

    art = ex[t.ValidationArtifact]["causal_lm"].to_json()
    yield (
        t.ValidationArtifact,
        "invalid_json_hash_short",
        "A 31-byte request hash.",
        {"value": {**art, "request_hash": art["request_hash"][:-2]}},
        "TYPES.WRONG_LENGTH",
    )
    yield (
        t.ValidationArtifact,
        "invalid_json_seven_sample_ids",
        "Seven sample ids, not eight.",
        {"value": {**art, "sample_ids": art["sample_ids"][:7]}},
        "TYPES.WRONG_LENGTH",
    )
    yield (
        t.ValidationArtifact,
        "invalid_json_missing_version",
        "The version is spelled out.",
        {"value": {k: v for k, v in art.items() if k != "version"}},
        "TYPES.MISSING_FIELD",
    )

    spec = ex[t.ExecutionSpec]["cpu"].to_json()
    yield (
        t.ExecutionSpec,
        "invalid_json_unknown_quant_format",
        "No format is called fp6.",
        {"value": {**spec, "quant_format": "fp6"}},
        "TYPES.UNKNOWN_ENUM_VALUE",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_enum_name_case",
        "Enum values are case-sensitive.",
        {"value": {**spec, "quant_format": "BF16"}},
        "TYPES.UNKNOWN_ENUM_VALUE",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_enum_by_code",
        "An enum given as its wire code.",
        {"value": {**spec, "quant_format": 2}},
        "TYPES.WRONG_TYPE",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_missing_field",
        "thread_count is missing.",
        {"value": {k: v for k, v in spec.items() if k != "thread_count"}},
        "TYPES.MISSING_FIELD",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_unknown_field",
        "An extra field.",
        {"value": {**spec, "device": "cpu"}},
        "TYPES.UNKNOWN_FIELD",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_bad_version_string",
        "A slash in a version string.",
        {"value": {**spec, "torch_version": "2.13/0"}},
        "TYPES.BAD_STRING",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_duplicate_key",
        "A key given twice in the JSON text.",
        {"text": json.dumps(spec)[:-1] + ', "thread_count": 2}'},
        "TYPES.MALFORMED_JSON",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_not_json",
        "Text that is not JSON.",
        {"text": '{"compute_dtype": '},
        "TYPES.MALFORMED_JSON",
    )
    yield (
        t.ExecutionSpec,
        "invalid_json_not_an_object",
        "A JSON array where an object goes.",
        {"value": [spec]},
        "TYPES.WRONG_TYPE",
    )

    reg = ex[t.MinerRegistration]["fee"].to_json()
    yield (
        t.MinerRegistration,
        "invalid_json_absent_option",
        "An absent value is null, not a missing key.",
        {"value": {k: v for k, v in reg.items() if k != "pow"}},
        "TYPES.MISSING_FIELD",
    )

    net = ex[t.Neuronet]["two_tasks"].to_json()
    yield (
        t.Neuronet,
        "invalid_json_bool_share",
        "true is not an integer.",
        {"value": {**net, "owner_share_bp": True}},
        "TYPES.WRONG_TYPE",
    )
    yield (
        t.Neuronet,
        "invalid_json_share_too_high",
        "Owner share 1,001 basis points.",
        {"value": {**net, "owner_share_bp": 1001}},
        "TYPES.OWNER_SHARE_TOO_HIGH",
    )
    yield (
        t.Neuronet,
        "invalid_json_miners_unsorted",
        "Roster out of order in JSON too.",
        {"value": {**net, "miners": net["miners"][::-1]}},
        "TYPES.NOT_SORTED",
    )


# --- Handlers and generation ---------------------------------------------------------------


def _decode(cls: type[CanonicalModel], input: dict[str, Any]) -> dict[str, Any]:
    obj = cls.decode(_unhex(input["bytes"]))
    return {"value": obj.to_json(), "hash": _hex(obj.hash())}


def _encode(cls: type[CanonicalModel], input: dict[str, Any]) -> dict[str, Any]:
    obj = cls.from_json(input["text"] if "text" in input else input["value"])
    return {"bytes": _hex(obj.encode()), "hash": _hex(obj.hash())}


def _with_owner_share(input: dict[str, Any]) -> dict[str, Any]:
    net = t.Neuronet.from_json(input["neuronet"])
    return {"value": net.with_owner_share(input["owner_share_bp"]).to_json()}


def handle(handler: str, input: dict[str, Any]) -> Any:
    """Run one types case."""
    if handler == "neuronet.with_owner_share":
        return _with_owner_share(input)
    operation, _, group = handler.partition(".")
    operations: dict[str, Callable[[type[CanonicalModel], dict[str, Any]], Any]] = {
        "decode": _decode,
        "encode": _encode,
    }
    if operation not in operations or group not in _TYPES:
        raise KeyError(handler)
    return operations[operation](_TYPES[group], input)


def _section(cls: type[CanonicalModel]) -> str:
    return f"{_SPEC}#{cls.__name__.lower()}"


def _checked(vector: Vector) -> Vector:
    """The vector, after checking that the reference gives what it expects."""
    expected = vector.expected
    try:
        got = handle(vector.handler, vector.input)
    except t.AetronTypesError as exc:
        if expected != Vector.invalid(exc.code):
            raise AssertionError(f"{vector.id}: reference raised {exc.code}") from exc
        return vector
    if expected != Vector.valid(got):
        raise AssertionError(f"{vector.id}: reference returned {got}")
    return vector


def generate() -> Iterator[Vector]:
    """Every types vector."""
    examples = _examples()
    for cls, cases in examples.items():
        group = _GROUP[cls]
        for case, obj in cases.items():
            data, form = obj.encode(), obj.to_json()
            yield _checked(
                Vector(
                    id=f"types/{group}/decode_{case}",
                    handler=f"decode.{group}",
                    description=f"The canonical encoding of a {cls.__name__} ({case}) decodes.",
                    input={"bytes": _hex(data)},
                    expected=Vector.valid({"value": form, "hash": _hex(obj.hash())}),
                    spec=_section(cls),
                    generator=_GENERATOR,
                )
            )
            yield _checked(
                Vector(
                    id=f"types/{group}/encode_{case}",
                    handler=f"encode.{group}",
                    description=f"The JSON form of a {cls.__name__} ({case}) encodes canonically.",
                    input={"value": form},
                    expected=Vector.valid({"bytes": _hex(data), "hash": _hex(obj.hash())}),
                    spec=_section(cls),
                    generator=_GENERATOR,
                )
            )
    for cls, case, description, data, code in _invalid_bytes(examples):
        yield _checked(
            Vector(
                id=f"types/{_GROUP[cls]}/{case}",
                handler=f"decode.{_GROUP[cls]}",
                description=description,
                input={"bytes": _hex(data)},
                expected=Vector.invalid(code),
                spec=_section(cls),
                generator=_GENERATOR,
            )
        )
    for cls, case, description, value, code in _invalid_json(examples):
        yield _checked(
            Vector(
                id=f"types/{_GROUP[cls]}/{case}",
                handler=f"encode.{_GROUP[cls]}",
                description=description,
                input=value,
                expected=Vector.invalid(code),
                spec=f"{_SPEC}#json-form",
                generator=_GENERATOR,
            )
        )
    net = examples[t.Neuronet]["two_tasks"]
    at_500 = net.with_owner_share(500)
    for case, start, share, expected in (
        (
            "lower_owner_share",
            net,
            250,
            Vector.valid({"value": at_500.with_owner_share(250).to_json()}),
        ),
        ("keep_owner_share", at_500, 500, Vector.valid({"value": at_500.to_json()})),
        ("invalid_raise_owner_share", at_500, 501, Vector.invalid("TYPES.OWNER_SHARE_RAISED")),
    ):
        yield _checked(
            Vector(
                id=f"types/neuronet/{case}",
                handler="neuronet.with_owner_share",
                description=f"Owner share from {start.owner_share_bp} to {share} basis points.",
                input={"neuronet": start.to_json(), "owner_share_bp": share},
                expected=expected,
                spec=f"{_SPEC}#neuronet",
                generator=_GENERATOR,
            )
        )
