"""Epoch settlement: how one neuronet's emission for an epoch was paid out."""

from __future__ import annotations

from operator import attrgetter
from typing import Annotated, Self

from pydantic import model_validator

from . import _errors as err
from ._errors import AetronTypesError
from ._model import CanonicalModel
from ._scalars import U64, MinerId, NeuronetId
from ._wire import Seq, UInt

__all__ = ["EpochSettlement", "MinerPayout"]


class MinerPayout(CanonicalModel):
    """One miner's emission for the epoch."""

    miner: MinerId
    """The miner paid."""
    amount: Annotated[int, UInt(64, lo=1)]
    """Base units, at least 1 (miners paid nothing are left out)."""


class EpochSettlement(CanonicalModel):
    """The split of a neuronet's epoch emission between owner, stakers and miners.

    The parts add up to ``emission`` exactly; the split rules are in ``specs/emission.md``.
    """

    neuronet_id: NeuronetId
    """The neuronet settled."""
    epoch: U64
    """The epoch settled."""
    emission: U64
    """The neuronet's emission for the epoch, in base units."""
    owner_amount: U64
    """Paid to the neuronet owner."""
    staker_amount: U64
    """Paid to the neuronet's stakers, together."""
    unallocated: U64
    """What the rules left unpaid (rounding remainders, shares of excluded miners)."""
    miner_payouts: Annotated[tuple[MinerPayout, ...], Seq(key=attrgetter("miner"))]
    """Payouts, strictly ascending by miner key."""
    excluded_miners: Annotated[tuple[MinerId, ...], Seq(key=bytes)]
    """Miners that earn nothing this epoch (lost an arbitration, skipped a re-check), ascending."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        paid = sum(payout.amount for payout in self.miner_payouts)
        total = self.owner_amount + self.staker_amount + self.unallocated + paid
        if total != self.emission:
            raise AetronTypesError(err.SETTLEMENT_SUM, f"parts add to {total}, not {self.emission}")
        excluded = set(self.excluded_miners)
        for payout in self.miner_payouts:
            if payout.miner in excluded:
                raise AetronTypesError(err.EXCLUDED_MINER_PAID, payout.miner.hex())
        return self
