"""Decode against prefill on this machine's default platform (its accelerator if it has one).

    uv run python packages/aetron-inference/bench/replay_agreement.py [--requests N]

For float32 and bfloat16 compute with eager attention it serves N varied requests and counts
the response rows whose logits differ between token-by-token decoding and the replay's single
prefill, for the row blocks serving and replay use and for the model's own forward (KV cache of
the same capacity), and how many replays pass.
"""

from __future__ import annotations

import argparse
import random

import torch
from aetron_inference import (
    KVCache,
    LlamaForCausalLM,
    configure,
    default_spec,
    encode_bytes,
    load_reference_weights,
    make_request,
    replay,
    serve,
)
from aetron_inference._replay import prefill_logits
from aetron_inference._serve import generate
from aetron_types import InferenceRequest

TEXT = b"On Saturday morning Iris walked down to the harbour of Morby. The bridge over the Arle "


def _own_rows(model: LlamaForCausalLM, prompt: list[int], response: list[int]) -> int:
    """Rows of the model's own forward that differ between decoding and one prefill."""
    device = model.model.embed_tokens.weight.device
    dtype = model.model.embed_tokens.weight.dtype
    capacity = len(prompt) + len(response)
    with torch.inference_mode():
        cache = KVCache(model.config, 1, capacity, dtype, device)
        rows = [model(torch.tensor([prompt], device=device), cache)[0, -1]]
        for token in response[:-1]:
            rows.append(model(torch.tensor([[token]], device=device), cache)[0, -1])
        fresh = KVCache(model.config, 1, capacity, dtype, device)
        ids = torch.tensor([prompt + response[:-1]], device=device)
        whole = model(ids, fresh)[0, len(prompt) - 1 :]
    return int((torch.stack(rows) != whole).any(1).sum())


def _request(rng: random.Random) -> InferenceRequest:
    start = rng.randrange(len(TEXT))
    return make_request(
        (TEXT * 3)[start : start + rng.choice([1, 20, 63, 64, 150])],
        max_new_tokens=rng.choice([5, 40, 64, 65, 130]),
        seed=rng.randrange(2**64),
        temperature=rng.choice([0.0, 0.7, 1.0]),
        top_p=rng.choice([1.0, 0.9]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    for dtype in ("fp32", "bf16"):
        spec = default_spec(compute_dtype=dtype)
        runtime = configure(spec)
        model = load_reference_weights("fp32").build(runtime)
        rng = random.Random(1)
        rows = blocks_differ = own_differ = passed = 0
        for _ in range(args.requests):
            request = _request(rng)
            prompt = encode_bytes(request.prompt)
            response, decoded = generate(model, prompt, request)
            replayed = prefill_logits(model, prompt, response)
            rows += len(response)
            blocks_differ += int((decoded != replayed).any(1).sum())
            own_differ += _own_rows(model, prompt, response)
            served = serve(model, request, spec=spec)
            passed += replay(model, request, served.tokens, served.artifact, spec=spec)
        print(
            f"{spec.hardware_arch.value} ({runtime.platform.detail}), torch {spec.torch_version}, "
            f"{dtype}: rows differing, row blocks {blocks_differ} of {rows}, model forward "
            f"{own_differ} of {rows}; replays passing {passed} of {args.requests}"
        )


if __name__ == "__main__":
    main()
