"""Batch commitments, replay assignments and the verdicts of replayers and arbiters."""

from __future__ import annotations

from typing import Annotated, Self

import blake3
from pydantic import model_validator

from . import _errors as err
from ._constants import MAX_BATCH_SIZE, VRF_PROOF_SIZE
from ._errors import AetronTypesError
from ._model import CanonicalModel
from ._scalars import (
    U64,
    ArbitrationOutcomeField,
    Hash32,
    MinerId,
    NeuronetId,
    ReplayOutcomeField,
    Signature,
    TaskId,
)
from ._wire import FixedBytes, UInt

__all__ = ["ArbitrationVerdict", "ArtifactBatchCommitment", "ReplayAssignment", "ReplayVerdict"]


class ArtifactBatchCommitment(CanonicalModel):
    """One on-chain commitment to a batch of validation artifacts (``specs/merkle.md``)."""

    neuronet_id: NeuronetId
    """The neuronet the requests were served in."""
    task_id: TaskId
    """The task they were served for."""
    miner: MinerId
    """The miner that served them."""
    epoch: U64
    """The epoch they were served in."""
    size: Annotated[int, UInt(32, lo=1, hi=MAX_BATCH_SIZE)]
    """Artifacts in the batch, 1 to ``MAX_BATCH_SIZE``."""
    merkle_root: Hash32
    """Root of the Merkle tree over the batch's artifacts."""
    signature: Signature
    """The miner's signature over ``signing_bytes`` of this commitment."""


class ReplayAssignment(CanonicalModel):
    """A VRF-drawn order for a second miner to replay one committed request."""

    neuronet_id: NeuronetId
    """The neuronet of the batch."""
    epoch: U64
    """The epoch of the batch."""
    batch_hash: Hash32
    """Hash of the ``ArtifactBatchCommitment`` the request was committed in."""
    leaf_index: Annotated[int, UInt(32, hi=MAX_BATCH_SIZE - 1)]
    """Position of the artifact in the batch."""
    miner: MinerId
    """The miner that served the request."""
    replayer: MinerId
    """The miner assigned to replay it; never the one that served it."""
    vrf_proof: Annotated[bytes, FixedBytes(VRF_PROOF_SIZE)]
    """The ECVRF proof that drew this assignment (``specs/vrf.md``)."""

    def assignment_id(self) -> bytes:
        """The assignment's identifier: BLAKE3-256 of its encoding without ``vrf_proof``.

        ECVRF proof bytes are malleable (``specs/vrf.md``), so an identifier that covered them
        could be changed by the key holder without changing the draw.
        """
        return blake3.blake3(self.encode()[:-VRF_PROOF_SIZE]).digest()

    @model_validator(mode="after")
    def _two_miners(self) -> Self:
        if self.miner == self.replayer:
            raise AetronTypesError(err.SELF_REPLAY, self.miner.hex())
        return self


class ReplayVerdict(CanonicalModel):
    """A replayer's result: whether its prefill reproduced the committed logits."""

    assignment_id: Hash32
    """``ReplayAssignment.assignment_id()`` of the assignment answered."""
    replayer: MinerId
    """The replaying miner."""
    outcome: ReplayOutcomeField
    """Match or mismatch."""
    replay_commitment: Hash32
    """The replayer's replay commitment for the request (``specs/inference.md``, "Arbitration")."""
    signature: Signature
    """The replayer's signature over ``signing_bytes`` of this verdict."""


class ArbitrationVerdict(CanonicalModel):
    """A third miner's ruling on a mismatch; the losing side earns no emission for the epoch."""

    assignment_id: Hash32
    """``ReplayAssignment.assignment_id()`` of the assignment in dispute."""
    miner: MinerId
    """The miner that served the request."""
    replayer: MinerId
    """The miner that replayed it."""
    arbiter: MinerId
    """The arbitrating miner, distinct from both."""
    outcome: ArbitrationOutcomeField
    """Whose commitment the arbiter reproduced."""
    arbiter_commitment: Hash32
    """The arbiter's replay commitment for the request (``specs/inference.md``, "Arbitration")."""
    signature: Signature
    """The arbiter's signature over ``signing_bytes`` of this verdict."""

    @model_validator(mode="after")
    def _three_miners(self) -> Self:
        if len({self.miner, self.replayer, self.arbiter}) != 3:
            raise AetronTypesError(err.ARBITER_NOT_DISTINCT, "miner, replayer, arbiter")
        return self
