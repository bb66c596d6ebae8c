"""Diffusion: seeded sampling of a trained denoiser, latent-chain artifacts, step replay."""

from __future__ import annotations

from functools import cache

import blake3
import numpy as np
import pytest
from aetron_inference import default_spec, make_request
from aetron_inference.diffusion import (
    DENOISER_CONFIG,
    DIFFUSION_MODEL_HASH,
    DIFFUSION_REPLAY_PPM,
    Denoiser,
    DiffusionServed,
    Opening,
    chain_commitment,
    denoiser_random_weights,
    diffusion_artifact,
    initial_noise,
    latent_leaf,
    load_diffusion_model,
    nearest_class,
    open_chain,
    replay_diffusion,
    replay_steps,
    sample_chain,
    serve_diffusion,
    step_coefficients,
)
from aetron_types import ExecutionSpec, InferenceRequest, ValidationArtifact
from hypothesis import given, settings
from hypothesis import strategies as st

BETA = blake3.blake3(b"beta").digest(64)


@cache
def _model() -> Denoiser:
    return load_diffusion_model()


def _request(cls: int | None, steps: int = 50, seed: int = 1) -> InferenceRequest:
    prompt = b"" if cls is None else bytes([cls])
    return make_request(prompt, max_new_tokens=steps, seed=seed)


def _cpu_spec() -> ExecutionSpec:
    arch = next(a for a in ("x86_64-avx512", "x86_64-avx2", "aarch64") if _offers(a))
    return default_spec(hardware_arch=arch)


def _offers(arch: str) -> bool:
    from aetron_inference import detect_platforms

    return any(p.hardware_arch == arch for p in detect_platforms())


def _check(
    served: DiffusionServed, request: InferenceRequest, steps: tuple[int, ...], **changes: object
) -> bool:
    spec = _cpu_spec()
    opening = open_chain(served.chain, steps)
    args: dict[str, object] = {
        "latent": served.latent,
        "artifact": served.artifact,
        "opening": opening,
        "steps": steps,
    }
    args.update(changes)
    return replay_diffusion(_model(), request, spec=spec, **args)  # type: ignore[arg-type]


def test_shipped_model_is_pinned_and_draws_its_classes() -> None:
    assert _model().model_hash == DIFFUSION_MODEL_HASH
    hits = 0
    for cls in range(10):
        for seed in (1, 2):
            latent = sample_chain(_model(), _request(cls, seed=seed))[-1]
            hits += int(nearest_class(latent[None])[0] == cls)
    assert hits >= 17


def test_noise_is_standard_normal_ish() -> None:
    noise = initial_noise(3, 200_000)
    assert abs(float(noise.mean())) < 0.01 and abs(float(noise.var()) - 1) < 0.01
    assert np.abs(noise).max() <= 6
    assert initial_noise(3, 64).tobytes() == noise[:64].tobytes()


@pytest.mark.parametrize("steps", [1, 7, 8, 50, 100])
def test_honest_replays_pass(steps: int) -> None:
    request = _request(4, steps=steps, seed=steps)
    served = serve_diffusion(_model(), request, spec=_cpu_spec())
    chosen = replay_steps(BETA, 0, steps)
    assert len(chosen) == max(1, -(-steps * DIFFUSION_REPLAY_PPM // 10**6))
    assert _check(served, request, chosen)
    # Every step recomputes, not only the drawn ones.
    assert _check(served, request, tuple(range(1, steps + 1)))
    header = ValidationArtifact.decode(served.artifact)
    assert (header.prompt_len, header.output_len) == (steps, DENOISER_CONFIG.latent)


def test_replay_step_draw() -> None:
    draws = [replay_steps(blake3.blake3(i.to_bytes(2)).digest(64), 3, 50) for i in range(300)]
    assert all(len(d) == 3 and len(set(d)) == 3 and 1 <= min(d) <= max(d) <= 50 for d in draws)
    counts = np.bincount([k for d in draws for k in d], minlength=51)[1:]
    assert counts.min() > 5 and replay_steps(BETA, 3, 50) == replay_steps(BETA, 3, 50)
    assert replay_steps(BETA, 3, 50) != replay_steps(BETA, 4, 50)


def _tampered_chain(
    request: InferenceRequest, bad_from: int, model: Denoiser | None = None
) -> DiffusionServed:
    """A chain computed honestly up to ``bad_from - 1``, then by ``model`` (or skipped steps)."""
    chain = sample_chain(_model(), request)
    if model is None:
        # Skip the work: the remaining latents are copies of the last honest one.
        for k in range(bad_from, len(chain)):
            chain[k] = chain[bad_from - 1]
    else:
        other = sample_chain(model, request)
        chain[bad_from:] = other[bad_from:]
    spec = _cpu_spec()
    return DiffusionServed(chain[-1], tuple(chain), diffusion_artifact(request, spec, chain))


def test_skipped_steps_are_caught_when_drawn() -> None:
    request = _request(7)
    served = _tampered_chain(request, 40)
    assert not _check(served, request, (41,))
    assert _check(served, request, (5, 20))  # the honest part still checks out
    caught = sum(
        not _check(served, request, replay_steps(blake3.blake3(bytes([i])).digest(64), 0, 50))
        for i in range(40)
    )
    # 10 of 50 transitions faked, 3 drawn: caught with 1 - C(40,3)/C(50,3) = 50 %.
    assert 8 <= caught <= 32


def test_substituted_or_quantized_model_is_caught() -> None:
    request = _request(2)
    stranger = Denoiser(DENOISER_CONFIG, denoiser_random_weights(DENOISER_CONFIG, b"x"))
    assert not _check(_tampered_chain(request, 1, stranger), request, (1,))
    cheap = load_diffusion_model("int4")
    assert not _check(_tampered_chain(request, 1, cheap), request, (1,))


def test_wrong_seed_class_or_output_is_caught() -> None:
    request = _request(5, seed=10)
    served = serve_diffusion(_model(), request, spec=_cpu_spec())
    steps = replay_steps(BETA, 1, 50)
    other_seed = serve_diffusion(_model(), _request(5, seed=11), spec=_cpu_spec())
    assert not _check(other_seed, request, steps)
    other_class = serve_diffusion(_model(), _request(6, seed=10), spec=_cpu_spec())
    assert not _check(other_class, request, steps)
    assert not _check(served, request, steps, latent=other_seed.latent)
    lie = dict(open_chain(served.chain, steps).latents)
    k = steps[0] - 1
    lie[k] = lie[k] + np.float32(1e-3)
    assert not _check(
        served, request, steps, opening=Opening(open_chain(served.chain, steps).leaves, lie)
    )


def test_fabricated_artifacts_are_caught() -> None:
    request = _request(1)
    served = serve_diffusion(_model(), request, spec=_cpu_spec())
    steps = replay_steps(BETA, 2, 50)
    leaves = [latent_leaf(k, x) for k, x in enumerate(served.chain)]
    assert chain_commitment(leaves, 64) == ValidationArtifact.decode(served.artifact).commitment
    assert not _check(served, request, steps, artifact=bytes(164))
    assert not _check(served, request, steps, artifact=served.artifact[:-1])
    assert not _check(served, request, steps, artifact="junk")
    assert not _check(served, request, (0,)) and not _check(served, request, (51,))
    opening = open_chain(served.chain, steps)
    assert not _check(served, request, steps, opening=None)
    odd_steps = ("a",)
    assert not replay_diffusion(
        _model(), request, served.latent, served.artifact, opening, odd_steps, spec=_cpu_spec()
    )  # type: ignore[arg-type]
    assert not _check(served, request, steps, latent=served.latent.astype(np.float64))
    assert not _check(served, request, steps, opening=Opening(opening.leaves[:-1], opening.latents))
    junk = {k: x.tolist() for k, x in opening.latents.items()}
    assert not _check(served, request, steps, opening=Opening(opening.leaves, junk))


@settings(max_examples=40, deadline=None)
@given(at=st.integers(0, 163), flip=st.integers(1, 255))
def test_any_artifact_byte_changed_is_caught(at: int, flip: int) -> None:
    request = _request(0, steps=10)
    served = _served_small()
    artifact = bytearray(served.artifact)
    artifact[at] ^= flip
    assert not _check(served, request, replay_steps(BETA, 0, 10), artifact=bytes(artifact))


@cache
def _served_small() -> DiffusionServed:
    return serve_diffusion(_model(), _request(0, steps=10), spec=_cpu_spec())


def test_schedule_is_exact_and_in_range() -> None:
    coefficients = step_coefficients(50, 100)
    assert [t for t, _, _ in coefficients][:3] == [99, 97, 95] and coefficients[-1][0] == 1
    assert all(a.dtype == np.float32 and b.dtype == np.float32 for _, a, b in coefficients)
    assert all(float(a) >= 1 for _, a, _ in coefficients)
