"""Field types shared by the models: fixed-width integers, ids, hashes and enum fields."""

from __future__ import annotations

from typing import Annotated

from ._constants import HASH_SIZE, KEY_SIZE, SIGNATURE_SIZE
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
from ._wire import Code, FixedBytes, UInt

U8 = Annotated[int, UInt(8)]
U16 = Annotated[int, UInt(16)]
U32 = Annotated[int, UInt(32)]
U64 = Annotated[int, UInt(64)]

Hash32 = Annotated[bytes, FixedBytes(HASH_SIZE)]
"""A BLAKE3-256 digest."""
NeuronetId = Annotated[bytes, FixedBytes(HASH_SIZE)]
"""A neuronet's 32-byte id, assigned when it is created."""
TaskId = Annotated[bytes, FixedBytes(HASH_SIZE)]
"""A task's 32-byte id: the BLAKE3-256 hash of the task's canonical encoding."""
MinerId = Annotated[bytes, FixedBytes(KEY_SIZE)]
"""A miner's 32-byte Ed25519 public key."""
AccountId = Annotated[bytes, FixedBytes(KEY_SIZE)]
"""An account's 32-byte Ed25519 public key (neuronet owners, allowlisted clients)."""
Signature = Annotated[bytes, FixedBytes(SIGNATURE_SIZE)]
"""A 64-byte Ed25519 signature over ``signing_bytes`` of the object that carries it."""

QuantFormatField = Annotated[QuantFormat, Code(QuantFormat)]
HardwareArchField = Annotated[HardwareArch, Code(HardwareArch)]
ComputeDtypeField = Annotated[ComputeDtype, Code(ComputeDtype)]
AttentionBackendField = Annotated[AttentionBackend, Code(AttentionBackend)]
TaskKindField = Annotated[TaskKind, Code(TaskKind)]
ArtifactKindField = Annotated[ArtifactKind, Code(ArtifactKind)]
AccessModeField = Annotated[AccessMode, Code(AccessMode)]
ReplayOutcomeField = Annotated[ReplayOutcome, Code(ReplayOutcome)]
ArbitrationOutcomeField = Annotated[ArbitrationOutcome, Code(ArbitrationOutcome)]
TeeVendorField = Annotated[TeeVendor, Code(TeeVendor)]
