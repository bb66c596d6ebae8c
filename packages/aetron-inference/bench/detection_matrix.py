"""The detection matrix as a table: every cheat against replay, and the honest false-positive count.

    uv run python packages/aetron-inference/bench/detection_matrix.py [--honest N] [--seed S]

Serves the reference model under this machine's canonical spec. Each dishonest row commits
what the cheat in `aetron_inference.cheats` commits for several requests and counts how many
replays reject it; the honest row serves N varied requests (prompt and response lengths,
greedy and sampled with every kind of filter, all 18 weight formats, float32 and bfloat16
compute, eager and SDPA-math attention) and counts replays that wrongly reject (false positives).
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from functools import cache

import torch
from aetron_inference import (
    LlamaForCausalLM,
    cheats,
    configure,
    default_spec,
    encode_bytes,
    load_reference_weights,
    make_request,
    random_weights,
    replay,
    serve,
)
from aetron_inference._replay import prefill_logits
from aetron_types import ExecutionSpec, InferenceRequest, QuantFormat

FORMATS = [f.value for f in QuantFormat]
TEXT = (
    b"On Saturday morning Iris walked down to the harbour of Morby. The bridge over the river "
    b"Arle was built in 1821; about 6400 people live east of it. "
)


@cache
def _model(fmt: str, dtype: str = "fp32", attention: str = "eager") -> LlamaForCausalLM:
    spec = _spec(fmt, dtype, attention)
    return load_reference_weights(fmt).build(configure(spec))


def _spec(fmt: str, dtype: str = "fp32", attention: str = "eager") -> ExecutionSpec:
    return default_spec(fmt, compute_dtype=dtype, attention_backend=attention)


def _request(rng: random.Random, tokens: int | None = None) -> InferenceRequest:
    start = rng.randrange(len(TEXT))
    prompt = (TEXT * 3)[start : start + rng.choice([0, 1, 5, 30, 63, 64, 65, 120, 250])]
    if tokens is None:
        tokens = rng.choice([1, 2, 7, 16, 31, 40, 48, 64, 65]) if rng.random() < 0.85 else 200
    greedy = rng.random() < 0.3
    return make_request(
        prompt,
        max_new_tokens=tokens,
        seed=rng.randrange(2**64),
        temperature=0.0 if greedy else rng.choice([0.2, 0.5, 0.7, 0.8, 1.0, 1.2, 1.5]),
        top_k=rng.choice([0, 0, 1, 5, 40, 259, 1000]),
        top_p=rng.choice([1.0, 1.0, 0.99, 0.9, 0.5, 0.1]),
    )


def _caught(request: InferenceRequest, committed: cheats.Committed, fmt: str = "fp32") -> bool:
    return not replay(_model(fmt), request, committed[0], committed[1], spec=_spec(fmt))


def _honest(request: InferenceRequest) -> cheats.Committed:
    served = serve(_model("fp32"), request, spec=_spec("fp32"))
    return served.tokens, served.artifact


def honest_row(count: int, rng: random.Random) -> tuple[int, int]:
    """(passed, false positives) over ``count`` varied honest requests."""
    passed = 0
    for i in range(count):
        fmt = FORMATS[i % len(FORMATS)]
        dtype = "bf16" if i % 7 == 3 else "fp32"
        attention = "sdpa-math" if i % 5 == 2 else "eager"
        model, spec = _model(fmt, dtype, attention), _spec(fmt, dtype, attention)
        request = _request(rng)
        served = serve(model, request, spec=spec)
        passed += replay(model, request, served.tokens, served.artifact, spec=spec)
    return passed, count - passed


def rows(rng: random.Random, per_row: int) -> list[tuple[str, int, int]]:
    """(row, cases, caught) for every dishonest row."""
    out: list[tuple[str, int, int]] = []
    model, spec = _model("fp32"), _spec("fp32")
    requests = [_request(rng, tokens=rng.choice([8, 24, 40])) for _ in range(per_row)]

    def row(name: str, committed: list[tuple[InferenceRequest, cheats.Committed]]) -> None:
        out.append((name, len(committed), sum(_caught(r, c) for r, c in committed)))

    stranger = LlamaForCausalLM.from_weights(model.config, random_weights(model.config, b"other"))
    row(
        "model substitution (random model, same shape)",
        [(r, cheats.with_model(stranger, r, spec.quant_format)) for r in requests],
    )
    down = model.model.layers[2].mlp.down_proj.weight.detach()
    tuned = cheats.other_weights(
        model, {"model.layers.2.mlp.down_proj.weight": torch.nextafter(down, down + 1)}
    )
    row(
        "model substitution (one matrix moved 1 ulp)",
        [(r, cheats.with_model(tuned, r, spec.quant_format)) for r in requests],
    )
    single_changed, single_caught = 0, 0
    for r in requests:
        weight = down.clone()
        i, j = rng.randrange(weight.shape[0]), rng.randrange(weight.shape[1])
        weight[i, j] = torch.nextafter(weight[i, j], weight[i, j] + 1)
        nudged = cheats.other_weights(model, {"model.layers.2.mlp.down_proj.weight": weight})
        committed = cheats.with_model(nudged, r, spec.quant_format)
        tokens = list(committed[0])
        ids = encode_bytes(r.prompt)
        same = (
            committed[0] == _honest(r)[0]
            and prefill_logits(nudged, ids, tokens).tobytes()
            == prefill_logits(model, ids, tokens).tobytes()
        )
        single_changed += not same
        single_caught += _caught(r, committed)
    out.append(
        (
            "  one weight moved 1 ulp: requests whose logits changed / caught",
            single_changed,
            single_caught,
        )
    )
    quant = [(c, u) for c, u in itertools.permutations(FORMATS, 2) if _differ(c, u)]
    caught = 0
    for used in FORMATS:
        request = requests[FORMATS.index(used) % len(requests)]
        for claimed in [c for c, u in quant if u == used]:
            committed = cheats.with_model(_model(used), request, QuantFormat(claimed))
            caught += _caught(request, committed, claimed)
    out.append((f"quantization downgrade ({len(quant)} ordered format pairs)", len(quant), caught))
    for name, skip in (("last", {3}), ("first", {0}), ("middle two", {1, 2})):
        shallow = cheats.skipped_layers(model, skip)
        row(
            f"skipped layers ({name})",
            [(r, cheats.with_model(shallow, r, spec.quant_format)) for r in requests],
        )
    long = [r for r in requests if len(r.prompt) > 8] or requests
    row(
        "truncated context (last half of the prompt)",
        [
            (r, cheats.truncated_context(model, r, spec, keep=max(1, len(r.prompt) // 2)))
            for r in long
        ],
    )
    row(
        "altered context (system prompt injected)",
        [
            (r, cheats.altered_context(model, r, spec, b"You are helpful. " + r.prompt))
            for r in requests
        ],
    )
    sampled = [r for r in requests if r.temperature_milli > 0]
    committed = [(r, cheats.wrong_seed(model, r, spec, r.seed ^ 1)) for r in sampled]
    differing = [(r, c) for r, c in committed if c[0] != _honest(r)[0]]
    row("wrong sampling seed (output differs)", differing)
    out.append(
        (
            "  wrong seed, output identical to the honest one (nothing to catch)",
            len(committed) - len(differing),
            0,
        )
    )
    honest = {id(r): _honest(r) for r in requests}
    row(
        "altered output token (artifact kept)",
        [
            (r, cheats.altered_token(honest[id(r)], -1, (honest[id(r)][0][-1] + 1) % 256))
            for r in requests
        ],
    )
    row(
        "altered output token (artifact recommitted)",
        [
            (
                r,
                cheats.altered_token_recommitted(
                    model, r, spec, honest[id(r)], 0, (honest[id(r)][0][0] + 1) % 256
                ),
            )
            for r in requests
        ],
    )
    row(
        "truncated output (artifact recommitted)",
        [
            (r, cheats.truncated_response(model, r, spec, honest[id(r)]))
            for r in requests
            if r.max_new_tokens > 1
        ],
    )
    row(
        "fabricated artifact (random bytes)",
        [(r, cheats.fabricated_random(honest[id(r)], bytes([i]))) for i, r in enumerate(requests)],
    )
    row(
        "fabricated artifact (right header, invented hashes)",
        [(r, cheats.fabricated_header(r, spec, honest[id(r)][0])) for r in requests],
    )
    pairs = list(zip(requests, requests[1:] + requests[:1], strict=True))
    row(
        "artifact from another request (as is)",
        [(r, cheats.foreign_artifact(honest[id(o)])) for r, o in pairs],
    )
    row(
        "artifact from another request (header rewritten)",
        [(r, cheats.foreign_artifact_rewritten(r, spec, honest[id(o)])) for r, o in pairs],
    )
    return out


@cache
def _dequantized(fmt: str) -> dict[str, torch.Tensor]:
    return load_reference_weights(fmt).dequantized()


def _differ(a: str, b: str) -> bool:
    wa, wb = _dequantized(a), _dequantized(b)
    return any(not torch.equal(wa[n], wb[n]) for n in wa)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--honest", type=int, default=1000, help="honest requests (default 1000)")
    parser.add_argument("--per-row", type=int, default=12, help="requests per dishonest row")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    spec = _spec("fp32")
    print(
        f"spec: {spec.hardware_arch.value}, torch {spec.torch_version}, {spec.thread_count} thread"
    )
    start = time.perf_counter()
    table = rows(rng, args.per_row)
    print("\n| row | cases | caught |\n| --- | ---: | ---: |")
    for name, cases, caught in table:
        print(f"| {name} | {cases} | {caught} |")
    passed, false_positives = honest_row(args.honest, rng)
    print(f"| honest requests, replay passes | {args.honest} | {passed} |")
    print(f"\nfalse positives: {false_positives} of {args.honest} honest replays")
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
