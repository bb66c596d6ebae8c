"""JSON Schemas of the JSON forms, generated from the models (``conformance/schemas/``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ._artifact import ValidationArtifact
from ._execution import ExecutionSpec, InferenceRequest
from ._miner import MinerRegistration, PowSolution, PulseResult, ScoreSignals, TeeAttestation
from ._model import CanonicalModel
from ._neuronet import AccessPolicy, Neuronet, ReferenceProbe, Task
from ._replay import ArbitrationVerdict, ArtifactBatchCommitment, ReplayAssignment, ReplayVerdict
from ._settlement import EpochSettlement, MinerPayout

__all__ = ["PROTOCOL_TYPES", "json_schemas", "schema_file_name", "write_json_schemas"]

PROTOCOL_TYPES: tuple[type[CanonicalModel], ...] = (
    ExecutionSpec,
    InferenceRequest,
    ValidationArtifact,
    AccessPolicy,
    ReferenceProbe,
    Task,
    Neuronet,
    ArtifactBatchCommitment,
    ReplayAssignment,
    ReplayVerdict,
    ArbitrationVerdict,
    PowSolution,
    TeeAttestation,
    MinerRegistration,
    ScoreSignals,
    PulseResult,
    MinerPayout,
    EpochSettlement,
)
"""Every protocol object type, in the order ``specs/types.md`` presents them."""

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_file_name(cls: type[CanonicalModel]) -> str:
    """``ValidationArtifact`` -> ``validation_artifact.schema.json``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower() + ".schema.json"


def json_schemas() -> dict[str, str]:
    """The text of every schema file, by file name; the same bytes on every run."""
    files: dict[str, str] = {}
    for cls in PROTOCOL_TYPES:
        schema = {"$schema": _DIALECT, **cls.model_json_schema(mode="serialization")}
        files[schema_file_name(cls)] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return files


def write_json_schemas(directory: Path) -> list[Path]:
    """Write every schema under ``directory``, deleting schema files no type has any more."""
    directory.mkdir(parents=True, exist_ok=True)
    files = json_schemas()
    for stale in directory.glob("*.schema.json"):
        if stale.name not in files:
            stale.unlink()
    written = []
    for name, text in files.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
