"""AETRON artifacts and TOPLOC proofs side by side on the same requests.

TOPLOC (PyPI ``toploc`` 0.1.6) is not a workspace dependency; run this in a throwaway venv:

    uv venv /tmp/toploc-venv && . /tmp/toploc-venv/bin/activate
    uv pip install torch==2.13.0 numpy setuptools wheel ninja   # the pinned CPU torch
    uv pip install --no-build-isolation --no-binary toploc toploc==0.1.6
    uv pip install blake3 pydantic safetensors pynacl
    uv pip install --no-deps -e packages/aetron-types -e packages/aetron-vrf \\
        -e packages/aetron-merkle -e packages/aetron-inference
    python packages/aetron-inference/bench/bench_toploc.py

For each request the reference model serves it (with its AETRON artifact); TOPLOC's prover then
commits to the final-norm hidden states (bfloat16, top-128, 32 tokens per proof) and its
verifier checks them against a prefill, with the acceptance thresholds of TOPLOC's experiments
(at most 38 exponent mismatches of 128, mantissa error mean at most 10 and median at most 8).
Both are then run against dishonest recomputations. Times are ratios to serving in this run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import replace

import torch
from aetron_inference import (
    LlamaForCausalLM,
    cheats,
    configure,
    default_spec,
    encode_bytes,
    load_reference_weights,
    make_request,
    replay,
    serve,
)
from aetron_inference._blocked import BlockedForward
from aetron_inference._commitment import lm_artifact
from aetron_inference._replay import prefill_logits
from aetron_types import InferenceRequest

try:
    import toploc
except ImportError as exc:  # the workspace venv has no TOPLOC; see the docstring
    toploc = None
    MISSING = str(exc)

PROMPT = b"On Saturday morning Iris walked down to the harbour of Morby. "
CHUNK, TOPK = 32, 128


def _hidden(model: LlamaForCausalLM, ids: list[int]) -> torch.Tensor:
    forward = BlockedForward(model, len(ids))
    forward.ids[: len(ids)] = torch.tensor(ids)
    with torch.inference_mode():
        rows = [forward.final_norm(forward.fill_block(b)) for b in range(forward.blocks)]
    return torch.cat(rows)[: len(ids)].to(torch.bfloat16)


def _activations(hidden: torch.Tensor, prompt_len: int) -> list[torch.Tensor]:
    """As a vLLM prover sees them: the prompt's rows at once, then one row per decode step."""
    return [hidden[:prompt_len]] + [hidden[p] for p in range(prompt_len, hidden.shape[0])]


def _accepted(result: object) -> bool:
    mismatches = result.exp_mismatches  # type: ignore[attr-defined]
    mean, median = result.mant_err_mean, result.mant_err_median  # type: ignore[attr-defined]
    return bool(mismatches <= TOPK - 90 and mean <= 10 and median <= 8)


def _timed(fn: Callable[[], object], repeats: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def _compare(
    model: LlamaForCausalLM,
    request: InferenceRequest,
    rows: dict[str, tuple[LlamaForCausalLM, bool]],
    detection: dict[str, list[int]],
) -> None:
    spec = default_spec()
    t_serve, served = _timed(lambda: serve(model, request, spec=spec))
    tokens = list(served.tokens)  # type: ignore[attr-defined]
    artifact = served.artifact  # type: ignore[attr-defined]
    prompt = encode_bytes(request.prompt)
    ids = prompt + tokens[:-1]
    logits = prefill_logits(model, prompt, tokens)
    t_artifact, _ = _timed(lambda: lm_artifact(request, spec.quant_format, prompt, tokens, logits))
    t_replay, ok = _timed(lambda: replay(model, request, tokens, artifact, spec=spec))
    acts = _activations(_hidden(model, ids), len(prompt))
    t_proof, proofs = _timed(lambda: toploc.build_proofs_bytes(acts, CHUNK, TOPK))

    def verify(m: LlamaForCausalLM) -> list[object]:
        recomputed = _activations(_hidden(m, ids), len(prompt))
        return list(toploc.verify_proofs_bytes(recomputed, proofs, CHUNK, TOPK))

    t_verify, results = _timed(lambda: verify(model))
    size = sum(len(p) for p in proofs)  # type: ignore[attr-defined]
    print(
        f"{request.max_new_tokens:>6} {len(artifact):>8} {size:>8} "
        f"{100 * t_artifact / t_serve:>14.3f}% {100 * t_proof / t_serve:>11.3f}% "
        f"{100 * t_replay / t_serve:>12.3f}% {100 * t_verify / t_serve:>12.3f}%"
    )
    assert ok, "the honest AETRON replay must pass"
    chunks = len(results)  # type: ignore[arg-type]
    for name, (m, honest) in rows.items():
        failed = sum(not _accepted(r) for r in verify(m))
        tokens_m, artifact_m = (
            (tokens, artifact) if honest else cheats.with_model(m, request, spec.quant_format)
        )
        caught = not replay(model, request, tokens_m, artifact_m, spec=spec)
        entry = detection.setdefault(name, [0, 0, 0, 0, 0])
        entry[0] += failed
        entry[1] += chunks
        entry[2] += int(failed > 0)
        entry[3] += int(caught)
        entry[4] += 1


def main() -> None:
    if toploc is None:
        print(f"TOPLOC is not importable here ({MISSING}); see this script's docstring")
        return
    spec = default_spec()
    configure(spec)
    weights = load_reference_weights("fp32")
    config = replace(weights.config, max_position_embeddings=2048)
    model = LlamaForCausalLM.from_weights(config, weights.dequantized())
    shallow = cheats.skipped_layers(model, {config.num_hidden_layers - 1})
    int4 = LlamaForCausalLM.from_weights(config, load_reference_weights("int4").dequantized())
    down = model.model.layers[2].mlp.down_proj.weight.detach()
    ulp = cheats.other_weights(
        model, {"model.layers.2.mlp.down_proj.weight": torch.nextafter(down, down + 1)}
    )
    print(f"toploc {toploc.__file__}")
    print(
        f"{'tokens':>6} {'AETRON B':>8} {'TOPLOC B':>8} {'artifact/serve':>15} "
        f"{'proof/serve':>12} {'replay/serve':>13} {'verify/serve':>13}"
    )
    detection: dict[str, list[int]] = {}
    for n in (32, 128, 512):
        rows = {
            "honest": (model, True),
            "last layer skipped": (shallow, False),
            "int4 weights": (int4, False),
            "one matrix moved 1 ulp": (ulp, False),
        }
        _compare(model, make_request(PROMPT, max_new_tokens=n, seed=n), rows, detection)
    print("\nRejected, per recomputation (a request is rejected when any of its chunks fails):")
    for name, (failed, chunks, rejected, caught, requests) in detection.items():
        print(
            f"  {name:24s} TOPLOC {failed:3d} of {chunks:3d} chunks, {rejected} of {requests} "
            f"requests; AETRON {caught} of {requests} requests"
        )


if __name__ == "__main__":
    main()
