"""Each format's quantizer against an independent formulation: torch casts, ml_dtypes casts,
or a literal scalar transcription of the source's reference code (ggml, bitsandbytes)."""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest
import torch
from aetron_inference.quant import FORMATS, QuantError, QuantizedTensor
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

F4 = ml_dtypes.float4_e2m1fn


def weights(shape: tuple[int, ...], seed: int, scale: float = 0.05) -> np.ndarray:
    """Weight-like values with outliers, exact zeros, powers of two and a few subnormals."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * scale
    flat = x.reshape(-1)
    n = flat.size
    flat[rng.integers(0, n, n // 50 + 1)] *= 20
    flat[rng.integers(0, n, n // 40 + 1)] = 0.0
    flat[rng.integers(0, n, n // 40 + 1)] = 2.0 ** rng.integers(-8, 3, n // 40 + 1)
    flat[rng.integers(0, n, n // 100 + 1)] = 1e-40
    return x.astype(np.float32)


def u8(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint8)


def u16(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u2")


def nibbles_low_first(data: bytes) -> np.ndarray:
    b = u8(data).astype(np.int64)
    return np.stack([b & 0xF, b >> 4], axis=1).reshape(-1)


def padded_blocks(x: np.ndarray, block: int) -> np.ndarray:
    rows = x.reshape(-1, x.shape[-1])
    pad = -rows.shape[1] % block
    return np.pad(rows, ((0, 0), (0, pad))).reshape(-1, block)


# Every finite float32 below 2**127, the quantizers' input limit.
BELOW_LIMIT = float(np.nextafter(np.float32(2.0**127), np.float32(0)))
FINITE_F32 = st.floats(-BELOW_LIMIT, BELOW_LIMIT, width=32)
SMALL_TENSORS = hnp.arrays(
    np.float32, hnp.array_shapes(min_dims=1, max_dims=3, max_side=40), elements=FINITE_F32
)


# fp32, fp16, bf16 -------------------------------------------------------------------------------


def test_fp32_keeps_every_bit() -> None:
    x = np.concatenate([weights((300,), 1), np.array([-0.0, 1e-45, 1.7e38], dtype=np.float32)])
    q = FORMATS["fp32"].quantize(x)
    assert q.codes == x.tobytes() and q.scales == b""
    assert (
        FORMATS["fp32"].dequantize(q).numpy().view(np.uint32).tolist() == x.view(np.uint32).tolist()
    )


@pytest.mark.parametrize(("name", "dtype"), [("fp16", torch.float16), ("bf16", torch.bfloat16)])
def test_half_formats_match_torch_casts(name: str, dtype: torch.dtype) -> None:
    rng = np.random.default_rng(2)
    bits = rng.integers(0, 2**32, 400_000, dtype=np.uint64).astype(np.uint32)
    x = bits.view(np.float32)
    limit = 65504.0 if name == "fp16" else 2.0**127
    x = x[np.isfinite(x) & (np.abs(x) < limit)]
    # Ties and neighbours of ties in the target format, subnormals included.
    halves = torch.arange(0, 2**16, dtype=torch.int32).to(torch.int16).view(dtype).float().numpy()
    halves = halves[np.isfinite(halves)].astype(np.float64)
    halves.sort()
    mids = ((halves[:-1] + halves[1:]) / 2).astype(np.float32)
    mids = mids[np.abs(mids) < limit]
    x = np.concatenate(
        [x, mids, np.nextafter(mids, np.float32(0)), np.nextafter(mids, np.float32(1e9))]
    )
    q = FORMATS[name].quantize(x)
    theirs = torch.from_numpy(x).to(dtype).view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(u16(q.codes), theirs)
    back = FORMATS[name].dequantize(q)
    assert torch.equal(back, torch.from_numpy(x).to(dtype).float())


@settings(max_examples=200, deadline=None)
@given(x=SMALL_TENSORS)
def test_half_formats_match_torch_or_refuse_overflow(x: np.ndarray) -> None:
    for name, dtype in (("fp16", torch.float16), ("bf16", torch.bfloat16)):
        theirs = torch.from_numpy(x).to(dtype)
        if torch.isinf(theirs).any():  # torch overflows to infinity; we refuse
            with pytest.raises(QuantError) as info:
                FORMATS[name].quantize(x)
            assert info.value.code == "QUANT.OVERFLOW"
            continue
        q = FORMATS[name].quantize(x)
        assert np.array_equal(
            u16(q.codes), theirs.view(torch.int16).numpy().view(np.uint16).reshape(-1)
        )


def test_fp16_overflow_boundary() -> None:
    assert u16(FORMATS["fp16"].quantize(np.float32([65519.996])).codes).tolist() == [0x7BFF]
    with pytest.raises(QuantError) as info:
        FORMATS["fp16"].quantize(np.float32([65520.0]))  # the tie rounds to 2**16: overflow
    assert info.value.code == "QUANT.OVERFLOW"


# fp8 with one tensor scale ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "dtype", "top"),
    [("fp8_e4m3", torch.float8_e4m3fn, 448.0), ("fp8_e5m2", torch.float8_e5m2, 57344.0)],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fp8_tensor_scale_and_codes_match_torch(
    name: str, dtype: torch.dtype, top: float, seed: int
) -> None:
    x = weights((16, 70), seed, scale=10.0 ** (seed - 2))
    x[x == np.float32(1e-40)] = 0  # keep x / 2**s exact in float32 for the torch side
    q = FORMATS[name].quantize(x)
    s = int(q.scales[0]) - 127
    amax = float(np.abs(x).max())
    assert top / 2 < amax / 2.0**s <= top  # the smallest power of two that avoids saturation
    scaled = torch.from_numpy(x) * 2.0**-s
    assert np.array_equal(u8(q.codes), scaled.to(dtype).view(torch.uint8).numpy().reshape(-1))
    back = FORMATS[name].dequantize(q)
    assert torch.equal(back, scaled.to(dtype).float() * 2.0**s)


def test_fp8_all_zero_tensor_and_tiny_amax() -> None:
    q = FORMATS["fp8_e4m3"].quantize(np.zeros((2, 3), dtype=np.float32))
    assert q.scales == b"\x00" and q.codes == b"\x00" * 6
    tiny = FORMATS["fp8_e4m3"].quantize(np.float32([1e-45, -1e-45]))
    assert tiny.scales == b"\x00"  # scale exponent clamped at -127; 2**-149 / 2**-127 is 2**-22
    assert tiny.codes == b"\x00\x80"


# int8 and int4 ---------------------------------------------------------------------------------


def torch_symmetric(groups: torch.Tensor, qmax: int) -> tuple[torch.Tensor, torch.Tensor]:
    amax = groups.abs().amax(dim=1)
    scale = (amax / qmax).to(torch.bfloat16)
    s = scale.float()[:, None]
    q = torch.where(s == 0, 0.0, torch.round(groups / torch.where(s == 0, 1.0, s)))
    return q.clamp(-qmax, qmax).to(torch.int8), scale.view(torch.int16)


@pytest.mark.parametrize("shape", [(24, 100), (3, 4, 5), (77,), ()])
def test_int8_per_channel_matches_torch(shape: tuple[int, ...]) -> None:
    x = weights(shape, 3) if shape else np.float32(0.3)
    q = FORMATS["int8"].quantize(x)
    channels = shape[0] if len(shape) >= 2 else 1
    codes, scales = torch_symmetric(torch.from_numpy(np.asarray(x)).reshape(channels, -1), 127)
    assert np.array_equal(np.frombuffer(q.codes, dtype=np.int8), codes.numpy().reshape(-1))
    assert np.array_equal(u16(q.scales), scales.numpy().view(np.uint16))
    back = FORMATS["int8"].dequantize(q)
    expected = codes.float() * scales.view(torch.bfloat16).float()[:, None]
    assert torch.equal(back.reshape(channels, -1), expected)


@pytest.mark.parametrize("shape", [(6, 256), (5, 130), (40,)])
def test_int4_groups_match_torch(shape: tuple[int, ...]) -> None:
    x = weights(shape, 4)
    q = FORMATS["int4"].quantize(x)
    groups = torch.from_numpy(padded_blocks(x, 128))
    codes, scales = torch_symmetric(groups, 7)
    assert np.array_equal(
        nibbles_low_first(q.codes), (codes.numpy().astype(np.int64) & 0xF).reshape(-1)
    )
    assert np.array_equal(u16(q.scales), scales.numpy().view(np.uint16))


@settings(max_examples=60, deadline=None)
@given(x=SMALL_TENSORS)
def test_integer_formats_match_torch_on_any_input(x: np.ndarray) -> None:
    channels = x.shape[0] if x.ndim >= 2 else 1
    codes, scales = torch_symmetric(torch.from_numpy(x).reshape(channels, -1), 127)
    q8 = FORMATS["int8"].quantize(x)
    assert np.array_equal(np.frombuffer(q8.codes, dtype=np.int8), codes.numpy().reshape(-1))
    assert np.array_equal(u16(q8.scales), scales.numpy().view(np.uint16))
    codes, scales = torch_symmetric(torch.from_numpy(padded_blocks(x, 128)), 7)
    q4 = FORMATS["int4"].quantize(x)
    assert np.array_equal(
        nibbles_low_first(q4.codes), (codes.numpy().astype(np.int64) & 0xF).reshape(-1)
    )
    assert np.array_equal(u16(q4.scales), scales.numpy().view(np.uint16))


# nf4 -------------------------------------------------------------------------------------------


def bnb_nf4_tree(x: np.float32) -> int:
    """bitsandbytes' dQuantizeNF4 decision tree, comparison for comparison, in float32."""
    t = np.float32
    if x > t(0.03979014977812767):
        if x > t(0.3893125355243683):
            if x > t(0.6427869200706482):
                return 0b1111 if x > t(0.8614784181118011) else 0b1110
            return 0b1101 if x > t(0.5016634166240692) else 0b1100
        if x > t(0.2035212516784668):
            return 0b1011 if x > t(0.2920137718319893) else 0b1010
        return 0b1001 if x > t(0.1202552504837513) else 0b1000
    if x > t(-0.33967943489551544):
        if x > t(-0.13791173323988914):
            return 0b0111 if x > t(-0.045525018125772476) else 0b0110
        return 0b0101 if x > t(-0.23460740596055984) else 0b0100
    if x > t(-0.6106329262256622):
        return 0b0011 if x > t(-0.4599952697753906) else 0b0010
    return 0b0001 if x > t(-0.8480964004993439) else 0b0000


def test_nf4_matches_the_bitsandbytes_tree() -> None:
    from aetron_inference.quant._absmax import NF4_CODEBOOK, NF4_THRESHOLDS

    x = weights((4, 192), 5)
    # Values that land exactly on a threshold after normalisation (ties go to the lower code).
    x[0, :15] = NF4_THRESHOLDS
    x[0, 15] = 1.0
    q = FORMATS["nf4"].quantize(x)
    blocks = padded_blocks(x, 64)
    expected = []
    for block in blocks:
        absmax = np.float32(np.abs(block).max())
        reciprocal = np.float32(1) / absmax
        expected.extend(bnb_nf4_tree(np.float32(v * reciprocal)) for v in block)
    packed = u8(q.codes).astype(np.int64)
    ours = np.stack([packed >> 4, packed & 0xF], axis=1).reshape(-1)  # first element: high nibble
    assert ours.tolist() == expected
    assert np.array_equal(np.frombuffer(q.scales, dtype="<f4"), np.abs(blocks).max(axis=1))
    back = FORMATS["nf4"].dequantize(q).numpy()
    scales = np.abs(blocks).max(axis=1).astype(np.float64)
    exact = NF4_CODEBOOK[np.array(expected)].astype(np.float64).reshape(-1, 64) * scales[:, None]
    # One float32 rounding of an exact product, as bitsandbytes' kernel does it.
    assert np.array_equal(back, exact.astype(np.float32).reshape(4, 192))


@settings(max_examples=60, deadline=None)
@given(x=SMALL_TENSORS)
def test_nf4_matches_the_tree_on_any_input(x: np.ndarray) -> None:
    expected = []
    for block in padded_blocks(x, 64):
        absmax = np.float32(np.abs(block).max())
        with np.errstate(divide="ignore", over="ignore"):
            reciprocal = np.float32(1) / absmax
        if not np.isfinite(reciprocal):  # the spec's zero-block rule (bitsandbytes: NaN -> 0)
            expected.extend([7] * 64)
            continue
        expected.extend(bnb_nf4_tree(np.float32(v * reciprocal)) for v in block)
    packed = u8(FORMATS["nf4"].quantize(x).codes).astype(np.int64)
    assert np.stack([packed >> 4, packed & 0xF], axis=1).reshape(-1).tolist() == expected


def test_nf4_tables_are_bitsandbytes_midpoints() -> None:
    from aetron_inference.quant._absmax import NF4_CODEBOOK, NF4_THRESHOLDS

    midpoints = (NF4_CODEBOOK[:-1].astype(np.float64) + NF4_CODEBOOK[1:]) / 2
    assert np.array_equal(midpoints.astype(np.float32), NF4_THRESHOLDS)


def test_nf4_zero_block_uses_the_zero_code() -> None:
    q = FORMATS["nf4"].quantize(np.zeros(64, dtype=np.float32))
    assert q.codes == b"\x77" * 32 and q.scales == b"\x00" * 4
    assert torch.equal(FORMATS["nf4"].dequantize(q), torch.zeros(64))


# fp4 (E2M1 under a bfloat16 absmax scale) ------------------------------------------------------


def fp4_reference(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    blocks = torch.from_numpy(padded_blocks(x, 64))
    scale = (blocks.abs().amax(dim=1) / 6).to(torch.bfloat16)
    s = scale.float()[:, None]
    quotient = (blocks / torch.where(s == 0, 1.0, s)).numpy()
    codes = np.where(s.numpy() == 0, 0, quotient.astype(F4).view(np.uint8))
    return codes.reshape(-1), scale.view(torch.int16).numpy().view(np.uint16)


def test_fp4_matches_torch_scale_and_ml_dtypes_elements() -> None:
    x = weights((5, 150), 6)
    q = FORMATS["fp4"].quantize(x)
    codes, scales = fp4_reference(x)
    assert np.array_equal(nibbles_low_first(q.codes), codes)
    assert np.array_equal(u16(q.scales), scales)


@settings(max_examples=60, deadline=None)
@given(x=SMALL_TENSORS)
def test_fp4_matches_the_reference_on_any_input(x: np.ndarray) -> None:
    q = FORMATS["fp4"].quantize(x)
    codes, scales = fp4_reference(x)
    assert np.array_equal(nibbles_low_first(q.codes), codes)
    assert np.array_equal(u16(q.scales), scales)


# MX --------------------------------------------------------------------------------------------

MX = {
    "mxfp4": (ml_dtypes.float4_e2m1fn, 2, 6.0),
    "mxfp6_e2m3": (ml_dtypes.float6_e2m3fn, 2, 7.5),
    "mxfp6_e3m2": (ml_dtypes.float6_e3m2fn, 4, 28.0),
    "mxfp8_e4m3": (ml_dtypes.float8_e4m3fn, 8, 448.0),
    "mxfp8_e5m2": (ml_dtypes.float8_e5m2, 15, 57344.0),
    "mxint8": (None, 0, 127 / 64),
}


def mx_reference(x: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """OCP MX v1.0 section 6.3 in float64: ``floor(log2 amax) - emax``, clamp, divide, cast."""
    dtype, emax, top = MX[name]
    blocks = padded_blocks(x, 32).astype(np.float64)
    amax = np.abs(blocks).max(axis=1)
    floor_log2 = np.frexp(amax)[1] - 1
    shared = np.where(amax == 0, -127, np.maximum(floor_log2 - emax, -127))
    scaled = np.clip(blocks / np.exp2(shared)[:, None], -top, top)  # exact; clip = saturation
    if dtype is None:
        codes = np.rint(scaled * 64).astype(np.int64) & 0xFF
    else:
        codes = scaled.astype(dtype).view(np.uint8).astype(np.int64)
    return codes.reshape(-1), (shared + 127).astype(np.uint8)


def unpack_mx(q: QuantizedTensor, name: str) -> np.ndarray:
    b = u8(q.codes).astype(np.int64)
    if name.startswith("mxfp4"):
        return np.stack([b & 0xF, b >> 4], axis=1).reshape(-1)
    if name.startswith("mxfp6"):
        word = b.reshape(-1, 3) @ np.array([1, 1 << 8, 1 << 16])
        return np.stack([(word >> (6 * i)) & 0x3F for i in range(4)], axis=1).reshape(-1)
    return b


@pytest.mark.parametrize("name", MX)
@pytest.mark.parametrize("seed", [0, 1])
def test_mx_matches_the_ocp_algorithm_with_ml_dtypes(name: str, seed: int) -> None:
    x = weights((6, 100), seed, scale=[0.02, 300.0][seed])
    x[0, :32] = 0  # an all-zero block
    x[1, :32] = 0.25  # amax exactly a power of two
    x[2, 40] = 1e30  # one huge outlier flushes its block's small values
    q = FORMATS[name].quantize(x)
    codes, scales = mx_reference(x, name)
    assert np.array_equal(u8(q.scales), scales)
    assert np.array_equal(unpack_mx(q, name), codes)


@settings(max_examples=60, deadline=None)
@given(x=SMALL_TENSORS, name=st.sampled_from(sorted(MX)))
def test_mx_matches_the_ocp_algorithm_on_any_input(x: np.ndarray, name: str) -> None:
    q = FORMATS[name].quantize(x)
    codes, scales = mx_reference(x, name)
    assert np.array_equal(u8(q.scales), scales)
    assert np.array_equal(unpack_mx(q, name), codes)
    # Dequantized values are exact, so quantizing them again changes nothing.
    assert FORMATS[name].quantize(FORMATS[name].dequantize(q)) == q


# nvfp4 -----------------------------------------------------------------------------------------


def nvfp4_reference(x: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, np.ndarray]:
    """NVIDIA's formula as ModelOpt writes it, in torch float32, with ml_dtypes E2M1 casts."""
    blocks = torch.from_numpy(padded_blocks(x, 16))
    tensor_scale = blocks.abs().amax() / (6.0 * 448.0)
    if tensor_scale == 0:
        zeros = torch.zeros(blocks.shape[0], dtype=torch.float8_e4m3fn)
        return tensor_scale, zeros, np.zeros(blocks.shape, dtype=np.uint8)
    block_scale = (blocks.abs().amax(dim=1) / (6.0 * tensor_scale)).to(torch.float8_e4m3fn)
    divisor = block_scale.float() * tensor_scale
    quotient = (blocks / torch.where(divisor == 0, 1.0, divisor)[:, None]).numpy()
    codes = np.where(divisor.numpy()[:, None] == 0, 0, quotient.astype(F4).view(np.uint8))
    return tensor_scale, block_scale, codes


def test_nvfp4_matches_nvidias_reference_formula_in_torch() -> None:
    x = weights((7, 90), 7)
    q = FORMATS["nvfp4"].quantize(torch.from_numpy(x))
    tensor_scale, block_scale, codes = nvfp4_reference(x)
    assert np.frombuffer(q.tensor_scale, dtype="<f4")[0] == tensor_scale.item()
    assert np.array_equal(u8(q.scales), block_scale.view(torch.uint8).numpy())
    assert np.array_equal(nibbles_low_first(q.codes), codes.reshape(-1))
    back = FORMATS["nvfp4"].dequantize(q).numpy()
    values = torch.from_numpy(codes.astype(np.uint8).view(F4).astype(np.float32))
    expected = (values * block_scale.float()[:, None]) * tensor_scale
    assert np.array_equal(back, expected.numpy().reshape(-1, 96)[:, :90])


@settings(max_examples=80, deadline=None)
@given(x=SMALL_TENSORS)
def test_nvfp4_matches_the_reference_formula_on_any_input(x: np.ndarray) -> None:
    q = FORMATS["nvfp4"].quantize(x)
    tensor_scale, block_scale, codes = nvfp4_reference(x)
    assert np.frombuffer(q.tensor_scale, dtype="<f4")[0] == tensor_scale.item()
    assert np.array_equal(u8(q.scales), block_scale.view(torch.uint8).numpy())
    assert np.array_equal(nibbles_low_first(q.codes), codes.reshape(-1))


def test_nvfp4_all_zero_tensor() -> None:
    q = FORMATS["nvfp4"].quantize(np.zeros(20, dtype=np.float32))
    assert q.tensor_scale == b"\x00" * 4 and q.scales == b"\x00" * 2 and q.codes == b"\x00" * 16


# q8_0 and q4_0: ggml's reference quantizers transcribed statement by statement -----------------


def reciprocal(d: np.float32) -> np.float32:
    """``d ? 1.0f/d : 0.0f``; where C overflows to infinity (undefined after the int cast),
    the spec defines the block's codes as those of zero, i.e. a reciprocal of 0."""
    if d == 0:
        return np.float32(0)
    with np.errstate(over="ignore"):
        inverse = np.float32(np.float32(1) / d)
    return inverse if np.isfinite(inverse) else np.float32(0)


def ggml_q8_0(block: np.ndarray) -> tuple[int, list[int]]:
    amax = np.float32(0)
    for v in block:
        amax = max(amax, np.float32(abs(v)))
    d = np.float32(amax / np.float32(127))
    inv = reciprocal(d)
    qs = []
    for v in block:
        x0 = float(np.float32(v * inv))
        qs.append(int(math.copysign(math.floor(abs(x0) + 0.5), x0)))  # roundf
    return int(np.float16(d).view(np.uint16)), qs


def ggml_q4_0(block: np.ndarray) -> tuple[int, list[int]]:
    amax = np.float32(0)
    peak = np.float32(0)
    for v in block:
        if amax < abs(v):
            amax = np.float32(abs(v))
            peak = v
    d = np.float32(peak / np.float32(-8))
    inv = reciprocal(d)
    qs = [0] * 16
    for j in range(16):
        x0 = np.float32(block[j] * inv)
        x1 = np.float32(block[16 + j] * inv)
        xi0 = min(15, int(np.float32(x0 + np.float32(8.5))))  # (int8_t) truncates
        xi1 = min(15, int(np.float32(x1 + np.float32(8.5))))
        qs[j] = xi0 | (xi1 << 4)
    return int(np.float16(d).view(np.uint16)), qs


def ggml_inputs() -> np.ndarray:
    x = weights((4, 96), 8)
    x[0, :32] = 0.0
    x[0, 0] = -0.0  # ggml keeps max = +0.0, so d = -0.0
    x[1, :32] = np.linspace(-1, 1, 32, dtype=np.float32)  # +1 and -1 tie for the maximum
    x[2, 3], x[2, 9] = -0.75, 0.75
    x[3, 32:64] = np.float32(3.0) * np.arange(32, dtype=np.float32) / 31
    return x


def test_q8_0_matches_ggml() -> None:
    x = ggml_inputs()
    q = FORMATS["q8_0"].quantize(x)
    reference = [ggml_q8_0(b) for b in padded_blocks(x, 32)]
    assert u16(q.scales).tolist() == [d for d, _ in reference]
    assert np.frombuffer(q.codes, dtype=np.int8).tolist() == [v for _, qs in reference for v in qs]
    back = FORMATS["q8_0"].dequantize(q).numpy().reshape(-1, 32)
    for (d, qs), row in zip(reference, back, strict=True):
        scale = np.uint16(d).view(np.float16).astype(np.float32)
        assert row.tolist() == [np.float32(v * scale) for v in qs]


def test_q4_0_matches_ggml() -> None:
    x = ggml_inputs()
    q = FORMATS["q4_0"].quantize(x)
    reference = [ggml_q4_0(b) for b in padded_blocks(x, 32)]
    assert u16(q.scales).tolist() == [d for d, _ in reference]
    assert u8(q.codes).tolist() == [v for _, qs in reference for v in qs]
    assert u16(q.scales)[0] == 0x8000
    back = FORMATS["q4_0"].dequantize(q).numpy()
    assert np.signbit(back[0, :32]).all() and (back[0, :32] == 0).all()  # 0 * -0.0


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float32, st.integers(1, 70), elements=st.floats(-1e4, 1e4, width=32)))
def test_ggml_formats_match_on_any_input(x: np.ndarray) -> None:
    blocks = padded_blocks(x, 32)
    q8 = FORMATS["q8_0"].quantize(x)
    reference8 = [ggml_q8_0(b) for b in blocks]
    assert np.frombuffer(q8.codes, dtype=np.int8).tolist() == [
        v for _, qs in reference8 for v in qs
    ]
    assert u16(q8.scales).tolist() == [d for d, _ in reference8]
    q4 = FORMATS["q4_0"].quantize(x)
    reference4 = [ggml_q4_0(b) for b in blocks]
    assert u8(q4.codes).tolist() == [v for _, qs in reference4 for v in qs]
    assert u16(q4.scales).tolist() == [d for d, _ in reference4]


def test_ggml_scale_overflow_is_refused() -> None:
    with pytest.raises(QuantError) as info:
        FORMATS["q8_0"].quantize(np.float32([1e7] * 32))
    assert info.value.code == "QUANT.OVERFLOW"
