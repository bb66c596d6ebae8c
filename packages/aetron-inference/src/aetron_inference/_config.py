"""Model configurations: the reference model's and presets shaped like real Llama-family models."""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = [
    "BOS_ID",
    "BYTE_VOCAB_SIZE",
    "EOS_ID",
    "PAD_ID",
    "PRESETS",
    "REFERENCE_CONFIG",
    "LlamaConfig",
    "decode_bytes",
    "encode_bytes",
]

BYTE_VOCAB_SIZE = 259
"""256 byte tokens (token id = byte value) and three specials."""
BOS_ID = 256
EOS_ID = 257
PAD_ID = 258


@dataclass(frozen=True)
class LlamaConfig:
    """The shape of a Llama-style causal LM; field names follow Hugging Face's ``LlamaConfig``."""

    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    max_position_embeddings: int
    rope_theta: int
    rms_norm_eps: float
    """Used as its nearest float32; the model hash binds that float32's bit pattern."""
    tie_word_embeddings: bool

    @property
    def head_dim(self) -> int:
        """Width of one attention head."""
        return self.hidden_size // self.num_attention_heads

    def weight_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every weight's Hugging Face name and shape, ``lm_head`` only when untied."""
        h, f, d = self.hidden_size, self.intermediate_size, self.head_dim
        kv = self.num_key_value_heads * d
        shapes: dict[str, tuple[int, ...]] = {"model.embed_tokens.weight": (self.vocab_size, h)}
        for i in range(self.num_hidden_layers):
            p = f"model.layers.{i}."
            shapes[p + "input_layernorm.weight"] = (h,)
            shapes[p + "self_attn.q_proj.weight"] = (self.num_attention_heads * d, h)
            shapes[p + "self_attn.k_proj.weight"] = (kv, h)
            shapes[p + "self_attn.v_proj.weight"] = (kv, h)
            shapes[p + "self_attn.o_proj.weight"] = (h, self.num_attention_heads * d)
            shapes[p + "post_attention_layernorm.weight"] = (h,)
            shapes[p + "mlp.gate_proj.weight"] = (f, h)
            shapes[p + "mlp.up_proj.weight"] = (f, h)
            shapes[p + "mlp.down_proj.weight"] = (h, f)
        shapes["model.norm.weight"] = (h,)
        if not self.tie_word_embeddings:
            shapes["lm_head.weight"] = (self.vocab_size, h)
        return shapes

    def parameter_count(self) -> int:
        """Number of weights (each tied matrix counted once)."""
        total = 0
        for shape in self.weight_shapes().values():
            n = 1
            for dim in shape:
                n *= dim
            total += n
        return total

    def canonical_bytes(self) -> bytes:
        """The config's one byte encoding, bound into the model hash (specs/inference.md)."""
        eps_bits = struct.unpack("<I", struct.pack("<f", self.rms_norm_eps))[0]
        return struct.pack(
            "<9IB",
            self.vocab_size,
            self.hidden_size,
            self.intermediate_size,
            self.num_hidden_layers,
            self.num_attention_heads,
            self.num_key_value_heads,
            self.max_position_embeddings,
            self.rope_theta,
            eps_bits,
            int(self.tie_word_embeddings),
        )


REFERENCE_CONFIG = LlamaConfig(
    vocab_size=BYTE_VOCAB_SIZE,
    hidden_size=128,
    intermediate_size=384,
    num_hidden_layers=4,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=512,
    rope_theta=10_000,
    rms_norm_eps=1e-5,
    tie_word_embeddings=True,
)
"""The shipped reference model: about 0.6 M weights, grouped-query attention, tied embeddings."""

# Shapes of published models (their config.json values), initialised at random for benchmarks.
# Only the transformer shape is copied: the rotary scaling some of them add is not modelled.
PRESETS: dict[str, LlamaConfig] = {
    "reference": REFERENCE_CONFIG,
    "smollm2-135m": LlamaConfig(49152, 576, 1536, 30, 9, 3, 8192, 100_000, 1e-5, True),
    "tinyllama-1.1b": LlamaConfig(32000, 2048, 5632, 22, 32, 4, 2048, 10_000, 1e-5, False),
    "llama-3.2-1b": LlamaConfig(128256, 2048, 8192, 16, 32, 8, 131072, 500_000, 1e-5, True),
    "llama-3.1-8b": LlamaConfig(128256, 4096, 14336, 32, 32, 8, 131072, 500_000, 1e-5, False),
}


def encode_bytes(text: bytes, *, bos: bool = True) -> list[int]:
    """Byte-level tokenisation: one token per byte, optionally after ``BOS_ID``."""
    return ([BOS_ID] if bos else []) + list(text)


def decode_bytes(tokens: list[int]) -> bytes:
    """The bytes of the byte tokens in ``tokens``; special tokens are dropped."""
    return bytes(t for t in tokens if t < 256)
