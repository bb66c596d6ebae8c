"""QuantizedTensor: layouts, canonical bytes, exact dequantization and every rejection."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import torch
from aetron_inference.quant import (
    FORMAT_NAMES,
    FORMATS,
    LAYOUTS,
    QuantError,
    QuantizedTensor,
    decode_elements,
    dequantize,
    get_format,
)
from aetron_types import QuantFormat
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

SHAPES = [(), (0,), (3, 0), (0, 4), (1,), (7,), (33,), (4, 64), (2, 3, 50), (5, 129)]
# Formats whose dequantized values are exact products; nf4 and nvfp4 round one float32 product.
EXACT = [name for name in FORMAT_NAMES if name not in ("nf4", "nvfp4")]


def sample(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * 0.1).astype(np.float32)


def test_names_and_wire_codes_are_aetron_types_quant_format() -> None:
    assert tuple(member.value for member in QuantFormat) == FORMAT_NAMES
    assert tuple(FORMATS) == FORMAT_NAMES and tuple(LAYOUTS) == FORMAT_NAMES
    for code, member in enumerate(QuantFormat):
        assert FORMATS[member].name == member.value and FORMATS[member].code == code


@pytest.mark.parametrize("name", FORMAT_NAMES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_every_shape_round_trips_with_the_layout_lengths(name: str, shape: tuple[int, ...]) -> None:
    fmt = FORMATS[name]
    q = fmt.quantize(sample(shape))
    assert q.format == name and q.shape == shape
    lengths = LAYOUTS[name].part_lengths(shape)
    assert (len(q.codes), len(q.scales), len(q.tensor_scale)) == lengths
    back = fmt.dequantize(q)
    assert back.dtype == torch.float32 and tuple(back.shape) == shape
    assert QuantizedTensor.from_bytes(q.to_bytes()) == q
    assert torch.equal(dequantize(q), back)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_quantization_is_deterministic_and_input_kinds_agree(name: str) -> None:
    x = sample((6, 80), seed=1)
    as_bf16 = torch.from_numpy(x).to(torch.bfloat16)
    q = FORMATS[name].quantize(torch.from_numpy(x))
    assert (
        FORMATS[name].quantize(x) == q
        and FORMATS[name].quantize(x.copy()).to_bytes() == q.to_bytes()
    )
    # float16 and bfloat16 inputs widen exactly to float32 first.
    assert FORMATS[name].quantize(as_bf16) == FORMATS[name].quantize(as_bf16.float())
    assert FORMATS[name].quantize(x.astype(np.float16)) == FORMATS[name].quantize(
        x.astype(np.float16).astype(np.float32)
    )


def test_different_formats_give_different_bytes() -> None:
    x = sample((4, 64), seed=2)
    encodings = {FORMATS[name].quantize(x).to_bytes() for name in FORMAT_NAMES}
    assert len(encodings) == len(FORMAT_NAMES)


def _nibbles(data: bytes, high_first: bool = False) -> np.ndarray:
    b = np.frombuffer(data, dtype=np.uint8).astype(np.int64)
    pair = [b >> 4, b & 0xF] if high_first else [b & 0xF, b >> 4]
    return np.stack(pair, axis=1).reshape(-1)


def _sixes(data: bytes) -> np.ndarray:
    word = np.frombuffer(data, dtype=np.uint8).astype(np.int64).reshape(-1, 3) @ [1, 256, 65536]
    return np.stack([(word >> (6 * i)) & 0x3F for i in range(4)], axis=1).reshape(-1)


def _half(data: bytes, dtype: str) -> np.ndarray:
    bits = np.frombuffer(data, dtype="<u2")
    if dtype == "fp16":
        return bits.view(np.float16).astype(np.float64)
    return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)


def float64_dequantize(q: QuantizedTensor) -> np.ndarray:
    """An independent dequantizer in float64, where every product of the parts is exact."""
    name, block = q.format, LAYOUTS[q.format].block
    e8m0 = np.exp2(np.frombuffer(q.scales, dtype=np.uint8).astype(np.float64) - 127)
    element = {
        "mxfp4": "fp4_e2m1",
        "fp4": "fp4_e2m1",
        "nvfp4": "fp4_e2m1",
        "mxfp6_e2m3": "fp6_e2m3",
        "mxfp6_e3m2": "fp6_e3m2",
        "mxfp8_e4m3": "fp8_e4m3",
        "mxfp8_e5m2": "fp8_e5m2",
        "fp8_e4m3": "fp8_e4m3",
        "fp8_e5m2": "fp8_e5m2",
    }.get(name)
    if name in ("fp8_e4m3", "fp8_e5m2"):
        codes = np.frombuffer(q.codes, dtype=np.uint8)
        return decode_elements(codes, element).astype(np.float64) * e8m0[0]
    if name == "int8":
        values = np.frombuffer(q.codes, dtype=np.int8).astype(np.float64)
        return values.reshape(len(q.scales) // 2, -1) * _half(q.scales, "bf16")[:, None]
    if name in ("mxfp4", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp8_e4m3", "mxfp8_e5m2", "mxint8"):
        bits = LAYOUTS[name].code_bits
        codes = {4: _nibbles, 6: _sixes}.get(bits, lambda d: np.frombuffer(d, np.uint8))(q.codes)
        if name == "mxint8":
            values = codes.astype(np.uint8).view(np.int8).astype(np.float64) / 64
        else:
            values = decode_elements(codes.astype(np.int64), element).astype(np.float64)
        return values.reshape(-1, block) * e8m0[:, None]
    if name == "int4":
        codes = _nibbles(q.codes)
        return ((codes ^ 8) - 8).astype(np.float64).reshape(-1, block) * _half(q.scales, "bf16")[
            :, None
        ]
    if name == "fp4":
        values = decode_elements(_nibbles(q.codes), "fp4_e2m1").astype(np.float64)
        return values.reshape(-1, block) * _half(q.scales, "bf16")[:, None]
    if name == "q8_0":
        values = np.frombuffer(q.codes, dtype=np.int8).astype(np.float64)
        return values.reshape(-1, block) * _half(q.scales, "fp16")[:, None]
    if name == "q4_0":
        halves = np.frombuffer(q.codes, dtype=np.uint8).astype(np.int64).reshape(-1, 16)
        codes = np.concatenate([halves & 0xF, halves >> 4], axis=1)
        return (codes - 8).astype(np.float64) * _half(q.scales, "fp16")[:, None]
    if name == "nf4":
        from aetron_inference.quant._absmax import NF4_CODEBOOK

        values = NF4_CODEBOOK[_nibbles(q.codes, high_first=True)].astype(np.float64)
        return (
            values.reshape(-1, block) * np.frombuffer(q.scales, "<f4").astype(np.float64)[:, None]
        )
    assert name == "nvfp4"
    values = decode_elements(_nibbles(q.codes), "fp4_e2m1").astype(np.float64).reshape(-1, block)
    block_scales = decode_elements(np.frombuffer(q.scales, np.uint8), "fp8_e4m3").astype(np.float64)
    return values * block_scales[:, None] * float(np.frombuffer(q.tensor_scale, "<f4")[0])


SCALED = [name for name in FORMAT_NAMES if name not in ("fp32", "fp16", "bf16")]


@pytest.mark.parametrize("name", SCALED)
def test_dequantized_values_are_exact_or_rounded_once(name: str) -> None:
    """float32 results equal the exact products; nf4 and nvfp4 round that product once."""
    x = sample((4, 128), seed=3)  # rows that fill whole blocks, so no padding to drop
    x[0, :40] *= 1000.0
    q = FORMATS[name].quantize(x)
    back = FORMATS[name].dequantize(q).numpy().reshape(-1)
    exact = float64_dequantize(q).reshape(-1)
    if name in EXACT:
        assert np.array_equal(back.astype(np.float64), exact)
    else:
        assert np.array_equal(back, exact.astype(np.float32))
        assert not np.array_equal(back.astype(np.float64), exact)  # really rounded somewhere


@settings(max_examples=60, deadline=None)
@given(
    x=hnp.arrays(
        np.float32,
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=20),
        elements=st.floats(width=32, allow_nan=False, allow_infinity=False),
    ),
    name=st.sampled_from(FORMAT_NAMES),
)
def test_any_finite_input_quantizes_and_survives_serialization(x: np.ndarray, name: str) -> None:
    try:
        q = FORMATS[name].quantize(x)
    except QuantError as exc:  # float16 elements or scales, or any magnitude from 2**127 on
        assert exc.code == "QUANT.OVERFLOW"
        assert name in ("fp16", "q8_0", "q4_0") or np.abs(x).max() >= 2.0**127
        return
    back = FORMATS[name].dequantize(q)
    assert torch.isfinite(back).all()
    assert QuantizedTensor.from_bytes(q.to_bytes()) == q


def test_tensors_lists_the_named_parts() -> None:
    x = sample((2, 32))
    assert set(FORMATS["fp32"].quantize(x).tensors()) == {"codes"}
    assert set(FORMATS["mxfp4"].quantize(x).tensors()) == {"codes", "scales"}
    parts = FORMATS["nvfp4"].quantize(x).tensors()
    assert set(parts) == {"codes", "scales", "tensor_scale"}
    assert all(v.dtype == np.uint8 and v.ndim == 1 for v in parts.values())


def test_canonical_encoding_layout() -> None:
    q = FORMATS["q8_0"].quantize(np.arange(32, dtype=np.float32).reshape(1, 32))
    data = q.to_bytes()
    assert data[0] == 16 and data[1] == 2
    assert struct.unpack_from("<QQ", data, 2) == (1, 32)
    assert struct.unpack_from("<Q", data, 18) == (32,) and data[26:58] == q.codes
    assert struct.unpack_from("<Q", data, 58) == (2,) and data[66:68] == q.scales
    assert struct.unpack_from("<Q", data, 68) == (0,) and len(data) == 76


def test_parts_are_accepted_as_arrays_and_kept_as_bytes() -> None:
    q = FORMATS["int8"].quantize(sample((2, 3)))
    again = QuantizedTensor(
        QuantFormat.int8, [2, 3], np.frombuffer(q.codes, np.uint8), bytearray(q.scales)
    )
    assert again == q and isinstance(again.codes, bytes) and type(again.format) is str


def _error(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(QuantError) as info:
        call()
    return info.value.code


def test_construction_and_parsing_rejections() -> None:
    good = FORMATS["mxfp4"].quantize(sample((2, 40)))
    data = good.to_bytes()
    assert _error(lambda: QuantizedTensor("int3", (1,), b"")) == "QUANT.UNKNOWN_FORMAT"
    assert _error(lambda: QuantizedTensor("fp32", (-1,), b"")) == "QUANT.BAD_SHAPE"
    assert _error(lambda: QuantizedTensor("fp32", (True,), b"\0" * 4)) == "QUANT.BAD_SHAPE"
    assert _error(lambda: QuantizedTensor("fp32", "ab", b"")) == "QUANT.BAD_SHAPE"
    assert _error(lambda: QuantizedTensor("fp32", (2,), b"\0" * 7)) == "QUANT.BAD_PART_LENGTH"
    assert (
        _error(lambda: QuantizedTensor("fp32", (1,), b"\0" * 4, b"\0")) == "QUANT.BAD_PART_LENGTH"
    )
    assert _error(lambda: QuantizedTensor("fp32", (1,), "abcd")) == "QUANT.BAD_PART_LENGTH"  # type: ignore[arg-type]
    assert _error(lambda: QuantizedTensor.from_bytes(b"\x09")) == "QUANT.TRUNCATED"
    assert _error(lambda: QuantizedTensor.from_bytes(data[:-1])) == "QUANT.TRUNCATED"
    assert _error(lambda: QuantizedTensor.from_bytes(data[:10])) == "QUANT.TRUNCATED"
    assert _error(lambda: QuantizedTensor.from_bytes(data + b"\0")) == "QUANT.TRAILING_BYTES"
    assert _error(lambda: QuantizedTensor.from_bytes(b"\x12" + data[1:])) == "QUANT.UNKNOWN_FORMAT"
    # A shape that disagrees with the part lengths.
    assert _error(
        lambda: QuantizedTensor.from_bytes(data[:2] + struct.pack("<Q", 3) + data[10:])
    ) == ("QUANT.BAD_PART_LENGTH")
    # A part length far beyond the data must not be trusted.
    huge = data[:18] + struct.pack("<Q", 2**63) + data[26:]
    assert _error(lambda: QuantizedTensor.from_bytes(huge)) == "QUANT.TRUNCATED"


def test_quantize_rejections() -> None:
    for name in FORMAT_NAMES:
        for bad in (np.nan, np.inf, -np.inf):
            x = np.float32([1.0, bad])
            assert (
                _error(lambda x=x, name=name: FORMATS[name].quantize(x)) == "QUANT.NON_FINITE_INPUT"
            )
        x = np.float32([1.0, -(2.0**127)])
        assert _error(lambda x=x, name=name: FORMATS[name].quantize(x)) == "QUANT.OVERFLOW"
        below = np.float32([1.0, -np.nextafter(np.float32(2.0**127), np.float32(0))])
        if name not in ("fp16", "q8_0", "q4_0"):
            assert torch.isfinite(FORMATS[name].dequantize(FORMATS[name].quantize(below))).all()
    assert _error(lambda: FORMATS["fp32"].quantize(np.zeros(3))) == "QUANT.UNSUPPORTED_DTYPE"
    assert _error(lambda: FORMATS["fp32"].quantize(torch.zeros(3, dtype=torch.float64))) == (
        "QUANT.UNSUPPORTED_DTYPE"
    )
    assert _error(lambda: FORMATS["fp32"].quantize([1.0])) == "QUANT.UNSUPPORTED_DTYPE"
    assert _error(lambda: get_format("fp64")) == "QUANT.UNKNOWN_FORMAT"


def test_dequantize_rejections() -> None:
    x = sample((2, 40))
    q = FORMATS["mxfp4"].quantize(x)
    assert _error(lambda: FORMATS["mxfp6_e2m3"].dequantize(q)) == "QUANT.FORMAT_MISMATCH"
    assert _error(lambda: FORMATS["fp32"].dequantize(b"")) == "QUANT.FORMAT_MISMATCH"  # type: ignore[arg-type]
    assert _error(lambda: dequantize(q.to_bytes())) == "QUANT.FORMAT_MISMATCH"  # type: ignore[arg-type]
    # Row length 40 pads to 64: bytes 20..31 of each row hold padding codes only.
    codes = bytearray(q.codes)
    codes[31] = 0x10
    padded = QuantizedTensor("mxfp4", q.shape, bytes(codes), q.scales)
    assert _error(lambda: FORMATS["mxfp4"].dequantize(padded)) == "QUANT.NONCANONICAL_PADDING"
    q4 = FORMATS["q4_0"].quantize(x)
    codes = bytearray(q4.codes)
    codes[31] = 0x08  # the high nibble of the last byte stands for element 63: padding, must be 8
    bad = QuantizedTensor("q4_0", q4.shape, bytes(codes), q4.scales)
    assert _error(lambda: FORMATS["q4_0"].dequantize(bad)) == "QUANT.NONCANONICAL_PADDING"
    nan_scale = QuantizedTensor("mxfp4", q.shape, q.codes, b"\xff" + q.scales[1:])
    assert _error(lambda: FORMATS["mxfp4"].dequantize(nan_scale)) == "QUANT.NON_FINITE_VALUE"
    e4m3 = FORMATS["mxfp8_e4m3"].quantize(x)
    nan_code = QuantizedTensor("mxfp8_e4m3", e4m3.shape, b"\x7f" + e4m3.codes[1:], e4m3.scales)
    assert _error(lambda: FORMATS["mxfp8_e4m3"].dequantize(nan_code)) == "QUANT.NON_FINITE_VALUE"
    big = QuantizedTensor(
        "mxfp8_e4m3", e4m3.shape, b"\x7e" + e4m3.codes[1:], b"\xfe" + e4m3.scales[1:]
    )
    assert _error(lambda: FORMATS["mxfp8_e4m3"].dequantize(big)) == "QUANT.NON_FINITE_VALUE"
    for name in ("fp8_e4m3", "fp8_e5m2", "mxint8", "mxfp6_e3m2", "nvfp4"):
        zeros = FORMATS[name].quantize(np.zeros((1, 32), dtype=np.float32))
        nan = QuantizedTensor(
            name, zeros.shape, zeros.codes, b"\xff" * len(zeros.scales), zeros.tensor_scale
        )
        assert (
            _error(lambda nan=nan, name=name: FORMATS[name].dequantize(nan))
            == "QUANT.NON_FINITE_VALUE"
        )
    inf16 = QuantizedTensor("fp16", (1,), b"\x00\x7c")
    assert _error(lambda: FORMATS["fp16"].dequantize(inf16)) == "QUANT.NON_FINITE_VALUE"
