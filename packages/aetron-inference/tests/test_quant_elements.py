"""Element codecs against ml_dtypes and torch: bit-identical, or different exactly as the spec says."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest
import torch
from aetron_inference.quant import ELEMENTS, QuantError, decode_elements, encode_elements
from hypothesis import given, settings
from hypothesis import strategies as st

ML_DTYPES = {
    "fp8_e4m3": ml_dtypes.float8_e4m3fn,
    "fp8_e5m2": ml_dtypes.float8_e5m2,
    "fp6_e2m3": ml_dtypes.float6_e2m3fn,
    "fp6_e3m2": ml_dtypes.float6_e3m2fn,
    "fp4_e2m1": ml_dtypes.float4_e2m1fn,
    "e8m0": ml_dtypes.float8_e8m0fnu,
}
TORCH_DTYPES = {
    "fp8_e4m3": torch.float8_e4m3fn,
    "fp8_e5m2": torch.float8_e5m2,
    "e8m0": torch.float8_e8m0fnu,
}
WIDTH = {"fp8_e4m3": 8, "fp8_e5m2": 8, "fp6_e2m3": 6, "fp6_e3m2": 6, "fp4_e2m1": 4, "e8m0": 8}
MAX_CODE = {"fp8_e4m3": 0x7E, "fp8_e5m2": 0x7B, "fp6_e2m3": 0x1F, "fp6_e3m2": 0x1F, "fp4_e2m1": 0x7}
MAX_VALUE = {
    "fp8_e4m3": 448.0,
    "fp8_e5m2": 57344.0,
    "fp6_e2m3": 7.5,
    "fp6_e3m2": 28.0,
    "fp4_e2m1": 6.0,
}
FLOAT_ELEMENTS = tuple(MAX_CODE)


def f32(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float32)


def from_bits(bits: np.ndarray) -> np.ndarray:
    return np.asarray(bits, dtype=np.uint32).view(np.float32)


def all_codes(element: str) -> np.ndarray:
    return np.arange(1 << WIDTH[element], dtype=np.uint8)


def ml_encode(x: np.ndarray, element: str) -> np.ndarray:
    return x.astype(ML_DTYPES[element]).view(np.uint8)


def probe_values(element: str) -> np.ndarray:
    """Every finite code value, every midpoint between neighbours, and one ulp either side."""
    values = decode_elements(all_codes(element), element)
    finite = np.unique(values[np.isfinite(values)].astype(np.float64))
    mids = (finite[:-1] + finite[1:]) / 2  # exact: neighbours differ in few bits
    points = np.concatenate([finite, mids]).astype(np.float32)
    up = np.nextafter(points, np.float32(np.inf))
    down = np.nextafter(points, np.float32(-np.inf))
    return np.concatenate([points, up, down])


def random_float32(count: int, seed: int) -> np.ndarray:
    bits = np.random.default_rng(seed).integers(0, 2**32, size=count, dtype=np.uint64)
    values = from_bits(bits.astype(np.uint32))
    return values[~np.isnan(values)]


def test_element_names() -> None:
    assert ELEMENTS == ("fp8_e4m3", "fp8_e5m2", "fp6_e2m3", "fp6_e3m2", "fp4_e2m1", "e8m0")


@pytest.mark.parametrize("element", ELEMENTS)
def test_decoding_every_code_matches_ml_dtypes_bit_for_bit(element: str) -> None:
    codes = all_codes(element)
    ours = decode_elements(codes, element)
    theirs = codes.view(ML_DTYPES[element]).astype(np.float32)
    assert ours.dtype == np.float32 and ours.shape == codes.shape
    np.testing.assert_array_equal(ours.view(np.uint32), theirs.view(np.uint32))


@pytest.mark.parametrize("element", TORCH_DTYPES)
def test_decoding_every_code_matches_torch(element: str) -> None:
    codes = all_codes(element)
    ours = decode_elements(codes, element)
    theirs = torch.from_numpy(codes).view(TORCH_DTYPES[element]).float().numpy()
    # Same values and the same NaN positions; torch's NaN payload is its own.
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    finite = ~np.isnan(ours)
    np.testing.assert_array_equal(ours[finite].view(np.uint32), theirs[finite].view(np.uint32))


def test_nan_codes_decode_to_the_canonical_quiet_nan() -> None:
    assert decode_elements(np.array([0x7F, 0xFF]), "fp8_e4m3").view(np.uint32).tolist() == [
        0x7FC00000,
        0xFFC00000,
    ]
    nan_e5m2 = decode_elements(np.array([0x7D, 0x7E, 0x7F, 0xFD]), "fp8_e5m2").view(np.uint32)
    assert nan_e5m2.tolist() == [0x7FC00000] * 3 + [0xFFC00000]
    assert decode_elements(np.array([0xFF]), "e8m0").view(np.uint32).tolist() == [0x7FC00000]


@pytest.mark.parametrize("element", FLOAT_ELEMENTS)
def test_every_finite_code_round_trips(element: str) -> None:
    codes = all_codes(element)
    values = decode_elements(codes, element)
    finite = np.isfinite(values)
    assert np.array_equal(encode_elements(values[finite], element), codes[finite])


def test_e8m0_every_code_round_trips() -> None:
    codes = np.arange(255, dtype=np.uint8)
    assert np.array_equal(encode_elements(decode_elements(codes, "e8m0"), "e8m0"), codes)


def _assert_same_or_saturated(element: str, x: np.ndarray) -> None:
    """Ours equals ml_dtypes except where ml_dtypes overflows to NaN/inf and we saturate."""
    ours = encode_elements(x, element)
    theirs = ml_encode(x, element)
    differ = ours != theirs
    if element in ("fp6_e2m3", "fp6_e3m2", "fp4_e2m1"):
        assert not differ.any(), x[differ][:5]  # ml_dtypes saturates these formats too
        return
    sign = np.signbit(x[differ]).astype(np.uint8) << 7
    assert np.array_equal(ours[differ], MAX_CODE[element] | sign), x[differ][:5]
    overflow = 0x7F if element == "fp8_e4m3" else 0x7C  # NaN / inf
    assert np.array_equal(theirs[differ], overflow | sign)
    # ... exactly where rounding goes past the largest finite value: above 464 for E4M3 (the
    # tie rounds to the even 448), from 61440 on for E5M2 (the tie rounds to the even 2**16).
    magnitude = np.abs(x)
    beyond = magnitude > 464 if element == "fp8_e4m3" else magnitude >= 61440
    assert np.array_equal(differ, beyond)


@pytest.mark.parametrize("element", FLOAT_ELEMENTS)
def test_ties_neighbours_and_subnormals_match_ml_dtypes(element: str) -> None:
    values = probe_values(element)
    _assert_same_or_saturated(element, np.concatenate([values, -values]))


@pytest.mark.parametrize("element", FLOAT_ELEMENTS)
def test_random_bit_patterns_match_ml_dtypes(element: str) -> None:
    x = random_float32(200_000, seed=WIDTH[element] + len(element))
    # Also a dense sweep of the element's own range, where the rounding decisions happen.
    dense = np.random.default_rng(7).uniform(-1.2, 1.2, 200_000) * MAX_VALUE[element]
    _assert_same_or_saturated(element, np.concatenate([x, dense.astype(np.float32)]))


@settings(max_examples=300, deadline=None)
@given(bits=st.integers(0, 2**32 - 1), element=st.sampled_from(FLOAT_ELEMENTS))
def test_any_float32_matches_ml_dtypes(bits: int, element: str) -> None:
    x = from_bits(np.array([bits]))
    if np.isnan(x).any():
        return
    _assert_same_or_saturated(element, x)


TORCH_SATURATES_E4M3 = torch.__version__ >= (2, 13)  # TorchVersion compares as a version


def test_e4m3_matches_torch_everywhere_including_overflow_and_nan() -> None:
    # torch 2.13 saturates float32 -> float8_e4m3fn and maps NaN to 0x7F with its sign, as we do;
    # earlier releases (2.11 on the H100 image) give NaN for magnitudes past the largest finite.
    x = np.concatenate(
        [random_float32(300_000, seed=3), probe_values("fp8_e4m3"), f32(np.inf, -np.inf)]
    )
    x = np.concatenate([x, -x, f32(np.nan), -f32(np.nan)])
    ours = encode_elements(x, "fp8_e4m3")
    theirs = torch.from_numpy(x).to(torch.float8_e4m3fn).view(torch.uint8).numpy()
    if TORCH_SATURATES_E4M3:
        assert np.array_equal(ours, theirs)
        return
    differ = ours != theirs
    sign = np.signbit(x[differ]).astype(np.uint8) << 7
    assert np.array_equal(ours[differ], 0x7E | sign) and np.array_equal(theirs[differ], 0x7F | sign)
    assert (np.abs(x[differ]) >= 464).all()  # past the midpoint of 448 and the next step, 480


def test_e5m2_differs_from_torch_only_by_saturating() -> None:
    x = np.concatenate([random_float32(300_000, seed=4), probe_values("fp8_e5m2")])
    x = np.concatenate([x, -x, f32(np.inf, -np.inf, np.nan), -f32(np.nan)])
    ours = encode_elements(x, "fp8_e5m2")
    theirs = torch.from_numpy(x).to(torch.float8_e5m2).view(torch.uint8).numpy()
    differ = ours != theirs
    sign = np.signbit(x[differ]).astype(np.uint8) << 7
    assert np.array_equal(ours[differ], 0x7B | sign) and np.array_equal(theirs[differ], 0x7C | sign)
    assert (np.abs(x[differ]) >= 61440).all()  # the tie above 57344 rounds to the even 65536


def _e8m0_subnormal_quirk(x: np.ndarray) -> np.ndarray:
    """Where torch and ml_dtypes read a float32 subnormal's mantissa as if it were normal.

    From 2**-127 to the midpoint 1.5 * 2**-127 (both exclusive) they round up to 2**-126;
    the nearest power of two, which we give, is 2**-127.
    """
    return (x > 2.0**-127) & (x < 1.5 * 2.0**-127)


def _e8m0_inputs(seed: int) -> np.ndarray:
    subnormals = from_bits(np.arange(0, 0x800000, 997, dtype=np.uint32))
    specials = f32(np.inf, 0.0, 3.0, 1.5, 2.0**-130, 2.0**-127 * 1.5, 2.0**127 * 1.5)
    return np.concatenate([np.abs(random_float32(400_000, seed)), subnormals, specials])


def test_e8m0_differences_from_torch_are_subnormal_rounding_and_overflow() -> None:
    x = _e8m0_inputs(seed=5)
    ours = encode_elements(x, "e8m0")
    theirs = torch.from_numpy(x).to(torch.float8_e8m0fnu).view(torch.uint8).numpy()
    overflow = x >= np.float32(2.0**127 * 1.5)  # torch: NaN (0xFF); we saturate to 0xFE
    quirk = _e8m0_subnormal_quirk(x)
    assert np.array_equal(ours != theirs, overflow | quirk)
    assert (ours[overflow] == 0xFE).all() and (theirs[overflow] == 0xFF).all()
    assert (ours[quirk] == 0).all() and (theirs[quirk] == 1).all()
    assert overflow.any() and quirk.any()


def test_e8m0_differences_from_ml_dtypes_are_zero_subnormal_rounding_and_overflow() -> None:
    x = _e8m0_inputs(seed=6)
    ours = encode_elements(x, "e8m0")
    theirs = ml_encode(x, "e8m0")
    nan_for_them = (x == 0) | (x >= np.float32(2.0**127 * 1.5))  # ml_dtypes: NaN (0xFF)
    quirk = _e8m0_subnormal_quirk(x)
    assert np.array_equal(ours != theirs, nan_for_them | quirk)
    assert (theirs[nan_for_them] == 0xFF).all()
    assert (ours[nan_for_them] == np.where(x[nan_for_them] == 0, 0, 0xFE)).all()
    assert (ours[quirk] == 0).all() and (theirs[quirk] == 1).all()


@pytest.mark.parametrize(
    ("element", "value", "code"),
    [
        ("fp8_e4m3", 1.0625, 0x38),  # tie between 1.0 and 1.125: to even (1.0)
        ("fp8_e4m3", 1.1875, 0x3A),  # tie between 1.125 and 1.25: to even (1.25)
        ("fp8_e4m3", 464.0, 0x7E),  # tie between 448 and the (NaN) 480: even is 448
        ("fp8_e4m3", 465.0, 0x7E),  # beyond: saturates
        ("fp8_e4m3", 2.0**-10, 0x00),  # half the smallest subnormal: to even (zero)
        ("fp8_e4m3", 3 * 2.0**-10, 0x02),  # 1.5 subnormal steps: to even (2)
        ("fp8_e4m3", -0.0, 0x80),
        ("fp8_e5m2", 61440.0, 0x7B),  # tie above the maximum: saturates
        ("fp8_e5m2", 2.0**-17, 0x00),
        ("fp6_e2m3", 7.75, 0x1F),
        ("fp6_e3m2", 30.0, 0x1F),
        ("fp4_e2m1", 2.5, 0x4),  # tie between 2 and 3: even is 2
        ("fp4_e2m1", 5.0, 0x6),  # tie between 4 and 6: even is 4
        ("fp4_e2m1", 0.25, 0x0),
        ("fp4_e2m1", 0.75, 0x2),
        ("fp4_e2m1", -7.0, 0xF),
        ("e8m0", 1.5, 0x80),  # tie: to the larger power
        ("e8m0", 3.0, 0x81),
        ("e8m0", 2.9, 0x80),
        ("e8m0", 0.0, 0x00),
        ("e8m0", -0.0, 0x00),
        ("e8m0", 2.0**-140, 0x00),
        ("e8m0", np.inf, 0xFE),
        ("e8m0", np.nan, 0xFF),
    ],
)
def test_edge_values(element: str, value: float, code: int) -> None:
    assert encode_elements(f32(value), element).tolist() == [code]


@pytest.mark.parametrize("element", FLOAT_ELEMENTS)
def test_infinities_saturate(element: str) -> None:
    top = MAX_CODE[element]
    sign = 1 << (WIDTH[element] - 1)
    assert encode_elements(f32(np.inf, -np.inf), element).tolist() == [top, top | sign]


@pytest.mark.parametrize("element", ["fp8_e4m3", "fp8_e5m2"])
def test_nan_encodes_to_all_ones_with_its_sign(element: str) -> None:
    assert encode_elements(f32(np.nan, -np.nan), element).tolist() == [0x7F, 0xFF]


@pytest.mark.parametrize("element", ["fp6_e2m3", "fp6_e3m2", "fp4_e2m1"])
def test_nan_is_rejected_where_the_element_has_none(element: str) -> None:
    with pytest.raises(QuantError) as info:
        encode_elements(f32(1.0, np.nan), element)
    assert info.value.code == "QUANT.NAN_NOT_REPRESENTABLE"


def test_e8m0_rejects_negative_values() -> None:
    with pytest.raises(QuantError) as info:
        encode_elements(f32(1.0, -(2.0**-140)), "e8m0")
    assert info.value.code == "QUANT.NEGATIVE_NOT_REPRESENTABLE"


def test_shapes_and_input_kinds() -> None:
    x = torch.tensor([[1.0, -2.0], [0.5, 448.0]], dtype=torch.bfloat16)
    codes = encode_elements(x, "fp8_e4m3")
    assert codes.dtype == np.uint8 and codes.shape == (2, 2)
    assert codes.tolist() == [[0x38, 0xC0], [0x30, 0x7E]]
    assert decode_elements(torch.from_numpy(codes), "fp8_e4m3").tolist() == x.float().tolist()
    assert encode_elements(np.float16(3.0), "fp4_e2m1").tolist() == 0x5


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: encode_elements(f32(1.0), "fp8_e4m3fnuz"), "QUANT.UNKNOWN_ELEMENT"),
        (lambda: decode_elements(np.array([0]), "int8"), "QUANT.UNKNOWN_ELEMENT"),
        (lambda: encode_elements(np.array([1.0]), "fp8_e4m3"), "QUANT.UNSUPPORTED_DTYPE"),
        (lambda: encode_elements([1.0], "fp8_e4m3"), "QUANT.UNSUPPORTED_DTYPE"),
        (
            lambda: encode_elements(torch.tensor([1], dtype=torch.int32), "e8m0"),
            "QUANT.UNSUPPORTED_DTYPE",
        ),
        (lambda: decode_elements(f32(1.0), "fp8_e4m3"), "QUANT.UNSUPPORTED_DTYPE"),
        (lambda: decode_elements(np.array([16]), "fp4_e2m1"), "QUANT.CODE_OUT_OF_RANGE"),
        (lambda: decode_elements(np.array([64]), "fp6_e3m2"), "QUANT.CODE_OUT_OF_RANGE"),
        (lambda: decode_elements(np.array([-1]), "fp8_e5m2"), "QUANT.CODE_OUT_OF_RANGE"),
        (lambda: decode_elements(np.array([256]), "e8m0"), "QUANT.CODE_OUT_OF_RANGE"),
    ],
)
def test_bad_input_raises_its_code(call, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuantError) as info:
        call()
    assert info.value.code == code
