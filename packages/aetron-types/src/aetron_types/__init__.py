"""AETRON protocol objects and their one canonical byte encoding.

Every object is an immutable pydantic model with three forms that convert into each other
without loss: Python values, canonical bytes (:func:`encode` / :func:`decode`) and a JSON form
(:func:`to_json` / :func:`from_json`). Anything that is not exactly one of those forms raises
:class:`AetronTypesError` with a stable ``code``. The encoding is specified in
``specs/types.md``.
"""

from __future__ import annotations

from ._artifact import ValidationArtifact
from ._codec import (
    decode,
    encode,
    from_json,
    object_hash,
    request_hash,
    signing_bytes,
    to_json,
)
from ._constants import (
    ARTIFACT_SAMPLE_SLOTS,
    ARTIFACT_SIZE,
    ARTIFACT_VERSION,
    BASIS_POINTS,
    HASH_SIZE,
    KEY_SIZE,
    LENGTH_PREFIX,
    MAX_BATCH_SIZE,
    MAX_LABEL_BYTES,
    MAX_OWNER_SHARE_BP,
    MAX_PROBES_PER_TASK,
    MAX_PROMPT_BYTES,
    MAX_TASKS_PER_NEURONET,
    MAX_TEE_EVIDENCE_BYTES,
    MAX_TEE_MEASUREMENT_BYTES,
    MILLI,
    PPM,
    SIGNATURE_SIZE,
    SIGNING_DOMAIN,
    TEE_REPORT_DATA_SIZE,
    VRF_PROOF_SIZE,
)
from ._enums import (
    AccessMode,
    ArbitrationOutcome,
    ArtifactKind,
    AttentionBackend,
    ComputeDtype,
    HardwareArch,
    QuantFormat,
    ReplayOutcome,
    TaskKind,
    TeeVendor,
)
from ._errors import ERROR_CODES, AetronTypesError
from ._execution import ExecutionSpec, InferenceRequest, temperature_to_milli, top_p_to_ppm
from ._miner import MinerRegistration, PowSolution, PulseResult, ScoreSignals, TeeAttestation
from ._model import CanonicalModel
from ._neuronet import AccessPolicy, Neuronet, ReferenceProbe, Task
from ._replay import ArbitrationVerdict, ArtifactBatchCommitment, ReplayAssignment, ReplayVerdict
from ._scalars import AccountId, Hash32, MinerId, NeuronetId, Signature, TaskId
from ._schema import PROTOCOL_TYPES, json_schemas, schema_file_name, write_json_schemas
from ._settlement import EpochSettlement, MinerPayout

__all__ = [
    "ARTIFACT_SAMPLE_SLOTS",
    "ARTIFACT_SIZE",
    "ARTIFACT_VERSION",
    "BASIS_POINTS",
    "ERROR_CODES",
    "HASH_SIZE",
    "KEY_SIZE",
    "LENGTH_PREFIX",
    "MAX_BATCH_SIZE",
    "MAX_LABEL_BYTES",
    "MAX_OWNER_SHARE_BP",
    "MAX_PROBES_PER_TASK",
    "MAX_PROMPT_BYTES",
    "MAX_TASKS_PER_NEURONET",
    "MAX_TEE_EVIDENCE_BYTES",
    "MAX_TEE_MEASUREMENT_BYTES",
    "MILLI",
    "PPM",
    "PROTOCOL_TYPES",
    "SIGNATURE_SIZE",
    "SIGNING_DOMAIN",
    "TEE_REPORT_DATA_SIZE",
    "VRF_PROOF_SIZE",
    "AccessMode",
    "AccessPolicy",
    "AccountId",
    "AetronTypesError",
    "ArbitrationOutcome",
    "ArbitrationVerdict",
    "ArtifactBatchCommitment",
    "ArtifactKind",
    "AttentionBackend",
    "CanonicalModel",
    "ComputeDtype",
    "EpochSettlement",
    "ExecutionSpec",
    "HardwareArch",
    "Hash32",
    "InferenceRequest",
    "MinerId",
    "MinerPayout",
    "MinerRegistration",
    "Neuronet",
    "NeuronetId",
    "PowSolution",
    "PulseResult",
    "QuantFormat",
    "ReferenceProbe",
    "ReplayAssignment",
    "ReplayOutcome",
    "ReplayVerdict",
    "ScoreSignals",
    "Signature",
    "Task",
    "TaskId",
    "TaskKind",
    "TeeAttestation",
    "TeeVendor",
    "ValidationArtifact",
    "decode",
    "encode",
    "from_json",
    "json_schemas",
    "object_hash",
    "request_hash",
    "schema_file_name",
    "signing_bytes",
    "temperature_to_milli",
    "to_json",
    "top_p_to_ppm",
    "write_json_schemas",
]
