"""Registration by proof of work: a BLAKE3 puzzle bound to neuronet, miner and a recent block."""

from __future__ import annotations

import blake3

from ._ints import check_id, check_uint
from ._params import Params

__all__ = ["POW_DOMAIN", "next_pow_difficulty", "pow_meets", "pow_seal", "solve_pow"]

POW_DOMAIN = b"AETRON/consensus/registration-pow/v1"
"""Prefix of every proof-of-work preimage, so no other BLAKE3 use can produce a seal."""

_HASH_SPACE = 1 << 256


def pow_seal(neuronet: bytes, miner: bytes, block_hash: bytes, nonce: int) -> bytes:
    """BLAKE3-256 of ``POW_DOMAIN || neuronet || miner || block_hash || nonce (u64 LE)``."""
    check_id(neuronet, "neuronet")
    check_id(miner, "miner")
    check_id(block_hash, "block hash")
    check_uint(nonce, 64, "nonce")
    preimage = POW_DOMAIN + neuronet + miner + block_hash + nonce.to_bytes(8, "little")
    return blake3.blake3(preimage).digest()


def pow_meets(seal: bytes, difficulty: int) -> bool:
    """True when ``seal``, read as a big-endian integer, times ``difficulty`` is below 2**256.

    A seal passes with probability about ``1 / difficulty``, so difficulty is expected hashes.
    """
    return int.from_bytes(seal, "big") * difficulty < _HASH_SPACE


def solve_pow(
    neuronet: bytes, miner: bytes, block_hash: bytes, difficulty: int, first_nonce: int = 0
) -> int:
    """The first nonce from ``first_nonce`` up whose seal meets ``difficulty`` (for miners)."""
    check_uint(difficulty, 64, "difficulty")
    nonce = first_nonce
    while not pow_meets(pow_seal(neuronet, miner, block_hash, nonce), difficulty):
        nonce += 1
    return nonce


def next_pow_difficulty(current: int, registrations: int, params: Params) -> int:
    """The difficulty for the next epoch, given this epoch's proof-of-work registrations.

    Scales by ``(registrations + target) / (2 * target)``: unchanged on target, halved when
    nobody registered, doubled at three times the target. The step is at most
    ``pow_max_step`` either way and the result stays within the minimum and maximum.
    """
    target = params.pow_target_registrations
    proposed = current * (registrations + target) // (2 * target)
    low = max(params.pow_min_difficulty, current // params.pow_max_step)
    high = min(params.pow_max_difficulty, current * params.pow_max_step)
    return min(max(proposed, low), high)
