"""Quantization vectors: element codecs and the 18 weight formats, bit for bit.

Every float32 value travels as its bit pattern, ``"0x3f800000"``; byte strings are ``0x`` hex.

Handlers:

``quant.encode_elements``
    input ``{"element", "values": [bits, ...]}``; output ``{"codes": "0x.."}`` (one byte per
    value).
``quant.decode_elements``
    input ``{"element", "codes": "0x.."}``; output ``{"values": [bits, ...]}``.
``quant.quantize``
    input ``{"format", "shape": [dims], "values": [bits, ...]}`` (row-major); output
    ``{"codes", "scales", "tensor_scale", "encoding", "dequantized": [bits, ...]}``, where
    ``encoding`` is the canonical byte form (``QuantizedTensor.to_bytes``).
``quant.dequantize``
    input ``{"encoding": "0x.."}``; output ``{"values": [bits, ...]}``.

Inputs are made from BLAKE3 streams, so they never depend on a random generator's version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import blake3
import numpy as np
from aetron_inference.quant import (
    ELEMENTS,
    FORMAT_NAMES,
    FORMATS,
    QuantizedTensor,
    decode_elements,
    dequantize,
    encode_elements,
    get_format,
)

from ..._vector import Vector

GROUP = "quant"
_GENERATOR = "aetron_conformance.domains.inference.quant"
_SPEC = "specs/quantization.md"
_PREFIX = "inference/quant"
_LARGEST = {
    "fp8_e4m3": 448.0,
    "fp8_e5m2": 57344.0,
    "fp6_e2m3": 7.5,
    "fp6_e3m2": 28.0,
    "fp4_e2m1": 6.0,
}
_ANCHOR = {
    "fp32": "fp32-fp16-bf16", "fp16": "fp32-fp16-bf16", "bf16": "fp32-fp16-bf16",
    "fp8_e4m3": "fp8_e4m3-fp8_e5m2", "fp8_e5m2": "fp8_e4m3-fp8_e5m2",
    "mxfp4": "mx-formats", "mxfp6_e2m3": "mx-formats", "mxfp6_e3m2": "mx-formats",
    "mxfp8_e4m3": "mx-formats", "mxfp8_e5m2": "mx-formats", "mxint8": "mx-formats",
}  # fmt: skip
_WIDTH = {"fp8_e4m3": 8, "fp8_e5m2": 8, "fp6_e2m3": 6, "fp6_e3m2": 6, "fp4_e2m1": 4, "e8m0": 8}


def _bits_of(values: np.ndarray) -> list[str]:
    return [f"0x{b:08x}" for b in np.asarray(values, np.float32).reshape(-1).view(np.uint32)]


def _values_of(bits: list[str]) -> np.ndarray:
    return np.array([int(b, 16) for b in bits], dtype=np.uint32).view(np.float32)


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def _bytes(text: str) -> bytes:
    return bytes.fromhex(text.removeprefix("0x"))


def _stream(label: str, count: int) -> np.ndarray:
    """``count`` u32 words of the BLAKE3 XOF of ``label``."""
    data = blake3.blake3(f"aetron/quant-vectors/{label}".encode()).digest(length=4 * count)
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def _weights(label: str, shape: tuple[int, ...]) -> np.ndarray:
    """Weight-like float32 values: random sign and mantissa, magnitudes in [2**-9, 2**-1)."""
    words = _stream(label, int(np.prod(shape, dtype=np.int64)))
    exponent = (118 + ((words >> 23) & 7)).astype(np.uint32)
    bits = (words & 0x807FFFFF) | (exponent << 23)
    return bits.view(np.float32).reshape(shape)


def _edge_rows() -> np.ndarray:
    """Four rows of 32: the cases scale rules and rounding disagree on first."""
    x = _weights("edges", (4, 32))
    x[0] = 0.0
    x[0, 5] = -0.0  # an all-zero block holding a negative zero
    x[1] = np.float32(0.25) * np.arange(-16, 16, dtype=np.float32) / 8  # amax is a power of two
    x[1, 31] = 0.5
    x[2, :8] = np.float32(1e-40)  # float32 subnormals beside a large value
    x[2, 8] = 3.0e4
    x[3] = np.linspace(-1, 1, 32, dtype=np.float32)  # +1 and -1 tie for the largest magnitude
    return x


# Element codecs ---------------------------------------------------------------------------------


def _element_probe(element: str) -> np.ndarray:
    """Every positive finite value, the midpoint (tie) between neighbours, and both negated."""
    codes = np.arange(1 << _WIDTH[element], dtype=np.uint8)
    values = decode_elements(codes, element).astype(np.float64)
    finite = np.unique(values[np.isfinite(values) & (values >= 0)])
    mids = (finite[:-1] + finite[1:]) / 2
    points = np.concatenate([finite, mids]).astype(np.float32)
    return points if element == "e8m0" else np.concatenate([points, -points])


def _element_specials(element: str) -> np.ndarray:
    if element == "e8m0":
        return np.array(
            [
                *(0.0, -0.0, 2.0**-140, 1.25 * 2.0**-127, 1.5, 3.0, 2.9),
                *(1e38, 2.0**127 * 1.5, np.inf, np.nan),
            ],
            dtype=np.float32,
        )
    largest = _LARGEST[element]
    beyond = [largest * 1.03125, largest * 1.0625, largest * 1.125, largest * 2, 1e30, np.inf]
    values = [0.0, -0.0, 1e-45, 1e-40, *beyond, *[-v for v in beyond]]
    if element in ("fp8_e4m3", "fp8_e5m2"):
        values.append(np.nan)
    return np.array(values, dtype=np.float32)


def _element_vectors() -> Iterator[Vector]:
    spec = f"{_SPEC}#element-codecs"
    for element in ELEMENTS:
        codes = np.arange(1 << _WIDTH[element], dtype=np.uint8)
        yield Vector(
            id=f"{_PREFIX}/decode/{element}/all_codes",
            handler="quant.decode_elements",
            description=f"Every {element} code decodes to its exact float32 value.",
            input={"element": element, "codes": _hex(codes.tobytes())},
            expected=Vector.valid({"values": _bits_of(decode_elements(codes, element))}),
            spec=spec,
            generator=_GENERATOR,
        )
        cases = {
            "ties": ("every value and every tie between neighbours", _element_probe(element)),
            "specials": (
                "zeros, subnormal inputs, saturation and specials",
                _element_specials(element),
            ),
            "weights": ("weight-like inputs", _weights(f"element/{element}", (48,)) * 16),
        }
        for case, (what, values) in cases.items():
            if element == "e8m0":
                values = np.abs(values)
            yield Vector(
                id=f"{_PREFIX}/encode/{element}/{case}",
                handler="quant.encode_elements",
                description=f"{element} encoding of {what}: nearest, ties as specified, saturating.",
                input={"element": element, "values": _bits_of(values)},
                expected=Vector.valid({"codes": _hex(encode_elements(values, element).tobytes())}),
                spec=spec,
                generator=_GENERATOR,
            )
    invalid: list[tuple[str, str, str, dict[str, Any], str]] = [
        ("encode/fp6_e2m3/invalid_nan", "quant.encode_elements", "fp6_e2m3 has no NaN.",
         {"element": "fp6_e2m3", "values": _bits_of(np.array([1.0, np.nan], dtype=np.float32))},
         "QUANT.NAN_NOT_REPRESENTABLE"),
        ("encode/fp6_e3m2/invalid_nan", "quant.encode_elements", "fp6_e3m2 has no NaN.",
         {"element": "fp6_e3m2", "values": _bits_of(np.array([-np.nan], dtype=np.float32))},
         "QUANT.NAN_NOT_REPRESENTABLE"),
        ("encode/fp4_e2m1/invalid_nan", "quant.encode_elements", "fp4_e2m1 has no NaN.",
         {"element": "fp4_e2m1", "values": _bits_of(np.array([np.nan, 0.5], dtype=np.float32))},
         "QUANT.NAN_NOT_REPRESENTABLE"),
        ("encode/e8m0/invalid_negative", "quant.encode_elements", "e8m0 has no sign.",
         {"element": "e8m0", "values": _bits_of(np.array([1.0, -2.0**-140], dtype=np.float32))},
         "QUANT.NEGATIVE_NOT_REPRESENTABLE"),
        ("encode/invalid_unknown_element", "quant.encode_elements", "fp8_e4m3fnuz is no element.",
         {"element": "fp8_e4m3fnuz", "values": _bits_of(np.array([1.0], dtype=np.float32))},
         "QUANT.UNKNOWN_ELEMENT"),
        ("decode/fp4_e2m1/invalid_code_out_of_range", "quant.decode_elements",
         "A 4-bit element has no code 16.", {"element": "fp4_e2m1", "codes": "0x0710"},
         "QUANT.CODE_OUT_OF_RANGE"),
        ("decode/fp6_e3m2/invalid_code_out_of_range", "quant.decode_elements",
         "A 6-bit element has no code 64.", {"element": "fp6_e3m2", "codes": "0x3f40"},
         "QUANT.CODE_OUT_OF_RANGE"),
    ]  # fmt: skip
    for case, handler, description, payload, code in invalid:
        yield Vector(
            id=f"{_PREFIX}/{case}",
            handler=handler,
            description=description,
            input=payload,
            expected=Vector.invalid(code),
            spec=spec,
            generator=_GENERATOR,
        )


# Formats ----------------------------------------------------------------------------------------


def _quantize_output(fmt: str, x: np.ndarray) -> dict[str, Any]:
    q = FORMATS[fmt].quantize(x)
    return {
        "codes": _hex(q.codes),
        "scales": _hex(q.scales),
        "tensor_scale": _hex(q.tensor_scale),
        "encoding": _hex(q.to_bytes()),
        "dequantized": _bits_of(FORMATS[fmt].dequantize(q).numpy()),
    }


def _format_inputs(fmt: str) -> dict[str, tuple[str, np.ndarray]]:
    return {
        "weights": ("weights of shape (3, 40): padded blocks", _weights(f"format/{fmt}", (3, 40))),
        "edge_blocks": ("zero, power-of-two, subnormal and tied blocks", _edge_rows()),
        "scalar": ("a rank-0 tensor", np.array(-0.3125, dtype=np.float32)),
    }


def _format_vectors() -> Iterator[Vector]:
    for fmt in FORMAT_NAMES:
        for case, (what, x) in _format_inputs(fmt).items():
            yield Vector(
                id=f"{_PREFIX}/format/{fmt}/{case}",
                handler="quant.quantize",
                description=f"{fmt} of {what}: packed codes, scales, encoding, dequantized values.",
                input={"format": fmt, "shape": list(x.shape), "values": _bits_of(x)},
                expected=Vector.valid(_quantize_output(fmt, x)),
                spec=f"{_SPEC}#{_ANCHOR.get(fmt, fmt)}",
                generator=_GENERATOR,
            )
    invalid = [
        ("fp32", "invalid_nan_input", "NaN input is refused.", [1.0, np.nan], "QUANT.NON_FINITE_INPUT"),
        ("mxfp4", "invalid_infinite_input", "Infinite input is refused.", [-np.inf, 1.0],
         "QUANT.NON_FINITE_INPUT"),
        ("fp16", "invalid_overflow", "65520 rounds beyond float16.", [65520.0], "QUANT.OVERFLOW"),
        ("int8", "invalid_input_limit", "A magnitude of 2**127 is refused.", [-(2.0**127)],
         "QUANT.OVERFLOW"),
        ("q8_0", "invalid_scale_overflow", "amax / 127 overflows the float16 scale.", [1e7] * 32,
         "QUANT.OVERFLOW"),
    ]  # fmt: skip
    for fmt, case, description, values, code in invalid:
        x = np.array(values, dtype=np.float32)
        yield Vector(
            id=f"{_PREFIX}/format/{fmt}/{case}",
            handler="quant.quantize",
            description=description,
            input={"format": fmt, "shape": list(x.shape), "values": _bits_of(x)},
            expected=Vector.invalid(code),
            spec=f"{_SPEC}#quantizer-input",
            generator=_GENERATOR,
        )
    yield Vector(
        id=f"{_PREFIX}/format/invalid_unknown_format",
        handler="quant.quantize",
        description="int3 is no format.",
        input={
            "format": "int3",
            "shape": [1],
            "values": _bits_of(np.array([1.0], dtype=np.float32)),
        },
        expected=Vector.invalid("QUANT.UNKNOWN_FORMAT"),
        spec=f"{_SPEC}#formats",
        generator=_GENERATOR,
    )


def _dequantize_vectors() -> Iterator[Vector]:
    spec = f"{_SPEC}#canonical-encoding"
    x = _weights("dequantize", (2, 40))
    for fmt in ("nf4", "nvfp4", "mxfp6_e3m2", "q4_0"):
        q = FORMATS[fmt].quantize(x)
        yield Vector(
            id=f"{_PREFIX}/dequantize/{fmt}",
            handler="quant.dequantize",
            description=f"A {fmt} encoding decodes and dequantizes to exactly these values.",
            input={"encoding": _hex(q.to_bytes())},
            expected=Vector.valid({"values": _bits_of(FORMATS[fmt].dequantize(q).numpy())}),
            spec=spec,
            generator=_GENERATOR,
        )
    mx = FORMATS["mxfp4"].quantize(x)
    e4m3 = FORMATS["mxfp8_e4m3"].quantize(x)
    q4 = FORMATS["q4_0"].quantize(x)
    data = mx.to_bytes()
    padded = bytearray(mx.codes)
    padded[31] ^= 0x10  # row length 40 pads to 64: byte 31 holds elements 62 and 63
    q4_padded = bytearray(q4.codes)
    q4_padded[31] ^= 0x80  # high nibble of byte 31 of a row: element 63, padding (must be 8)
    cases = [
        ("invalid_truncated", "The encoding ends inside the codes.", data[:-1], "QUANT.TRUNCATED"),
        ("invalid_trailing_bytes", "A byte after the last part.", data + b"\0", "QUANT.TRAILING_BYTES"),
        ("invalid_unknown_format_code", "Format code 18 does not exist.", b"\x12" + data[1:],
         "QUANT.UNKNOWN_FORMAT"),
        ("invalid_part_length", "The shape says 3 rows; the parts hold 2.",
         data[:10] + (3).to_bytes(8, "little") + data[18:], "QUANT.BAD_PART_LENGTH"),
        ("invalid_padding_code", "A padding code that is not the code of zero.",
         QuantizedTensor("mxfp4", mx.shape, bytes(padded), mx.scales).to_bytes(),
         "QUANT.NONCANONICAL_PADDING"),
        ("invalid_q4_0_padding_code", "A Q4_0 padding code that is not 8.",
         QuantizedTensor("q4_0", q4.shape, bytes(q4_padded), q4.scales).to_bytes(),
         "QUANT.NONCANONICAL_PADDING"),
        ("invalid_nan_scale", "An E8M0 scale of 0xFF (NaN).",
         QuantizedTensor("mxfp4", mx.shape, mx.codes, b"\xff" + mx.scales[1:]).to_bytes(),
         "QUANT.NON_FINITE_VALUE"),
        ("invalid_nan_code", "An E4M3 element code 0x7F (NaN).",
         QuantizedTensor("mxfp8_e4m3", e4m3.shape, b"\x7f" + e4m3.codes[1:], e4m3.scales).to_bytes(),
         "QUANT.NON_FINITE_VALUE"),
        ("invalid_overflowing_scale", "448 * 2**127 overflows float32.",
         QuantizedTensor(
             "mxfp8_e4m3", e4m3.shape, b"\x7e" + e4m3.codes[1:], b"\xfe" + e4m3.scales[1:]
         ).to_bytes(),
         "QUANT.NON_FINITE_VALUE"),
    ]  # fmt: skip
    for case, description, encoding, code in cases:
        yield Vector(
            id=f"{_PREFIX}/dequantize/{case}",
            handler="quant.dequantize",
            description=description,
            input={"encoding": _hex(encoding)},
            expected=Vector.invalid(code),
            spec=spec,
            generator=_GENERATOR,
        )


def generate() -> Iterator[Vector]:
    """Every quantization case, computed from the reference quantizers."""
    yield from _element_vectors()
    yield from _format_vectors()
    yield from _dequantize_vectors()


# Handlers ---------------------------------------------------------------------------------------


def _encode(payload: dict[str, Any]) -> dict[str, Any]:
    codes = encode_elements(_values_of(payload["values"]), payload["element"])
    return {"codes": _hex(codes.tobytes())}


def _decode(payload: dict[str, Any]) -> dict[str, Any]:
    codes = np.frombuffer(_bytes(payload["codes"]), dtype=np.uint8)
    return {"values": _bits_of(decode_elements(codes, payload["element"]))}


def _quantize(payload: dict[str, Any]) -> dict[str, Any]:
    fmt = get_format(payload["format"]).name
    x = _values_of(payload["values"]).reshape(tuple(payload["shape"]))
    return _quantize_output(fmt, x)


def _dequantize(payload: dict[str, Any]) -> dict[str, Any]:
    q = QuantizedTensor.from_bytes(_bytes(payload["encoding"]))
    return {"values": _bits_of(dequantize(q).numpy())}


HANDLERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "quant.encode_elements": _encode,
    "quant.decode_elements": _decode,
    "quant.quantize": _quantize,
    "quant.dequantize": _dequantize,
}
