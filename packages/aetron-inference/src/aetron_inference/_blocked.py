"""The row-block forward pass that serving and replay share, so that they agree bit for bit.

CPU GEMM kernels round a row differently depending on how many rows the matrix has and how the
threads split them. Here every operation runs on a block of exactly ``SERVE_BLOCK`` positions
(``c * SERVE_BLOCK`` to ``(c + 1) * SERVE_BLOCK - 1``), and attention for block ``c`` reduces over
exactly its ``(c + 1) * SERVE_BLOCK`` keys with the later ones masked. A decode step re-runs the
block of its position with the tokens known so far; a replay runs each block once with all of
them. Both call every kernel with the same shapes, and a row's result never depends on the other
rows' values, so position ``p`` gets the same bits either way (specs/inference.md, "Serving").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention import sdpa_kernel

from ._config import PAD_ID
from ._errors import InferenceError
from ._model import _SDPA, LlamaForCausalLM, rope_tables

__all__ = ["SERVE_BLOCK", "BlockedForward"]

SERVE_BLOCK = 64
"""Positions per row block: every matmul of serving and replay has exactly this many rows."""


@dataclass(frozen=True)
class _Norm:
    weight: torch.Tensor
    eps: float

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        # Statistics in float32 whatever the compute dtype, as the model's own RMSNorm does.
        h = x.to(torch.float32)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)


@dataclass(frozen=True)
class _Layer:
    attn_norm: _Norm
    q: torch.Tensor
    k: torch.Tensor
    v: torch.Tensor
    o: torch.Tensor
    mlp_norm: _Norm
    gate: torch.Tensor
    up: torch.Tensor
    down: torch.Tensor


def _norm(module: nn.Module) -> _Norm:
    return _Norm(cast(torch.Tensor, module.weight), float(cast(float, module.eps)))


def _matrix(module: nn.Module, name: str) -> torch.Tensor:
    return cast(torch.Tensor, getattr(module, name).weight)


def _layers(model: LlamaForCausalLM) -> list[_Layer]:
    layers = []
    for layer in cast(list[nn.Module], model.model.layers):
        attn, mlp = cast(nn.Module, layer.self_attn), cast(nn.Module, layer.mlp)
        layers.append(
            _Layer(
                attn_norm=_norm(cast(nn.Module, layer.input_layernorm)),
                q=_matrix(attn, "q_proj"),
                k=_matrix(attn, "k_proj"),
                v=_matrix(attn, "v_proj"),
                o=_matrix(attn, "o_proj"),
                mlp_norm=_norm(cast(nn.Module, layer.post_attention_layernorm)),
                gate=_matrix(mlp, "gate_proj"),
                up=_matrix(mlp, "up_proj"),
                down=_matrix(mlp, "down_proj"),
            )
        )
    return layers


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class BlockedForward:
    """One sequence's forward pass over a model, a row block at a time, with its key/value store.

    ``length`` positions are provided for (rounded up to whole blocks); token ids not yet set are
    ``PAD_ID``. `run_block` computes one block from the tokens set so far and returns its
    logits; `fill_block` stops before the output head. Raises ``INFERENCE.CONTEXT_TOO_LONG``
    when ``length`` exceeds the model's positions.
    """

    def __init__(self, model: LlamaForCausalLM, length: int) -> None:
        config = model.config
        if length > config.max_position_embeddings:
            raise InferenceError(
                "INFERENCE.CONTEXT_TOO_LONG",
                f"{length} positions, the model takes at most {config.max_position_embeddings}",
            )
        self.attention = model.attention
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = config.head_dim
        self.blocks = max(1, -(-length // SERVE_BLOCK))
        capacity = self.blocks * SERVE_BLOCK
        self.embed = cast(torch.Tensor, model.model.embed_tokens.weight)
        self.head = self.embed if model.lm_head is None else model.lm_head.weight
        self.final_norm = _norm(cast(nn.Module, model.model.norm))
        self.layers = _layers(model)
        device, dtype = self.embed.device, self.embed.dtype
        self.dtype = dtype
        self.ids = torch.full((capacity,), PAD_ID, dtype=torch.long, device=device)
        shape = (self.kv_heads, capacity, self.head_dim)
        self.keys = [torch.zeros(shape, dtype=dtype, device=device) for _ in self.layers]
        self.values = [torch.zeros(shape, dtype=dtype, device=device) for _ in self.layers]
        cos, sin = rope_tables(config, dtype)
        pad = capacity - min(capacity, cos.shape[0])
        # Positions past the model's table only ever hold padding, whose values reach no real row.
        self.cos = torch.cat((cos[:capacity], cos.new_zeros(pad, cos.shape[1]))).to(device)
        self.sin = torch.cat((sin[:capacity], sin.new_zeros(pad, sin.shape[1]))).to(device)
        self.rows = torch.arange(SERVE_BLOCK, device=device)
        self.scale = 1.0 / math.sqrt(self.head_dim)

    def _attend(
        self, q: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        if self.attention == "eager":
            scores = torch.matmul(q, keys.transpose(1, 2)) * self.scale
            scores = scores.masked_fill(~mask, float("-inf"))
            probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(self.dtype)
            return torch.matmul(probs, values)
        with sdpa_kernel([_SDPA[self.attention]]):
            # The fused kernels take [batch, heads, rows, head_dim] only.
            out = F.scaled_dot_product_attention(
                q[None], keys[None], values[None], attn_mask=mask, scale=self.scale
            )
        return out[0]

    def fill_block(self, block: int) -> torch.Tensor:
        """Run block ``block``'s decoder layers, store its keys and values; its hidden states."""
        start, end = block * SERVE_BLOCK, (block + 1) * SERVE_BLOCK
        heads, kv_heads, head_dim = self.heads, self.kv_heads, self.head_dim
        group = heads // kv_heads
        cos, sin = self.cos[start:end, None, :], self.sin[start:end, None, :]
        visible = (
            torch.arange(end, device=self.rows.device)[None, :] <= (start + self.rows)[:, None]
        )
        mask = visible.repeat(group, 1)
        hidden = F.embedding(self.ids[start:end], self.embed)
        for i, layer in enumerate(self.layers):
            h = layer.attn_norm(hidden)
            q = F.linear(h, layer.q).view(SERVE_BLOCK, heads, head_dim)
            k = F.linear(h, layer.k).view(SERVE_BLOCK, kv_heads, head_dim)
            v = F.linear(h, layer.v).view(SERVE_BLOCK, kv_heads, head_dim)
            q = q * cos + _rotate_half(q) * sin
            k = k * cos + _rotate_half(k) * sin
            self.keys[i][:, start:end] = k.transpose(0, 1)
            self.values[i][:, start:end] = v.transpose(0, 1)
            # The query heads of one key head side by side: [kv_heads, group * rows, head_dim].
            q = q.view(SERVE_BLOCK, kv_heads, group, head_dim).permute(1, 2, 0, 3)
            q = q.reshape(kv_heads, group * SERVE_BLOCK, head_dim)
            out = self._attend(q, self.keys[i][:, :end], self.values[i][:, :end], mask)
            out = out.view(kv_heads, group, SERVE_BLOCK, head_dim).permute(2, 0, 1, 3)
            hidden = hidden + F.linear(out.reshape(SERVE_BLOCK, heads * head_dim), layer.o)
            h = layer.mlp_norm(hidden)
            gated = F.silu(F.linear(h, layer.gate)) * F.linear(h, layer.up)
            hidden = hidden + F.linear(gated, layer.down)
        return hidden

    def run_block(self, block: int) -> torch.Tensor:
        """Run block ``block`` on the current token ids: its logits ``[SERVE_BLOCK, vocab]``."""
        return F.linear(self.final_norm(self.fill_block(block)), self.head)
