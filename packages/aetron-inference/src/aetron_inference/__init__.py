"""Canonical execution, model identity and reference probes for AETRON inference tasks.

See specs/inference.md. The quantization formats live in `aetron_inference.quant`.
"""

from __future__ import annotations

from ._arbitration import Ruling, arbitrate
from ._blocked import SERVE_BLOCK
from ._commitment import claimed_replay_commitment
from ._config import (
    BOS_ID,
    BYTE_VOCAB_SIZE,
    EOS_ID,
    PAD_ID,
    PRESETS,
    REFERENCE_CONFIG,
    LlamaConfig,
    decode_bytes,
    encode_bytes,
)
from ._errors import InferenceError, SpecMismatch
from ._init import random_weights
from ._logits import logit_bytes, logit_hash
from ._model import ROW_BLOCK, KVCache, LlamaForCausalLM
from ._probes import (
    PROBE_PROMPTS,
    probe_hash,
    probe_request,
    probe_requests,
    reference_probes,
    verify_probes,
)
from ._reference import (
    REFERENCE_MODEL_HASH,
    corpus_bytes,
    load_reference_model,
    load_reference_weights,
)
from ._replay import recompute_replay_commitment, replay
from ._runtime import (
    Platform,
    Runtime,
    check_spec,
    configure,
    default_spec,
    detect_platforms,
    offers,
    spec_problems,
    torch_version,
)
from ._serve import Served, make_request, serve
from ._weights import ModelWeights

__all__ = [
    "BOS_ID",
    "BYTE_VOCAB_SIZE",
    "EOS_ID",
    "PAD_ID",
    "PRESETS",
    "PROBE_PROMPTS",
    "REFERENCE_CONFIG",
    "REFERENCE_MODEL_HASH",
    "ROW_BLOCK",
    "SERVE_BLOCK",
    "InferenceError",
    "KVCache",
    "LlamaConfig",
    "LlamaForCausalLM",
    "ModelWeights",
    "Platform",
    "Ruling",
    "Runtime",
    "Served",
    "SpecMismatch",
    "arbitrate",
    "check_spec",
    "claimed_replay_commitment",
    "configure",
    "corpus_bytes",
    "decode_bytes",
    "default_spec",
    "detect_platforms",
    "encode_bytes",
    "load_reference_model",
    "load_reference_weights",
    "logit_bytes",
    "logit_hash",
    "make_request",
    "offers",
    "probe_hash",
    "probe_request",
    "probe_requests",
    "random_weights",
    "recompute_replay_commitment",
    "reference_probes",
    "replay",
    "serve",
    "spec_problems",
    "torch_version",
    "verify_probes",
]
