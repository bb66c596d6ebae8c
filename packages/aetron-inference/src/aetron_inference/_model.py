"""A Llama-style causal LM written out in torch, with a static KV cache for decoding."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import cast

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel

from ._config import LlamaConfig
from ._errors import InferenceError

__all__ = ["ATTENTION_BACKENDS", "ROW_BLOCK", "KVCache", "LlamaForCausalLM", "rope_tables"]

ATTENTION_BACKENDS = ("eager", "sdpa-math", "sdpa-flash", "sdpa-efficient", "sdpa-cudnn")
ROW_BLOCK = 16
"""Every call pads its tokens with zero rows to a multiple of this many before any matmul.

CPU GEMM kernels round a row differently when the matrix has only one or two rows; padded to a
block, a decoded token's row is computed exactly as the same row inside a long prefill.
"""
_SDPA = {
    "sdpa-math": SDPBackend.MATH,
    "sdpa-flash": SDPBackend.FLASH_ATTENTION,
    "sdpa-efficient": SDPBackend.EFFICIENT_ATTENTION,
    "sdpa-cudnn": SDPBackend.CUDNN_ATTENTION,
}


def rope_tables(config: LlamaConfig, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """Rotary cos and sin tables, ``[max_position_embeddings, head_dim]``, in ``dtype``.

    Computed in float64 on the CPU on every machine, then rounded once to ``dtype``, so the
    tables do not depend on the accelerator's transcendental functions.
    """
    d = config.head_dim
    inv_freq = 1.0 / (
        float(config.rope_theta) ** (torch.arange(0, d, 2, dtype=torch.float64) / float(d))
    )
    positions = torch.arange(config.max_position_embeddings, dtype=torch.float64)
    angles = torch.outer(positions, inv_freq)
    angles = torch.cat((angles, angles), dim=-1)
    return angles.cos().to(dtype), angles.sin().to(dtype)


class KVCache:
    """Keys and values of every layer for ``capacity`` positions, filled left to right.

    Attention with a cache always reduces over all ``capacity`` key slots, the ones not yet
    attended masked out, so a position's logits do not depend on how many calls produced it.
    """

    def __init__(
        self,
        config: LlamaConfig,
        batch: int,
        capacity: int,
        dtype: torch.dtype,
        device: torch.device | str = "cpu",
    ) -> None:
        if not 0 < capacity <= config.max_position_embeddings:
            raise InferenceError(
                "INFERENCE.CACHE_CAPACITY",
                f"capacity {capacity} outside 1..{config.max_position_embeddings}",
            )
        shape = (batch, config.num_key_value_heads, capacity, config.head_dim)
        self.keys = [
            torch.zeros(shape, dtype=dtype, device=device) for _ in range(config.num_hidden_layers)
        ]
        self.values = [
            torch.zeros(shape, dtype=dtype, device=device) for _ in range(config.num_hidden_layers)
        ]
        self.capacity = capacity
        self.length = 0
        """Positions filled so far; the next call's tokens start here."""


class _Linear(nn.Module):
    # Parameters start uninitialised: weights are always assigned from stored ones.
    def __init__(self, inputs: int, outputs: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(outputs, inputs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight)


class _Embedding(nn.Module):
    def __init__(self, vocab: int, width: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(vocab, width))


class _RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(size))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Statistics in float32 whatever the compute dtype, as Hugging Face's LlamaRMSNorm does.
        h = x.to(torch.float32)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class _Attention(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        d = config.head_dim
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = d
        self.q_proj = _Linear(config.hidden_size, self.heads * d)
        self.k_proj = _Linear(config.hidden_size, self.kv_heads * d)
        self.v_proj = _Linear(config.hidden_size, self.kv_heads * d)
        self.o_proj = _Linear(self.heads * d, config.hidden_size)

    def forward(
        self,
        x: torch.Tensor,
        cos: torch.Tensor,
        sin: torch.Tensor,
        visible: torch.Tensor,
        backend: str,
        cached: tuple[torch.Tensor, torch.Tensor, int, int] | None,
    ) -> torch.Tensor:
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + _rotate_half(q) * sin
        k = k * cos + _rotate_half(k) * sin
        if cached is not None:
            keys, values, start, real = cached
            keys[:, :, start : start + real] = k[:, :, :real]
            values[:, :, start : start + real] = v[:, :, :real]
            k, v = keys, values
        if self.kv_heads != self.heads:
            k = k.repeat_interleave(self.heads // self.kv_heads, dim=1)
            v = v.repeat_interleave(self.heads // self.kv_heads, dim=1)
        scale = 1.0 / math.sqrt(self.head_dim)
        if backend == "eager":
            scores = torch.matmul(q, k.transpose(-1, -2)) * scale
            scores = scores.masked_fill(~visible, float("-inf"))
            probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
            out = torch.matmul(probs, v)
        else:
            with sdpa_kernel([_SDPA[backend]]):
                if cached is None:
                    out = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=scale)
                else:
                    out = F.scaled_dot_product_attention(q, k, v, attn_mask=visible, scale=scale)
        out = out.transpose(1, 2).reshape(b, t, self.heads * self.head_dim)
        return F.linear(out, self.o_proj.weight)


class _MLP(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.gate_proj = _Linear(config.hidden_size, config.intermediate_size)
        self.up_proj = _Linear(config.hidden_size, config.intermediate_size)
        self.down_proj = _Linear(config.intermediate_size, config.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = F.silu(F.linear(x, self.gate_proj.weight))
        return F.linear(gate * F.linear(x, self.up_proj.weight), self.down_proj.weight)


class _DecoderLayer(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.input_layernorm = _RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.self_attn = _Attention(config)
        self.post_attention_layernorm = _RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.mlp = _MLP(config)


class _Backbone(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.embed_tokens = _Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(_DecoderLayer(config) for _ in range(config.num_hidden_layers))
        self.norm = _RMSNorm(config.hidden_size, config.rms_norm_eps)


class LlamaForCausalLM(nn.Module):
    """Llama-style decoder: RMSNorm, rotary embeddings, grouped-query attention, SwiGLU MLP.

    Parameter names are Hugging Face's (``model.layers.0.self_attn.q_proj.weight``, ...).
    Build one with `LlamaForCausalLM.from_weights`; call it as ``model(input_ids, cache)``.
    """

    def __init__(self, config: LlamaConfig, attention: str = "eager") -> None:
        super().__init__()
        if attention not in ATTENTION_BACKENDS:
            raise InferenceError("INFERENCE.UNKNOWN_BACKEND", f"no attention backend {attention!r}")
        self.config = config
        self.attention = attention
        self.model = _Backbone(config)
        self.lm_head: _Linear | None = None
        if not config.tie_word_embeddings:
            self.lm_head = _Linear(config.hidden_size, config.vocab_size)
        self.model_hash = b""
        """BLAKE3 model hash of the stored weights it was built from (`ModelWeights.model_hash`)."""
        self._rope: tuple[torch.Tensor, torch.Tensor] | None = None

    @classmethod
    def from_weights(
        cls,
        config: LlamaConfig,
        weights: Mapping[str, torch.Tensor],
        *,
        dtype: torch.dtype = torch.float32,
        device: torch.device | str = "cpu",
        attention: str = "eager",
    ) -> LlamaForCausalLM:
        """A model whose parameters are ``weights`` (float tensors) rounded once to ``dtype``."""
        model = cls(config, attention)
        expected = config.weight_shapes()
        if set(weights) != set(expected):
            missing = sorted(set(expected) - set(weights))
            extra = sorted(set(weights) - set(expected))
            raise InferenceError(
                "INFERENCE.BAD_WEIGHTS", f"missing {missing[:3]}, unexpected {extra[:3]}"
            )
        state = {}
        for name, shape in expected.items():
            tensor = weights[name]
            if tuple(tensor.shape) != shape:
                raise InferenceError(
                    "INFERENCE.BAD_WEIGHTS", f"{name} has shape {tuple(tensor.shape)}, not {shape}"
                )
            # A copy, so that the model never shares storage with (cached) stored weights.
            state[name] = tensor.to(device=device, dtype=dtype, copy=True).contiguous()
        model.load_state_dict(state, assign=True, strict=True)
        model.requires_grad_(False)
        model.eval()
        return model

    def _tables(
        self, dtype: torch.dtype, device: torch.device
    ) -> tuple[torch.Tensor, torch.Tensor]:
        if self._rope is None or self._rope[0].dtype != dtype or self._rope[0].device != device:
            cos, sin = rope_tables(self.config, dtype)
            self._rope = (cos.to(device), sin.to(device))
        return self._rope

    def forward(self, input_ids: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
        """Logits ``[batch, tokens, vocab]`` in the compute dtype for ``input_ids`` ``[batch, tokens]``.

        Without a cache the tokens are positions ``0..tokens-1``. With one they continue at
        ``cache.length``; their keys and values are written into it and ``cache.length``
        advances by ``tokens``.
        """
        embed = self.model.embed_tokens.weight
        b, t = input_ids.shape
        start = 0 if cache is None else cache.length
        if cache is not None and start + t > cache.capacity:
            raise InferenceError(
                "INFERENCE.CACHE_CAPACITY", f"{start} + {t} tokens exceed capacity {cache.capacity}"
            )
        if start + t > self.config.max_position_embeddings:
            raise InferenceError(
                "INFERENCE.TOO_LONG",
                f"{start + t} positions, at most {self.config.max_position_embeddings}",
            )
        padded = -(-t // ROW_BLOCK) * ROW_BLOCK
        cos, sin = self._tables(embed.dtype, embed.device)
        # Padding rows get position tables of zeros; their values never reach a real row.
        pad_rows = cos.new_zeros(padded - t, cos.shape[1])
        cos = torch.cat((cos[start : start + t], pad_rows))
        sin = torch.cat((sin[start : start + t], pad_rows))
        keys = padded if cache is None else cache.capacity
        query_pos = torch.arange(start, start + padded, device=embed.device)
        visible = torch.arange(keys, device=embed.device)[None, :] <= query_pos[:, None]
        x = F.embedding(input_ids, embed)
        x = torch.cat((x, x.new_zeros(b, padded - t, x.shape[2])), dim=1)
        layers = cast(list[_DecoderLayer], list(self.model.layers))
        for i, layer in enumerate(layers):
            cached = None if cache is None else (cache.keys[i], cache.values[i], start, t)
            x = x + layer.self_attn(
                layer.input_layernorm(x), cos, sin, visible, self.attention, cached
            )
            x = x + layer.mlp(layer.post_attention_layernorm(x))
        x = self.model.norm(x)
        head = embed if self.lm_head is None else self.lm_head.weight
        if cache is not None:
            cache.length = start + t
        return F.linear(x, head)[:, :t]
