"""Artifact, replay and arbitration vectors.

Portable cases (any machine computes them): ``inference/artifacts/sampler/*`` (the sampler's
decisions), ``commitment/*`` (artifacts from given logits, replay commitments),
``arbitration/*`` (the arbitration rule) and ``diffusion/*`` (seeded noise, replayed steps, the artifact
of a given chain).
Cases that run the reference model are per hardware architecture and torch version, as the
probes are: ``inference/artifacts/served/<arch>/<torch>/<case>`` (served requests and replay
verdicts); a machine writes those of the platforms it offers and keeps every other one's files.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import blake3
import numpy as np
from aetron_inference import (
    LlamaForCausalLM,
    arbitrate,
    claimed_replay_commitment,
    configure,
    default_spec,
    detect_platforms,
    load_reference_weights,
    replay,
    serve,
    torch_version,
)
from aetron_inference._commitment import lm_artifact, replay_commitment
from aetron_inference._runtime import offers
from aetron_inference._sampling import sample_tokens
from aetron_inference.diffusion import diffusion_artifact, initial_noise, replay_steps
from aetron_types import ExecutionSpec, InferenceRequest, QuantFormat

from ..._vector import NotApplicable, Vector

GROUP = "artifacts"
_GENERATOR = "aetron_conformance.domains.inference.artifacts"
_SPEC = "specs/inference.md"


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def _bytes(text: str) -> bytes:
    return bytes.fromhex(text.removeprefix("0x"))


def _f32_bits(values: np.ndarray) -> list[str]:
    return [f"0x{int(b):08x}" for b in values.astype("<f4").view("<u4")]


def _f32(bits: list[str]) -> np.ndarray:
    return np.asarray([int(b, 16) for b in bits], dtype="<u4").view("<f4")


def _request(**fields: Any) -> InferenceRequest:
    base: dict[str, Any] = {
        "prompt": b"",
        "max_new_tokens": 1,
        "seed": 0,
        "temperature_milli": 0,
        "top_k": 0,
        "top_p_ppm": 1_000_000,
    }
    base.update(fields)
    return InferenceRequest(**base)


# --- sampler -------------------------------------------------------------------------------


def _logit_row(seed: int, size: int, scale: float) -> np.ndarray:
    words = np.frombuffer(blake3.blake3(seed.to_bytes(4, "little")).digest(4 * size), "<u4")
    return ((words.astype(np.float64) / 2**32 - 0.5) * scale).astype(np.float32)


def _sample_cases() -> Iterator[tuple[str, str, np.ndarray, InferenceRequest, int]]:
    row = _logit_row(1, 40, 16.0)
    yield "greedy", "Temperature 0 takes the first candidate.", row, _request(), 0
    ties = np.asarray([1.0, 3.0, -2.0, 3.0, 3.0], dtype=np.float32)
    yield "greedy_tie", "Greedy with a tie takes the lowest id.", ties, _request(), 0
    for t in (200, 1000, 3000):
        yield (
            f"temperature_{t}",
            f"Temperature {t / 1000} alone.",
            row,
            _request(temperature_milli=t, seed=42),
            7,
        )
    yield (
        "top_k_5",
        "Top-k 5 at temperature 1.",
        row,
        _request(temperature_milli=1000, top_k=5, seed=9),
        0,
    )
    yield (
        "top_p_half",
        "Top-p 0.5 at temperature 1.5.",
        row,
        _request(temperature_milli=1500, top_p_ppm=500_000, seed=2**64 - 1),
        2**32 - 1,
    )
    yield (
        "all_filters",
        "Temperature, top-k and top-p together.",
        _logit_row(2, 259, 30.0),
        _request(temperature_milli=800, top_k=50, top_p_ppm=900_000, seed=123456789),
        17,
    )
    huge = np.asarray([1e30, -1e30, 40000.0, 32768.5, 0.0], dtype=np.float32)
    yield (
        "clamped",
        "Logits beyond 2**15 are clamped before the fixed-point step.",
        huge,
        _request(temperature_milli=1000, seed=5),
        3,
    )


def _sample_input(row: np.ndarray, request: InferenceRequest, index: int) -> dict[str, Any]:
    return {
        "logits": _f32_bits(row),
        "seed": str(request.seed),
        "index": index,
        "temperature_milli": request.temperature_milli,
        "top_k": request.top_k,
        "top_p_ppm": request.top_p_ppm,
    }


def _sample(input: dict[str, Any]) -> dict[str, Any]:
    request = _request(
        seed=int(input["seed"]),
        temperature_milli=input["temperature_milli"],
        top_k=input["top_k"],
        top_p_ppm=input["top_p_ppm"],
    )
    row = _f32(input["logits"])[None, :]
    return {"token": int(sample_tokens(row, request, input["index"])[0])}


def _sampler_vectors() -> Iterator[Vector]:
    for name, description, row, request, index in _sample_cases():
        input = _sample_input(row, request, index)
        yield Vector(
            id=f"inference/artifacts/sampler/{name}",
            handler="artifacts.sample",
            description=description,
            input=input,
            expected=Vector.valid(_sample(input)),
            spec=f"{_SPEC}#sampling",
            generator=_GENERATOR,
        )
    nan = np.asarray([0.0, np.nan, 1.0], dtype=np.float32)
    yield Vector(
        id="inference/artifacts/sampler/invalid_nan_logit",
        handler="artifacts.sample",
        description="A NaN logit is refused.",
        input=_sample_input(nan, _request(temperature_milli=1000), 0),
        expected=Vector.invalid("INFERENCE.NONFINITE_LOGITS"),
        spec=f"{_SPEC}#sampling",
        generator=_GENERATOR,
    )


# --- commitments ----------------------------------------------------------------------------


def _lm_artifact(input: dict[str, Any]) -> dict[str, Any]:
    request = InferenceRequest.from_json(input["request"])
    rows = [_f32(r) for r in input["logits"]]
    logits = np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
    artifact = lm_artifact(
        request, QuantFormat(input["quant_format"]), input["prompt_ids"], input["response"], logits
    )
    return {"artifact": _hex(artifact)}


def _replay_commitment(input: dict[str, Any]) -> dict[str, Any]:
    expected = None if input["expected"] is None else _bytes(input["expected"])
    return {"commitment": _hex(replay_commitment(expected, input["follows"]))}


def _commitment_vectors() -> Iterator[Vector]:
    request = _request(prompt=b"ab", max_new_tokens=3, seed=77, temperature_milli=700)
    logits = [_logit_row(10 + t, 12, 8.0) for t in range(3)]
    cases = [
        ("lm_artifact", "An artifact from three logit rows of a 12-token vocabulary.", logits, 3),
        ("lm_artifact_empty", "An artifact with no response tokens: no sample.", [], 0),
    ]
    inputs = []
    for name, description, rows, n in cases:
        input: dict[str, Any] = {
            "request": request.to_json(),
            "quant_format": "nf4",
            "prompt_ids": [256, 97, 98],
            "response": [3, 11, 0][:n],
            "logits": [_f32_bits(r) for r in rows],
        }
        inputs.append(input)
        yield Vector(
            id=f"inference/artifacts/commitment/{name}",
            handler="artifacts.lm_artifact",
            description=description,
            input=input,
            expected=Vector.valid(_lm_artifact(input)),
            spec=f"{_SPEC}#language-model-artifact",
            generator=_GENERATOR,
        )
    artifact = _bytes(_lm_artifact(inputs[0])["artifact"])
    for name, description, expected, follows in (
        ("replay_claim", "The claim of an artifact: status 1.", artifact, True),
        ("replay_not_following", "Tokens that do not follow the sampler: status 0.", artifact, False),
        ("replay_no_artifact", "A response no honest server gives: status 0, nothing else.", None, False),
    ):  # fmt: skip
        claim: dict[str, Any] = {
            "expected": None if expected is None else _hex(expected),
            "follows": follows,
        }
        yield Vector(
            id=f"inference/artifacts/commitment/{name}",
            handler="artifacts.replay_commitment",
            description=description,
            input=claim,
            expected=Vector.valid(_replay_commitment(claim)),
            spec=f"{_SPEC}#replay-commitment",
            generator=_GENERATOR,
        )


# --- arbitration ----------------------------------------------------------------------------

_MINER, _REPLAYER, _ARBITER = (bytes([i]) * 32 for i in (1, 2, 3))
_SERVED = bytes(range(164))


def _arbitrate(input: dict[str, Any]) -> dict[str, Any]:
    ruling = arbitrate(
        miner=_bytes(input["miner"]),
        replayer=_bytes(input["replayer"]),
        arbiter=_bytes(input["arbiter"]),
        served_artifact=_bytes(input["served_artifact"]),
        replayer_commitment=_bytes(input["replayer_commitment"]),
        arbiter_commitment=_bytes(input["arbiter_commitment"]),
    )
    return {
        "outcome": ruling.outcome.value,
        "lost": [_hex(m) for m in ruling.lost],
        "passed": [_hex(m) for m in ruling.passed],
    }


def _arbitration_vectors() -> Iterator[Vector]:
    claim = claimed_replay_commitment(_SERVED)
    other, third = bytes([9]) * 32, bytes([8]) * 32
    base = {
        "miner": _hex(_MINER),
        "replayer": _hex(_REPLAYER),
        "arbiter": _hex(_ARBITER),
        "served_artifact": _hex(_SERVED),
        "replayer_commitment": _hex(other),
        "arbiter_commitment": _hex(claim),
    }
    valid = [
        ("miner_upheld", "The arbiter reproduces the miner's claim: the replayer loses.", {}),
        (
            "replayer_upheld",
            "The arbiter agrees with the replayer: the miner loses.",
            {"arbiter_commitment": _hex(other)},
        ),
        (
            "both_rejected",
            "The arbiter agrees with neither: both lose.",
            {"arbiter_commitment": _hex(third)},
        ),
    ]
    invalid = [
        ("invalid_not_disputed", "The replayer reproduced the claim.", {"replayer_commitment": _hex(claim)}, "INFERENCE.NOT_DISPUTED"),
        ("invalid_arbiter_is_miner", "The arbiter is the serving miner.", {"arbiter": _hex(_MINER)}, "INFERENCE.ARBITER_NOT_DISTINCT"),
        ("invalid_short_miner_id", "A 31-byte miner id.", {"miner": _hex(bytes(31))}, "INFERENCE.BAD_MINER_ID"),
        ("invalid_short_commitment", "A 31-byte arbiter commitment.", {"arbiter_commitment": _hex(bytes(31))}, "INFERENCE.BAD_COMMITMENT"),
    ]  # fmt: skip
    for name, description, change in valid:
        input = base | change
        yield Vector(
            id=f"inference/artifacts/arbitration/{name}",
            handler="artifacts.arbitrate",
            description=description,
            input=input,
            expected=Vector.valid(_arbitrate(input)),
            spec=f"{_SPEC}#arbitration",
            generator=_GENERATOR,
        )
    for name, description, change, code in invalid:
        yield Vector(
            id=f"inference/artifacts/arbitration/{name}",
            handler="artifacts.arbitrate",
            description=description,
            input=base | change,
            expected=Vector.invalid(code),
            spec=f"{_SPEC}#arbitration",
            generator=_GENERATOR,
        )


# --- diffusion (portable parts) -------------------------------------------------------------


def _noise(input: dict[str, Any]) -> dict[str, Any]:
    return {"latent": _f32_bits(initial_noise(int(input["seed"]), input["size"]))}


def _steps(input: dict[str, Any]) -> dict[str, Any]:
    steps = replay_steps(_bytes(input["beta"]), input["index"], input["steps"])
    return {"steps": list(steps)}


def _diffusion_artifact(input: dict[str, Any]) -> dict[str, Any]:
    spec = ExecutionSpec.from_json(input["spec"])
    request = InferenceRequest.from_json(input["request"])
    chain = [_f32(latent) for latent in input["chain"]]
    return {"artifact": _hex(diffusion_artifact(request, spec, chain))}


def _diffusion_vectors() -> Iterator[Vector]:
    input: dict[str, Any] = {"seed": str(2**64 - 2), "size": 16}
    yield Vector(
        id="inference/artifacts/diffusion/initial_noise",
        handler="artifacts.diffusion_noise",
        description="The seeded starting latent (Irwin-Hall over BLAKE3 output).",
        input=input,
        expected=Vector.valid(_noise(input)),
        spec=f"{_SPEC}#diffusion",
        generator=_GENERATOR,
    )
    for steps in (1, 50, 100):
        input = {"beta": _hex(blake3.blake3(b"beta").digest(64)), "index": 7, "steps": steps}
        yield Vector(
            id=f"inference/artifacts/diffusion/replay_steps_{steps}",
            handler="artifacts.diffusion_steps",
            description=f"The transitions a replay of a {steps}-step request recomputes.",
            input=input,
            expected=Vector.valid(_steps(input)),
            spec=f"{_SPEC}#diffusion",
            generator=_GENERATOR,
        )
    # The artifact of a given chain needs no model: any latents, any size.
    for steps, prompt in ((3, b""), (12, b"\x04")):
        chain = [initial_noise(1000 + k, 16) * np.float32(0.5**k) for k in range(steps + 1)]
        input = {
            "spec": default_spec("q8_0", hardware_arch="x86_64-avx2").to_json(),
            "request": _request(prompt=prompt, max_new_tokens=steps, seed=11).to_json(),
            "chain": [_f32_bits(latent) for latent in chain],
        }
        yield Vector(
            id=f"inference/artifacts/diffusion/artifact_{steps}_steps",
            handler="artifacts.diffusion_artifact",
            description=f"The artifact of a served {steps}-step chain of 16-element latents.",
            input=input,
            expected=Vector.valid(_diffusion_artifact(input)),
            spec=f"{_SPEC}#diffusion",
            generator=_GENERATOR,
        )


# --- served requests and replays (per architecture) -----------------------------------------


@cache
def _model(spec: ExecutionSpec) -> LlamaForCausalLM:
    return load_reference_weights(spec.quant_format.value).build(configure(spec))


def _runnable(spec: ExecutionSpec) -> None:
    if not offers(spec):
        here = ", ".join(p.hardware_arch for p in detect_platforms())
        raise NotApplicable(
            f"needs {spec.hardware_arch.value} with torch {spec.torch_version} "
            f"(this machine: {here} with torch {torch_version()})"
        )


def _serve(input: dict[str, Any]) -> dict[str, Any]:
    spec = ExecutionSpec.from_json(input["spec"])
    _runnable(spec)
    request = InferenceRequest.from_json(input["request"])
    served = serve(_model(spec), request, spec=spec)
    return {"tokens": list(served.tokens), "artifact": _hex(served.artifact)}


def _replay(input: dict[str, Any]) -> dict[str, Any]:
    spec = ExecutionSpec.from_json(input["spec"])
    _runnable(spec)
    request = InferenceRequest.from_json(input["request"])
    valid = replay(_model(spec), request, input["tokens"], _bytes(input["artifact"]), spec=spec)
    return {"valid": valid}


_SERVED_REQUESTS = {
    "greedy": ("fp32", _request(prompt=b"On Saturday morning", max_new_tokens=12)),
    "sampled": (
        "fp32",
        _request(prompt=b"The river", max_new_tokens=12, seed=7, temperature_milli=900),
    ),
    "filters": (
        "fp32",
        _request(
            prompt=b"Morby",
            max_new_tokens=12,
            seed=8,
            temperature_milli=1200,
            top_k=20,
            top_p_ppm=800_000,
        ),
    ),
    "no_tokens": ("fp32", _request(prompt=b"abc", max_new_tokens=0)),
    "int4": (
        "int4",
        _request(prompt=b"The bridge", max_new_tokens=12, seed=3, temperature_milli=700),
    ),
}


def _served_vectors() -> Iterator[Vector]:
    for platform in detect_platforms():
        spec0 = default_spec(hardware_arch=platform.hardware_arch)
        where = f"{spec0.hardware_arch.value}/{spec0.torch_version}"
        for name, (fmt, request) in _SERVED_REQUESTS.items():
            spec = default_spec(fmt, hardware_arch=platform.hardware_arch)
            input = {"spec": spec.to_json(), "request": request.to_json()}
            served = _serve(input)
            yield Vector(
                id=f"inference/artifacts/served/{where}/{name}",
                handler="artifacts.serve",
                description=f"The reference model in {fmt} serves a request on {where}.",
                input=input,
                expected=Vector.valid(served),
                spec=f"{_SPEC}#serving",
                generator=_GENERATOR,
            )
            if name == "no_tokens":
                continue
            tokens, artifact = served["tokens"], served["artifact"]
            altered = [*tokens[:-1], (tokens[-1] + 1) % 256]
            flipped = _hex(
                _bytes(artifact)[:100] + bytes([_bytes(artifact)[100] ^ 1]) + _bytes(artifact)[101:]
            )
            for case, description, toks, art in (
                ("replay_honest", "An honest replay reproduces the artifact.", tokens, artifact),
                ("replay_altered_token", "A changed last token fails.", altered, artifact),
                ("replay_flipped_bit", "One flipped artifact bit fails.", tokens, flipped),
                ("replay_short_artifact", "A 163-byte artifact fails (no error).", tokens, artifact[:-2]),
            ):  # fmt: skip
                replay_input = input | {"tokens": toks, "artifact": art}
                yield Vector(
                    id=f"inference/artifacts/served/{where}/{name}_{case}",
                    handler="artifacts.replay",
                    description=description,
                    input=replay_input,
                    expected=Vector.valid(_replay(replay_input)),
                    spec=f"{_SPEC}#replay",
                    generator=_GENERATOR,
                )


def generate() -> Iterator[Vector]:
    yield from _sampler_vectors()
    yield from _commitment_vectors()
    yield from _arbitration_vectors()
    yield from _diffusion_vectors()
    yield from _served_vectors()


HANDLERS = {
    "artifacts.sample": _sample,
    "artifacts.lm_artifact": _lm_artifact,
    "artifacts.replay_commitment": _replay_commitment,
    "artifacts.arbitrate": _arbitrate,
    "artifacts.diffusion_noise": _noise,
    "artifacts.diffusion_steps": _steps,
    "artifacts.diffusion_artifact": _diffusion_artifact,
    "artifacts.serve": _serve,
    "artifacts.replay": _replay,
}


def keep(relpath: str) -> bool:
    """Keep the served cases of architectures and torch versions this machine does not offer."""
    parts = relpath.split("/")
    if len(parts) < 5 or parts[1] != "served":
        return False
    here = {(p.hardware_arch, p.torch_version) for p in detect_platforms()}
    return (parts[2], parts[3]) not in here
