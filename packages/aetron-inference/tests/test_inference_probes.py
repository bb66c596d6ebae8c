"""Evidence for the reference probes: repeatable, format-sensitive, refused on the wrong machine,
and equal to the golden vectors committed for this machine's architectures."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from aetron_inference import (
    LlamaForCausalLM,
    ModelWeights,
    SpecMismatch,
    configure,
    default_spec,
    detect_platforms,
    load_reference_model,
    load_reference_weights,
    probe_hash,
    probe_requests,
    reference_probes,
    torch_version,
    verify_probes,
)
from aetron_inference.probes import probe_case
from aetron_types import ExecutionSpec, HardwareArch, QuantFormat

VECTORS = Path(__file__).resolve().parents[3] / "conformance" / "vectors" / "inference" / "probes"


def cpu_arch() -> str:
    return next(p.hardware_arch for p in detect_platforms() if p.device == "cpu")


@pytest.fixture(scope="module")
def model() -> Iterator[LlamaForCausalLM]:
    yield load_reference_model(configure(default_spec(hardware_arch=cpu_arch())))


def test_fifty_runs_give_one_hash(model: LlamaForCausalLM) -> None:
    requests = probe_requests()
    first = [probe_hash(model, r) for r in requests]
    for _ in range(49):
        assert [probe_hash(model, r) for r in requests] == first


def test_another_process_gets_the_same_hashes(model: LlamaForCausalLM) -> None:
    script = (
        "from aetron_inference import *\n"
        f"rt = configure(default_spec(hardware_arch={cpu_arch()!r}))\n"
        "m = load_reference_model(rt)\n"
        "print(' '.join(probe_hash(m, r).hex() for r in probe_requests()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [probe_hash(model, r).hex() for r in probe_requests()]


def test_every_format_gives_different_logit_hashes() -> None:
    seen: dict[bytes, str] = {}
    request = probe_requests()[2]
    for fmt in QuantFormat:
        runtime = configure(default_spec(fmt.value, hardware_arch=cpu_arch()))
        digest = probe_hash(load_reference_model(runtime), request)
        assert digest not in seen, f"{fmt.value} and {seen.get(digest)} give the same hash"
        seen[digest] = fmt.value
    assert len(seen) == 18


def test_one_ulp_in_one_weight_changes_the_logit_hash(model: LlamaForCausalLM) -> None:
    request = probe_requests()[0]
    tensors = dict(load_reference_weights().tensors)
    # The tied embedding row of the prompt's first byte, at its largest entry: used as input
    # at one position and as an output-logit row at every position.
    name, row = "model.embed_tokens.weight", request.prompt[0]
    tensors[name] = tensors[name].clone()
    col = int(tensors[name][row].abs().argmax())
    tensors[name][row, col] = torch.nextafter(tensors[name][row, col], torch.tensor(0.0))
    moved = ModelWeights.from_float(model.config, tensors).build()
    assert moved.model_hash != model.model_hash
    assert probe_hash(moved, request) != probe_hash(model, request)


def test_a_spec_mismatch_is_refused_before_any_computation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    forward = LlamaForCausalLM.forward
    monkeypatch.setattr(
        LlamaForCausalLM, "forward", lambda self, *a, **k: calls.append(1) or forward(self, *a, **k)
    )
    good = default_spec(hardware_arch=cpu_arch())
    probe_case(good)
    assert calls, "the instrumented forward runs for a matching spec"
    calls.clear()
    torch.set_num_threads(2)
    bad = ExecutionSpec(**{**dict(good), "torch_version": "2.0.0", "thread_count": 3})
    with pytest.raises(SpecMismatch) as caught:
        probe_case(bad)
    assert len(caught.value.mismatches) == 1 and not calls and torch.get_num_threads() == 2


def test_published_probes_verify_and_catch_another_model(model: LlamaForCausalLM) -> None:
    probes = reference_probes(model)
    assert verify_probes(model, probes)
    other = load_reference_model(configure(default_spec("q4_0", hardware_arch=cpu_arch())))
    assert not verify_probes(other, probes)


@pytest.mark.parametrize("arch", [a.value for a in HardwareArch])
def test_golden_vectors_of_this_machine(arch: str) -> None:
    here = {p.hardware_arch for p in detect_platforms()}
    folder = VECTORS / arch
    versions = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    if arch not in here:
        if versions:
            pytest.skip(f"{arch}: vectors for torch {', '.join(versions)}; not this machine")
        pytest.skip(f"{arch}: NO probe vectors yet (run the generator on such a machine)")
    files = sorted((folder / torch_version()).rglob("*.json"))
    formats = {f.parent.name for f in files}
    assert formats == {f.value for f in QuantFormat}, (
        f"{arch} with torch {torch_version()}: vectors missing for "
        f"{sorted({f.value for f in QuantFormat} - formats)}; run "
        "`uv run python -m aetron_inference.probes generate`"
    )
    for path in files:
        vector = json.loads(path.read_text())
        spec = ExecutionSpec.from_json(vector["input"]["spec"])
        case = probe_case(spec)
        assert vector["input"]["model_hash"] == "0x" + case.model_hash.hex()
        got = ["0x" + h.hex() for h in case.logit_hashes]
        assert got == vector["expected"]["output"]["logit_hashes"], path.name


def test_a_vector_of_other_hardware_is_skipped_not_failed() -> None:
    from aetron_conformance import NotApplicable
    from aetron_conformance.domains.inference import probes as group

    here = {p.hardware_arch for p in detect_platforms()}
    arch = next(a.value for a in HardwareArch if a.value not in here)
    spec = default_spec(hardware_arch=cpu_arch())
    foreign = ExecutionSpec(
        **{**dict(spec), "hardware_arch": arch, "attention_backend": "sdpa-math"},
        **({"cuda_version": "13.0"} if arch.startswith("nvidia") else {}),
    )
    case = {
        "spec": foreign.to_json(),
        "model_hash": "0x" + load_reference_weights().model_hash().hex(),
        "prompts": ["0x41"],
    }
    with pytest.raises(NotApplicable) as caught:
        group.HANDLERS["probe.logit_hashes"](case)
    assert arch in caught.value.reason
    assert group.keep(f"probes/{arch}/{torch_version()}/fp32/fp32-eager.json")
    assert not group.keep(f"probes/{cpu_arch()}/{torch_version()}/fp32/fp32-eager.json")
