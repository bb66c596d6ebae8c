"""Accepting caller arrays: numpy arrays and torch tensors, converted without rounding."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from . import _errors
from ._bits import F32, Ints
from ._errors import QuantError

__all__ = ["as_float32", "as_integers"]

_TORCH_FLOATS = (torch.float16, torch.bfloat16, torch.float32)
_NUMPY_FLOATS = (np.dtype(np.float16), np.dtype(np.float32))


def as_float32(values: Any) -> F32:
    """The values as a float32 numpy array of the same shape.

    Only dtypes every value of which float32 holds exactly are accepted (float16, bfloat16,
    float32), so the conversion never rounds; anything else raises ``QUANT.UNSUPPORTED_DTYPE``.
    """
    if isinstance(values, torch.Tensor):
        if values.dtype not in _TORCH_FLOATS:
            raise QuantError(_errors.UNSUPPORTED_DTYPE, f"tensor dtype {values.dtype}")
        return np.asarray(values.detach().to("cpu", torch.float32).numpy(), order="C")
    if isinstance(values, np.ndarray | np.generic):
        array = np.asarray(values)
        if array.dtype not in _NUMPY_FLOATS:
            raise QuantError(_errors.UNSUPPORTED_DTYPE, f"array dtype {array.dtype}")
        return np.asarray(array, dtype=np.float32, order="C")
    raise QuantError(_errors.UNSUPPORTED_DTYPE, f"expected an array or tensor, got {type(values)}")


def as_integers(values: Any) -> Ints:
    """Integer codes as an int64 numpy array of the same shape (``QUANT.UNSUPPORTED_DTYPE``)."""
    if isinstance(values, torch.Tensor):
        if values.dtype.is_floating_point or values.dtype.is_complex or values.dtype == torch.bool:
            raise QuantError(_errors.UNSUPPORTED_DTYPE, f"tensor dtype {values.dtype}")
        return values.detach().to("cpu", torch.int64).numpy()
    if isinstance(values, np.ndarray | np.generic):
        array = np.asarray(values)
        if array.dtype.kind not in "iu":
            raise QuantError(_errors.UNSUPPORTED_DTYPE, f"array dtype {array.dtype}")
        if array.dtype == np.uint64 and array.size and int(array.max()) > np.iinfo(np.int64).max:
            raise QuantError(_errors.CODE_OUT_OF_RANGE, "code beyond 2**63")
        return array.astype(np.int64)
    raise QuantError(_errors.UNSUPPORTED_DTYPE, f"expected an array or tensor, got {type(values)}")
