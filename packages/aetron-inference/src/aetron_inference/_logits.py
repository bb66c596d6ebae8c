"""The logit hash: one canonical byte string for a block of logits, hashed with BLAKE3."""

from __future__ import annotations

import struct

import blake3
import torch

from ._errors import InferenceError

__all__ = ["LOGIT_HASH_TAG", "logit_bytes", "logit_hash"]

LOGIT_HASH_TAG = b"AETRON.logits.v1"
"""Domain tag that starts the logit-hash preimage."""
# ComputeDtype wire codes, and the integer view that exposes each dtype's bit patterns.
_DTYPES = {
    torch.float32: (0, torch.int32, "<i4"),
    torch.float16: (1, torch.int16, "<i2"),
    torch.bfloat16: (2, torch.int16, "<i2"),
}


def logit_bytes(logits: torch.Tensor) -> bytes:
    """The canonical serialization of ``logits`` (``[tokens, vocab]`` or ``[batch, tokens, vocab]``).

    Tag, dtype code (u8), batch, tokens and vocab (u32 each), then every element's bit pattern,
    little-endian, in row-major order. A 2-D tensor is a batch of one.
    """
    if logits.dtype not in _DTYPES:
        raise InferenceError("INFERENCE.BAD_LOGITS", f"logits of dtype {logits.dtype}")
    if logits.ndim == 2:
        logits = logits[None]
    if logits.ndim != 3:
        raise InferenceError("INFERENCE.BAD_LOGITS", f"logits of {logits.ndim} dimensions")
    code, view, layout = _DTYPES[logits.dtype]
    header = LOGIT_HASH_TAG + struct.pack("<B3I", code, *logits.shape)
    bits = logits.detach().to("cpu").contiguous().view(view).numpy()
    return header + bits.astype(layout, copy=False).tobytes()


def logit_hash(logits: torch.Tensor) -> bytes:
    """BLAKE3-256 of `logit_bytes` (specs/inference.md, "Logit hash")."""
    return blake3.blake3(logit_bytes(logits)).digest()
