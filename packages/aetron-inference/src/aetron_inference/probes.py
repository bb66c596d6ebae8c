"""Reference-probe golden hashes for this machine, and the command that writes them.

    uv run python -m aetron_inference.probes show        # print this machine's probe hashes
    uv run python -m aetron_inference.probes generate    # (re)write the conformance vectors

``generate`` rewrites the ``probes`` group of the conformance suite's ``inference`` domain (as
``aetron-conformance --domain inference generate`` does for the whole domain): vectors for every
architecture this machine offers (its CPU, and its accelerator if it has one) are written; those
of other architectures and torch versions are kept as they are.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from aetron_types import ExecutionSpec, QuantFormat

from ._probes import PROBE_PROMPTS, probe_hash, probe_requests
from ._reference import load_reference_weights
from ._runtime import Platform, configure, default_spec, detect_platforms

__all__ = ["PROBE_THREADS", "ProbeCase", "probe_case", "probe_cases", "probe_specs"]

PROBE_THREADS = 1
"""Thread count of every golden probe spec: the one count every CPU can run."""
# Beyond fp32 compute with eager attention for every format: other compute paths, fp32 weights.
_EXTRA_VARIANTS = (("bf16", "eager"), ("fp16", "eager"), ("fp32", "sdpa-math"))


@dataclass(frozen=True)
class ProbeCase:
    """The golden result of the probe set under one spec."""

    spec: ExecutionSpec
    model_hash: bytes
    """Model hash of the reference model in the spec's format."""
    logit_hashes: tuple[bytes, ...]
    """One logit hash per prompt of `PROBE_PROMPTS`, in order."""


def probe_specs(platform: Platform) -> list[ExecutionSpec]:
    """The specs golden probes are made for on ``platform``: every format, then the variants."""

    def spec(fmt: str, dtype: str, attention: str) -> ExecutionSpec:
        return default_spec(
            fmt,
            hardware_arch=platform.hardware_arch,
            compute_dtype=dtype,
            attention_backend=attention,
            thread_count=PROBE_THREADS,
        )

    specs = [spec(fmt.value, "fp32", "eager") for fmt in QuantFormat]
    specs += [spec("fp32", dtype, attention) for dtype, attention in _EXTRA_VARIANTS]
    return specs


def probe_case(spec: ExecutionSpec) -> ProbeCase:
    """Configure ``spec`` (refused with `SpecMismatch` first if this machine is not it), run."""
    runtime = configure(spec)
    weights = load_reference_weights(runtime.quant_format)
    model = weights.build(runtime)
    hashes = tuple(probe_hash(model, request) for request in probe_requests())
    return ProbeCase(spec, model.model_hash, hashes)


def probe_cases() -> list[ProbeCase]:
    """Golden probe results for every architecture this machine offers."""
    return [probe_case(spec) for p in detect_platforms() for spec in probe_specs(p)]


def _show() -> None:
    for case in probe_cases():
        s = case.spec
        print(
            f"{s.hardware_arch.value} torch {s.torch_version} {s.quant_format.value:>11} "
            f"{s.compute_dtype.value}/{s.attention_backend.value:<9} "
            f"model {case.model_hash.hex()[:16]} probes "
            + " ".join(h.hex()[:12] for h in case.logit_hashes)
        )
    print(f"{len(PROBE_PROMPTS)} prompts per spec")


def _generate(vectors: Path | None) -> None:
    # The conformance suite owns the vector format; only the probes group is rewritten here.
    from aetron_conformance import dump_json
    from aetron_conformance.__main__ import DEFAULT_VECTORS
    from aetron_conformance.domains.inference import probes as group

    base = vectors or DEFAULT_VECTORS
    root = base / "inference" / group.GROUP
    written = set()
    for vector in group.generate():
        path = base / f"{vector.id}.json"
        text = dump_json(vector.to_json())
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.add(path)
    for path in sorted(root.rglob("*.json")):
        relpath = path.relative_to(root.parent).as_posix()
        if path not in written and not group.keep(relpath):
            path.unlink()
    print(f"inference/{group.GROUP}: {len(written)} vectors written under {root}")


def main(argv: list[str] | None = None) -> int:
    """The command line (module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m aetron_inference.probes", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("show", help="print this machine's golden probe hashes")
    gen = commands.add_parser("generate", help="write the conformance vectors of this machine")
    gen.add_argument("--vectors", type=Path, help="vectors folder (default: the repository's)")
    args = parser.parse_args(argv)
    if args.command == "show":
        _show()
    else:
        _generate(args.vectors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
