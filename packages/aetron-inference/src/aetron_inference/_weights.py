"""Stored model weights in one format, their model hash, and their safetensors files."""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import blake3
import numpy as np
import torch
from aetron_types import QuantFormat
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

from . import quant
from ._config import LlamaConfig
from ._errors import InferenceError
from ._model import LlamaForCausalLM
from ._runtime import Runtime

__all__ = ["MODEL_HASH_TAG", "ModelWeights"]

MODEL_HASH_TAG = b"AETRON.model.v1"
"""Domain tag that starts the model-hash preimage."""
_PLAIN = 0
_QUANTIZED = 1
_FORMAT_KEY = "aetron.quant_format"
Stored = torch.Tensor | quant.QuantizedTensor
_CONFIG_KEY = "aetron.config"


def _format_code(fmt: str) -> int:
    return list(QuantFormat).index(QuantFormat(fmt))


def _plain_record(tensor: torch.Tensor) -> bytes:
    data = tensor.detach().cpu().contiguous().numpy().astype("<f4", copy=False).tobytes()
    dims = struct.pack(f"<B{tensor.ndim}I", tensor.ndim, *tensor.shape)
    return bytes([_PLAIN]) + dims + data


def _quantized_record(q: quant.QuantizedTensor) -> bytes:
    # The quant package's canonical encoding carries its format, shape and part lengths.
    return bytes([_QUANTIZED]) + q.to_bytes()


@dataclass(frozen=True)
class ModelWeights:
    """A model as stored: its config, its weight format and every weight by Hugging Face name.

    In format ``fp32`` every weight is a float32 tensor. In any other format every matrix is a
    quantized tensor of `aetron_inference.quant` and the RMSNorm vectors stay float32.
    """

    config: LlamaConfig
    quant_format: str
    """The `QuantFormat` value every matrix is stored in."""
    tensors: Mapping[str, Stored]

    @classmethod
    def from_float(cls, config: LlamaConfig, tensors: Mapping[str, torch.Tensor]) -> ModelWeights:
        """Weights in format ``fp32`` from float tensors (rounded to float32 if need be)."""
        converted: dict[str, Stored] = {
            name: t.detach().to(device="cpu", dtype=torch.float32).contiguous()
            for name, t in tensors.items()
        }
        return cls(config, "fp32", converted)

    def __post_init__(self) -> None:
        config, fmt, tensors = self.config, self.quant_format, self.tensors
        if fmt not in quant.FORMATS:
            raise InferenceError("INFERENCE.UNKNOWN_FORMAT", f"no weight format {fmt!r}")
        expected = config.weight_shapes()
        if set(tensors) != set(expected):
            missing = sorted(set(expected) - set(tensors))
            extra = sorted(set(tensors) - set(expected))
            raise InferenceError(
                "INFERENCE.BAD_WEIGHTS", f"missing {missing[:3]}, unexpected {extra[:3]}"
            )
        for name, shape in expected.items():
            tensor = tensors[name]
            plain = fmt == "fp32" or len(shape) == 1
            if plain and not (isinstance(tensor, torch.Tensor) and tensor.dtype == torch.float32):
                raise InferenceError("INFERENCE.BAD_WEIGHTS", f"{name} is not a float32 tensor")
            if not plain and not (
                isinstance(tensor, quant.QuantizedTensor) and tensor.format == fmt
            ):
                raise InferenceError("INFERENCE.BAD_WEIGHTS", f"{name} is not stored in {fmt}")
            if tuple(tensor.shape) != shape:
                raise InferenceError(
                    "INFERENCE.BAD_WEIGHTS", f"{name} has shape {tuple(tensor.shape)}, not {shape}"
                )

    def quantize(self, fmt: str) -> ModelWeights:
        """These ``fp32`` weights with every matrix quantized to ``fmt`` (norms stay float32)."""
        if self.quant_format != "fp32":
            raise InferenceError(
                "INFERENCE.REQUANTIZE", f"quantize from fp32 weights, not from {self.quant_format}"
            )
        if fmt == "fp32":
            return self
        codec = quant.FORMATS.get(fmt)
        if codec is None:
            raise InferenceError("INFERENCE.UNKNOWN_FORMAT", f"no weight format {fmt!r}")
        stored: dict[str, Stored] = {
            name: codec.quantize(t) if t.ndim == 2 else t for name, t in self.dequantized().items()
        }
        return ModelWeights(self.config, fmt, stored)

    def dequantized(self) -> dict[str, torch.Tensor]:
        """Every weight as a float32 tensor: matrices decoded by their format's `dequantize`."""
        codec = quant.FORMATS[self.quant_format]
        return {
            name: t if isinstance(t, torch.Tensor) else codec.dequantize(t).to(torch.float32)
            for name, t in self.tensors.items()
        }

    def model_hash(self) -> bytes:
        """BLAKE3-256 over the canonical serialization (specs/inference.md, "Model hash")."""
        hasher = blake3.blake3(MODEL_HASH_TAG)
        config = self.config.canonical_bytes()
        hasher.update(bytes([_format_code(self.quant_format)]))
        hasher.update(struct.pack("<I", len(config)) + config)
        names = sorted(self.tensors, key=lambda n: n.encode())
        hasher.update(struct.pack("<I", len(names)))
        for name in names:
            encoded = name.encode()
            tensor = self.tensors[name]
            if isinstance(tensor, torch.Tensor):
                record = _plain_record(tensor)
            else:
                record = _quantized_record(tensor)
            hasher.update(struct.pack("<H", len(encoded)) + encoded + record)
        return hasher.digest()

    def build(self, runtime: Runtime | None = None) -> LlamaForCausalLM:
        """The runnable model: weights dequantized, rounded to the runtime's dtype, on its device.

        Without a runtime: float32, eager attention, on the CPU.
        """
        if runtime is not None and runtime.quant_format != self.quant_format:
            raise InferenceError(
                "INFERENCE.FORMAT_MISMATCH",
                f"spec wants {runtime.quant_format} weights, these are {self.quant_format}",
            )
        model = LlamaForCausalLM.from_weights(
            self.config,
            self.dequantized(),
            dtype=torch.float32 if runtime is None else runtime.dtype,
            device="cpu" if runtime is None else runtime.device,
            attention="eager" if runtime is None else runtime.attention,
        )
        model.model_hash = self.model_hash()
        return model

    def save(self, path: Path | str) -> None:
        """Write a safetensors file: float32 tensors as they are, quantized ones as their bytes."""
        arrays: dict[str, np.ndarray] = {}
        for name, tensor in self.tensors.items():
            if isinstance(tensor, torch.Tensor):
                arrays[name] = tensor.numpy()
            else:
                arrays[name] = np.frombuffer(tensor.to_bytes(), dtype=np.uint8).copy()
        metadata = {
            _FORMAT_KEY: self.quant_format,
            _CONFIG_KEY: json.dumps(self.config.__dict__, sort_keys=True),
        }
        save_file(arrays, str(path), metadata=metadata)

    @classmethod
    def load(cls, path: Path | str) -> ModelWeights:
        """Read a file written by `save`."""
        with safe_open(str(path), framework="np") as handle:
            metadata = handle.metadata() or {}
        if _FORMAT_KEY not in metadata or _CONFIG_KEY not in metadata:
            raise InferenceError("INFERENCE.BAD_WEIGHTS", f"{path} lacks AETRON metadata")
        config = LlamaConfig(**json.loads(metadata[_CONFIG_KEY]))
        fmt = metadata[_FORMAT_KEY]
        arrays = load_file(str(path))
        tensors: dict[str, Stored] = {}
        for name, array in arrays.items():
            if array.dtype == np.uint8:
                tensors[name] = quant.QuantizedTensor.from_bytes(array.tobytes())
            else:
                tensors[name] = torch.from_numpy(array.astype(np.float32))
        return cls(config, fmt, tensors)
