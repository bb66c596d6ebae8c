"""Neuronets, the unit of AI work, and the tasks they host."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import model_validator

from . import _errors as err
from ._constants import MAX_OWNER_SHARE_BP, MAX_PROBES_PER_TASK, MAX_TASKS_PER_NEURONET
from ._enums import AccessMode
from ._errors import AetronTypesError
from ._execution import ExecutionSpec, InferenceRequest
from ._model import CanonicalModel
from ._scalars import U64, AccessModeField, AccountId, Hash32, MinerId, NeuronetId, TaskKindField
from ._wire import Seq, UInt

__all__ = ["AccessPolicy", "Neuronet", "ReferenceProbe", "Task"]


def _task_order(task: Task) -> bytes:
    return task.hash()


class AccessPolicy(CanonicalModel):
    """Who may send requests to a neuronet."""

    mode: AccessModeField
    """``open``: anyone. ``allowlist``: only the listed accounts."""
    allowlist: Annotated[tuple[AccountId, ...], Seq(key=bytes)]
    """Strictly ascending account keys; empty exactly when the mode is ``open``."""

    @model_validator(mode="after")
    def _list_matches_mode(self) -> Self:
        if (self.mode is AccessMode.open) != (not self.allowlist):
            raise AetronTypesError(
                err.ACCESS_POLICY_MISMATCH, f"{self.mode.value} with {len(self.allowlist)} accounts"
            )
        return self


class ReferenceProbe(CanonicalModel):
    """A fixed request with its ground-truth result: a miner's output must match it bit for bit."""

    request: InferenceRequest
    """The probe request."""
    expected_hash: Hash32
    """The ground-truth logit hash of the request under the task's execution spec."""


class Task(CanonicalModel):
    """A unit of work a neuronet hosts: a fixed model under a canonical execution spec.

    A task's id is its hash (:meth:`task_id`), so none of its fields can change after creation.
    """

    kind: TaskKindField
    """Inference, training or a private model."""
    model_hash: Hash32
    """Identity of the model weights (``specs/inference.md``)."""
    execution_spec: ExecutionSpec
    """The canonical execution every miner of the task runs."""
    probes: Annotated[tuple[ReferenceProbe, ...], Seq(MAX_PROBES_PER_TASK, lo=1)]
    """The reference probes, 1 to ``MAX_PROBES_PER_TASK``, in the owner's order."""

    def task_id(self) -> bytes:
        """BLAKE3-256 of the task's canonical encoding."""
        return self.hash()


class Neuronet(CanonicalModel):
    """A neuronet's on-chain state: owner, owner share, access, miner roster, stake and tasks."""

    neuronet_id: NeuronetId
    """Assigned when the neuronet is created; never changes."""
    owner: AccountId
    """The owner's account key."""
    owner_share_bp: Annotated[int, UInt(16, hi=MAX_OWNER_SHARE_BP, code=err.OWNER_SHARE_TOO_HIGH)]
    """The owner's share of the neuronet's emission in basis points, at most 1,000 (10 %).

    Fixed at creation; afterwards it can only be lowered (:meth:`with_owner_share`).
    """
    created_at: U64
    """Block height of creation."""
    access_policy: AccessPolicy
    """Who may send requests."""
    miners: Annotated[tuple[MinerId, ...], Seq(key=bytes)]
    """The miner roster, strictly ascending; no cap on its size."""
    vetoed: Annotated[tuple[MinerId, ...], Seq(key=bytes)]
    """Miners the owner vetoed, strictly ascending; none of them is on the roster."""
    stake: U64
    """Total stake in the neuronet, in base units; with none it serves no requests."""
    tasks: Annotated[tuple[Task, ...], Seq(MAX_TASKS_PER_NEURONET, key=_task_order)]
    """The hosted tasks, strictly ascending by task id."""

    @model_validator(mode="after")
    def _vetoed_not_on_roster(self) -> Self:
        overlap = set(self.miners) & set(self.vetoed)
        if overlap:
            raise AetronTypesError(err.ROSTER_OVERLAP, min(overlap).hex())
        return self

    def with_owner_share(self, owner_share_bp: int) -> Neuronet:
        """The same neuronet with a lower (or equal) owner share.

        Raises:
            AetronTypesError: ``TYPES.OWNER_SHARE_RAISED`` when the share would go up.
        """
        if owner_share_bp > self.owner_share_bp:
            raise AetronTypesError(
                err.OWNER_SHARE_RAISED, f"{owner_share_bp} > {self.owner_share_bp}"
            )
        return self._replace(owner_share_bp=owner_share_bp)

    def with_veto(self, miner: bytes) -> Neuronet:
        """The same neuronet with ``miner`` vetoed: off the roster and on the veto list."""
        miners = tuple(key for key in self.miners if key != miner)
        vetoed = tuple(sorted({*self.vetoed, miner}))
        return self._replace(miners=miners, vetoed=vetoed)
