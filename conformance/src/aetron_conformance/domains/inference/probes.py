"""Reference-probe golden vectors, per hardware architecture and torch version.

Case ids: ``inference/probes/<arch>/<torch>/<format>/<dtype>-<attention>``. A machine writes the
cases of the architectures it offers and keeps every other architecture's files; running a case
of an architecture or torch version this machine does not have is reported as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from aetron_inference import (
    PROBE_PROMPTS,
    InferenceError,
    SpecMismatch,
    configure,
    detect_platforms,
    load_reference_weights,
    offers,
    probe_hash,
    probe_request,
    spec_problems,
    torch_version,
)
from aetron_inference.probes import probe_cases
from aetron_types import (
    AttentionBackend,
    ComputeDtype,
    ExecutionSpec,
    HardwareArch,
    QuantFormat,
)

from ..._vector import NotApplicable, Vector

GROUP = "probes"
_SPEC = "specs/inference.md#reference-probes"
_GENERATOR = "aetron_conformance.domains.inference.probes"
_HANDLER = "probe.logit_hashes"
# A fixed spec, so the rejection case is the same file whichever machine writes it.
_ANY_SPEC = ExecutionSpec(
    compute_dtype=ComputeDtype.fp32,
    quant_format=QuantFormat.fp32,
    hardware_arch=HardwareArch("x86_64-avx512"),
    attention_backend=AttentionBackend.eager,
    torch_version="2.13.0",
    cuda_version="",
    rocm_version="",
    thread_count=1,
)


@cache
def _model_hash(fmt: str) -> bytes:
    return load_reference_weights(fmt).model_hash()


def _input(spec: ExecutionSpec, model_hash: bytes) -> dict[str, Any]:
    return {
        "spec": spec.to_json(),
        "model_hash": "0x" + model_hash.hex(),
        "prompts": ["0x" + p.hex() for p in PROBE_PROMPTS],
    }


def generate() -> Iterator[Vector]:
    for case in probe_cases():
        s = case.spec
        path = (
            f"{s.hardware_arch.value}/{s.torch_version}/{s.quant_format.value}/"
            f"{s.compute_dtype.value}-{s.attention_backend.value}"
        )
        yield Vector(
            id=f"inference/probes/{path}",
            handler=_HANDLER,
            description=(
                f"Probe logit hashes of the reference model in {s.quant_format.value}, "
                f"{s.compute_dtype.value} compute, {s.attention_backend.value} attention, on "
                f"{s.hardware_arch.value} with torch {s.torch_version}."
            ),
            input=_input(s, case.model_hash),
            expected=Vector.valid({"logit_hashes": ["0x" + h.hex() for h in case.logit_hashes]}),
            spec=_SPEC,
            generator=_GENERATOR,
        )
    yield Vector(
        id="inference/probes/invalid_unknown_model",
        handler=_HANDLER,
        description="A model hash that is not the reference model in the spec's format.",
        input=_input(_ANY_SPEC, bytes(32)),
        expected=Vector.invalid("INFERENCE.UNKNOWN_MODEL"),
        spec=_SPEC,
        generator=_GENERATOR,
    )


def _logit_hashes(input: dict[str, Any]) -> dict[str, Any]:
    spec = ExecutionSpec.from_json(input["spec"])
    problems = spec_problems(spec)
    if problems:
        raise SpecMismatch(problems)
    fmt = spec.quant_format.value
    if bytes.fromhex(input["model_hash"].removeprefix("0x")) != _model_hash(fmt):
        raise InferenceError("INFERENCE.UNKNOWN_MODEL", "not the reference model in this format")
    if not offers(spec):
        here = ", ".join(p.hardware_arch for p in detect_platforms())
        raise NotApplicable(
            f"needs {spec.hardware_arch.value} with torch {spec.torch_version} "
            f"(this machine: {here} with torch {torch_version()})"
        )
    model = load_reference_weights(fmt).build(configure(spec))
    hashes = []
    for prompt in input["prompts"]:
        request = probe_request(bytes.fromhex(prompt.removeprefix("0x")))
        hashes.append("0x" + probe_hash(model, request).hex())
    return {"logit_hashes": hashes}


HANDLERS = {_HANDLER: _logit_hashes}


def keep(relpath: str) -> bool:
    """Keep the files of architectures and torch versions this machine does not offer."""
    parts = relpath.split("/")
    if len(parts) < 5:
        return False
    here = {(p.hardware_arch, p.torch_version) for p in detect_platforms()}
    return (parts[1], parts[2]) not in here
