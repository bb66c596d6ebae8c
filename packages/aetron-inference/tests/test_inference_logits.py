"""The logit hash's canonical serialization."""

from __future__ import annotations

import struct

import blake3
import pytest
import torch
from aetron_inference import InferenceError, logit_bytes, logit_hash


def test_layout_is_tag_dtype_shape_then_little_endian_bits() -> None:
    logits = torch.tensor([[1.0, -2.0, 0.5]], dtype=torch.float32)
    data = logit_bytes(logits)
    header = b"AETRON.logits.v1" + struct.pack("<B3I", 0, 1, 1, 3)
    assert data == header + struct.pack("<3f", 1.0, -2.0, 0.5)
    assert logit_hash(logits) == blake3.blake3(data).digest()


def test_half_precision_logits_hash_their_16_bit_patterns() -> None:
    logits = torch.tensor([[[1.0, -2.0]]], dtype=torch.bfloat16)
    assert logit_bytes(logits)[-4:] == bytes.fromhex("803f00c0")
    assert logit_bytes(logits)[16] == 2
    assert logit_bytes(logits.to(torch.float16))[16] == 1


def test_a_2d_block_is_a_batch_of_one() -> None:
    logits = torch.randn(4, 7)
    assert logit_hash(logits) == logit_hash(logits[None])
    assert logit_hash(logits) != logit_hash(logits.reshape(2, 2, 7))


def test_one_ulp_changes_the_hash() -> None:
    logits = torch.randn(3, 11)
    moved = logits.clone()
    moved[1, 5] = torch.nextafter(moved[1, 5], torch.tensor(float("inf")))
    assert logit_hash(moved) != logit_hash(logits)


@pytest.mark.parametrize("bad", [torch.zeros(2, 3, dtype=torch.float64), torch.zeros(3)])
def test_other_dtypes_and_ranks_are_refused(bad: torch.Tensor) -> None:
    with pytest.raises(InferenceError) as caught:
        logit_hash(bad)
    assert caught.value.code == "INFERENCE.BAD_LOGITS"
