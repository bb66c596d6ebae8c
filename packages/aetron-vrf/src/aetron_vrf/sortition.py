"""The replay sortition: which committed requests are replayed, and which miners replay and
arbitrate them (``specs/vrf.md``, section Replay sortition).

Pure functions of an epoch's VRF output beta. The VRF input :func:`replay_alpha` binds the
neuronet, the epoch and the Merkle root of the committed artifact batch, so nothing is decided
before every answer in the batch is committed. Every number is an integer; every draw is a
SHA-512 of a domain-separation tag, beta and the request index.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Collection, Mapping

from ._args import as_bytes, as_uint
from ._constants import (
    ALPHA_TAG,
    ARBITER_TAG,
    BASIS_POINTS,
    BETA_LENGTH,
    MAX_EPOCH,
    MAX_INDEX,
    MAX_WEIGHT,
    REPLAY_RATE_BPS,
    REPLAY_TAG,
    REPLAYER_TAG,
)
from ._errors import ErrorCode, InvalidArgument, NoEligibleMiner
from ._suite import Suite

__all__ = [
    "SORTITION_SUITE",
    "Roster",
    "is_replayed",
    "pick_arbiter",
    "pick_replayer",
    "replay_alpha",
    "replay_set",
    "replay_threshold",
]

SORTITION_SUITE = Suite.EDWARDS25519_SHA512_TAI
"""The suite of the epoch's VRF proof; alpha is public, so TAI's timing in alpha reveals nothing."""

_ID_LENGTH = 32


def _fixed(value: object, name: str, length: int, code: ErrorCode) -> bytes:
    data = as_bytes(value, name)
    if len(data) != length:
        raise InvalidArgument(code, f"{name} is {len(data)} bytes, not {length}")
    return data


def _beta(beta: object) -> bytes:
    return _fixed(beta, "beta", BETA_LENGTH, ErrorCode.BETA_LENGTH)


def _rate(rate_bps: object) -> int:
    return as_uint(rate_bps, "rate_bps", BASIS_POINTS, ErrorCode.RATE_OUT_OF_RANGE)


def replay_alpha(neuronet_id: bytes, epoch: int, batch_root: bytes) -> bytes:
    """The VRF input of a batch: ALPHA_TAG || neuronet_id (32) || epoch (u64 LE) || root (32)."""
    neuronet_id = _fixed(neuronet_id, "neuronet_id", _ID_LENGTH, ErrorCode.NEURONET_ID_LENGTH)
    epoch = as_uint(epoch, "epoch", MAX_EPOCH, ErrorCode.EPOCH_OUT_OF_RANGE)
    batch_root = _fixed(batch_root, "batch_root", _ID_LENGTH, ErrorCode.BATCH_ROOT_LENGTH)
    return ALPHA_TAG + neuronet_id + epoch.to_bytes(8, "little") + batch_root


def replay_threshold(rate_bps: int = REPLAY_RATE_BPS) -> int:
    """floor(rate_bps * 2**64 / 10_000): an index is replayed when its draw is below this."""
    return _rate(rate_bps) * 2**64 // BASIS_POINTS


def _replay_draw(prefix: hashlib._Hash, index: int) -> int:
    digest = prefix.copy()
    digest.update(index.to_bytes(4, "little"))
    return int.from_bytes(digest.digest()[:8], "little")


def is_replayed(beta: bytes, index: int, *, rate_bps: int = REPLAY_RATE_BPS) -> bool:
    """Whether request ``index`` (u32) of the batch whose VRF output is ``beta`` is replayed.

    The draw is the first 8 bytes, little-endian, of SHA-512(REPLAY_TAG || beta || index as u32
    LE); the request is replayed when the draw is below :func:`replay_threshold`.
    """
    prefix = hashlib.sha512(REPLAY_TAG + _beta(beta))
    index = as_uint(index, "index", MAX_INDEX, ErrorCode.INDEX_OUT_OF_RANGE)
    return _replay_draw(prefix, index) < replay_threshold(rate_bps)


def replay_set(beta: bytes, request_count: int, *, rate_bps: int = REPLAY_RATE_BPS) -> list[int]:
    """The indices below ``request_count`` that :func:`is_replayed` selects, ascending."""
    prefix = hashlib.sha512(REPLAY_TAG + _beta(beta))
    count = as_uint(
        request_count, "request_count", MAX_INDEX + 1, ErrorCode.REQUEST_COUNT_OUT_OF_RANGE
    )
    threshold = replay_threshold(rate_bps)
    return [index for index in range(count) if _replay_draw(prefix, index) < threshold]


class Roster:
    """The miners a draw may pick, with their weights: checked and indexed once per epoch.

    ``weights`` maps each miner id (32 bytes) to its weight (``u64``); ``vetoed`` holds the
    owner's vetoes. Vetoed miners and miners of weight 0 are never drawn. A draw costs one hash
    and a binary search however long the roster is.
    """

    __slots__ = ("_miners", "_position", "_starts", "_total", "_weights")

    def __init__(self, weights: Mapping[bytes, int], vetoed: Collection[bytes] = ()) -> None:
        checked: dict[bytes, int] = {}
        for miner, weight in weights.items():
            miner = _fixed(miner, "roster miner", _ID_LENGTH, ErrorCode.MINER_ID_LENGTH)
            checked[miner] = as_uint(weight, "weight", MAX_WEIGHT, ErrorCode.WEIGHT_OUT_OF_RANGE)
        excluded = {
            _fixed(m, "vetoed miner", _ID_LENGTH, ErrorCode.MINER_ID_LENGTH) for m in vetoed
        }
        eligible = sorted((m, w) for m, w in checked.items() if w > 0 and m not in excluded)
        self._miners = tuple(miner for miner, _ in eligible)
        self._weights = tuple(weight for _, weight in eligible)
        self._position = {miner: i for i, miner in enumerate(self._miners)}
        starts, total = [], 0
        for weight in self._weights:
            starts.append(total)
            total += weight
        self._starts, self._total = tuple(starts), total

    @property
    def miners(self) -> tuple[bytes, ...]:
        """The miners that may be drawn (weight above 0, not vetoed), ascending."""
        return self._miners

    def _draw(self, tag: bytes, beta: bytes, index: int, excluded: set[bytes]) -> bytes | None:
        """specs/vrf.md's ``draw``: the eligible miners not in ``excluded``, in ascending order,
        each owning as many consecutive points of 0..total-1 as its weight."""
        removed = sorted(self._position[m] for m in excluded if m in self._position)
        total = self._total - sum(self._weights[i] for i in removed)
        if total == 0:
            return None
        seed = hashlib.sha512(tag + beta + index.to_bytes(4, "little")).digest()
        point = int.from_bytes(seed, "little") % total
        # Count the point along the whole roster by stepping over the removed miners' points.
        for i in removed:
            if point < self._starts[i]:
                break
            point += self._weights[i]
        return self._miners[bisect_right(self._starts, point) - 1]


def pick_replayer(beta: bytes, index: int, *, serving: bytes, roster: Roster) -> bytes:
    """The miner that replays request ``index``, drawn from ``roster`` by weight.

    Never ``serving`` (the miner that served the request), never a vetoed miner, never a miner
    of weight 0; each other miner's chance is its weight over the sum of their weights. Raises
    :class:`NoEligibleMiner` if no miner is eligible.
    """
    beta = _beta(beta)
    index = as_uint(index, "index", MAX_INDEX, ErrorCode.INDEX_OUT_OF_RANGE)
    serving = _fixed(serving, "serving", _ID_LENGTH, ErrorCode.MINER_ID_LENGTH)
    miner = roster._draw(REPLAYER_TAG, beta, index, {serving})
    if miner is None:
        raise NoEligibleMiner(
            ErrorCode.NO_ELIGIBLE_REPLAYER, "no miner of positive weight besides the serving one"
        )
    return miner


def pick_arbiter(
    beta: bytes, index: int, *, serving: bytes, replayer: bytes, roster: Roster
) -> bytes:
    """The third miner that settles a dispute over request ``index``.

    Drawn like :func:`pick_replayer`, with its own tag, from the roster without ``serving`` and
    ``replayer``. Raises :class:`NoEligibleMiner` if no miner is eligible.
    """
    beta = _beta(beta)
    index = as_uint(index, "index", MAX_INDEX, ErrorCode.INDEX_OUT_OF_RANGE)
    serving = _fixed(serving, "serving", _ID_LENGTH, ErrorCode.MINER_ID_LENGTH)
    replayer = _fixed(replayer, "replayer", _ID_LENGTH, ErrorCode.MINER_ID_LENGTH)
    miner = roster._draw(ARBITER_TAG, beta, index, {serving, replayer})
    if miner is None:
        raise NoEligibleMiner(
            ErrorCode.NO_ELIGIBLE_ARBITER, "no miner of positive weight besides the two in dispute"
        )
    return miner
