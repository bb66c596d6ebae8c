"""Miners: registration (fee or proof of work, optional TEE evidence), Pulse, score signals."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import model_validator

from . import _errors as err
from ._constants import (
    MAX_TEE_EVIDENCE_BYTES,
    MAX_TEE_MEASUREMENT_BYTES,
    PPM,
    TEE_REPORT_DATA_SIZE,
)
from ._errors import AetronTypesError
from ._model import CanonicalModel
from ._scalars import (
    U32,
    U64,
    HardwareArchField,
    Hash32,
    MinerId,
    NeuronetId,
    Signature,
    TeeVendorField,
)
from ._wire import FixedBytes, UInt, VarBytes

__all__ = ["MinerRegistration", "PowSolution", "PulseResult", "ScoreSignals", "TeeAttestation"]

NonZeroU64 = Annotated[int, UInt(64, lo=1)]


class PowSolution(CanonicalModel):
    """A proof-of-work registration: a nonce for a recent chain challenge.

    The puzzle and its difficulty are defined in ``specs/scoring.md``; this is its structure.
    """

    challenge: Hash32
    """The block hash the puzzle was posed on."""
    nonce: U64
    """The solving nonce."""


class TeeAttestation(CanonicalModel):
    """Evidence that a miner runs inside a trusted execution environment (optional)."""

    vendor: TeeVendorField
    """Which TEE produced the evidence."""
    measurement: Annotated[bytes, VarBytes(MAX_TEE_MEASUREMENT_BYTES, lo=1)]
    """The launch measurement of the attested environment, 1 to 64 bytes."""
    report_data: Annotated[bytes, FixedBytes(TEE_REPORT_DATA_SIZE)]
    """The 64 bytes the environment bound into its report (a hash of the miner key and nonce)."""
    evidence: Annotated[bytes, VarBytes(MAX_TEE_EVIDENCE_BYTES, lo=1)]
    """The vendor's signed quote or report with its certificate chain."""


class MinerRegistration(CanonicalModel):
    """A miner joining a neuronet: paid either by a fee or by a proof of work, never both.

    No collateral is locked. The miner signs the registration with its own key.
    """

    neuronet_id: NeuronetId
    """The neuronet joined."""
    miner: MinerId
    """The miner's Ed25519 public key."""
    height: U64
    """The block height the registration is for."""
    hardware_arch: HardwareArchField
    """The processor family the miner serves on."""
    fee: NonZeroU64 | None
    """The registration fee in base units, when paid by fee (at least 1)."""
    pow: PowSolution | None
    """The proof of work, when paid by work."""
    tee: TeeAttestation | None
    """Optional TEE attestation evidence."""
    signature: Signature
    """The miner's signature over ``signing_bytes`` of this registration."""

    @model_validator(mode="after")
    def _one_payment(self) -> Self:
        if (self.fee is None) == (self.pow is None):
            raise AetronTypesError(err.REGISTRATION_PAYMENT, "exactly one of fee and pow")
        return self


class PulseResult(CanonicalModel):
    """One run of the Pulse benchmark: the canonical reference workload of an architecture."""

    miner: MinerId
    """The miner that ran it."""
    epoch: U64
    """The epoch it counts for."""
    hardware_arch: HardwareArchField
    """The architecture whose reference workload was run."""
    workload_hash: Hash32
    """Identifies the reference workload."""
    output_hash: Hash32
    """Hash of the workload's output; it must equal the reference for the run to count."""
    work_units: NonZeroU64
    """Units of work the workload contains (at least 1)."""
    elapsed_us: NonZeroU64
    """Wall-clock time of the run in microseconds (at least 1)."""


class ScoreSignals(CanonicalModel):
    """The four signals a miner's epoch score is computed from (``specs/scoring.md``).

    1. confirmed work (``confirmed_work``), 2. the Pulse result (``pulse_score_ppm``),
    3. uptime (``uptime_ppm``), 4. re-check completion (``rechecks_completed`` of
    ``rechecks_assigned``).
    """

    miner: MinerId
    """The miner scored."""
    neuronet_id: NeuronetId
    """The neuronet it was scored in."""
    epoch: U64
    """The epoch scored."""
    confirmed_work: U64
    """Work units of the miner's requests that replay or probes confirmed this epoch."""
    pulse_score_ppm: U32
    """Pulse throughput relative to its architecture's reference, in ppm; 0 for a failed run."""
    uptime_ppm: Annotated[int, UInt(32, hi=PPM)]
    """Share of the epoch the miner answered, in ppm (at most 1,000,000)."""
    rechecks_assigned: U32
    """Re-checks the network assigned to the miner this epoch."""
    rechecks_completed: U32
    """Of those, the ones it closed out (never more than assigned)."""

    @model_validator(mode="after")
    def _completed_within_assigned(self) -> Self:
        if self.rechecks_completed > self.rechecks_assigned:
            raise AetronTypesError(
                err.RECHECKS_EXCEED_ASSIGNED,
                f"{self.rechecks_completed} completed of {self.rechecks_assigned}",
            )
        return self
