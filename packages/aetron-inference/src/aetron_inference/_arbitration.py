"""The arbitration rule: a pure function from three replay commitments to who lost."""

from __future__ import annotations

from dataclasses import dataclass

from aetron_types import ArbitrationOutcome

from ._commitment import claimed_replay_commitment
from ._errors import InferenceError

__all__ = ["Ruling", "arbitrate"]

_ID_SIZE = 32


@dataclass(frozen=True)
class Ruling:
    """An arbitration's result and what aetron-consensus records for it.

    Every miner in ``lost`` is recorded as ``ArbitrationLost(neuronet, miner)`` (no emission for
    the epoch); every miner in ``passed`` as ``CheckPassed(neuronet, miner)``.
    """

    outcome: ArbitrationOutcome
    lost: tuple[bytes, ...]
    passed: tuple[bytes, ...]


def _check(value: bytes, what: str, code: str) -> None:
    if not isinstance(value, bytes) or len(value) != _ID_SIZE:
        raise InferenceError(code, f"{what} must be {_ID_SIZE} bytes")


def arbitrate(
    *,
    miner: bytes,
    replayer: bytes,
    arbiter: bytes,
    served_artifact: bytes,
    replayer_commitment: bytes,
    arbiter_commitment: bytes,
) -> Ruling:
    """Rule on a disputed replay (specs/inference.md, "Arbitration").

    ``served_artifact`` is the miner's committed artifact (any bytes: a malformed one is a claim
    like any other); the two commitments are the replay commitments the replayer and the
    arbiter recomputed. The miner's claim is `claimed_replay_commitment` of its artifact. The
    arbiter's recomputation decides: equal to the claim, the replayer lost; equal to the
    replayer's, the miner lost; equal to neither, both lost.

    Raises ``INFERENCE.BAD_MINER_ID`` or ``INFERENCE.BAD_COMMITMENT`` for a value that is not
    32 bytes, ``INFERENCE.ARBITER_NOT_DISTINCT`` unless the three miners differ, and
    ``INFERENCE.NOT_DISPUTED`` when the replayer's commitment already equals the claim.
    """
    for value, what in ((miner, "miner"), (replayer, "replayer"), (arbiter, "arbiter")):
        _check(value, what, "INFERENCE.BAD_MINER_ID")
    _check(replayer_commitment, "replayer commitment", "INFERENCE.BAD_COMMITMENT")
    _check(arbiter_commitment, "arbiter commitment", "INFERENCE.BAD_COMMITMENT")
    if not isinstance(served_artifact, bytes):
        raise InferenceError("INFERENCE.BAD_ARTIFACT", "the served artifact must be bytes")
    if len({miner, replayer, arbiter}) != 3:
        raise InferenceError("INFERENCE.ARBITER_NOT_DISTINCT", "miner, replayer, arbiter")
    claim = claimed_replay_commitment(served_artifact)
    if replayer_commitment == claim:
        raise InferenceError("INFERENCE.NOT_DISPUTED", "the replayer reproduced the artifact")
    if arbiter_commitment == claim:
        return Ruling(ArbitrationOutcome.miner_upheld, lost=(replayer,), passed=(miner,))
    if arbiter_commitment == replayer_commitment:
        return Ruling(ArbitrationOutcome.replayer_upheld, lost=(miner,), passed=(replayer,))
    return Ruling(ArbitrationOutcome.both_rejected, lost=(miner, replayer), passed=())
