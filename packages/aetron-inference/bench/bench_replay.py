"""Replay benchmark: where decode and prefill diverge, what replay and artifacts cost, their size.

    uv run python packages/aetron-inference/bench/bench_replay.py [--quick] [--scale]
        [--section N ...] [--toploc-dump DIR]

Sections 1 to 3 run by default; section 4 (about 4 minutes here) with ``--scale`` or
``--section 4``.

1. Divergence. Greedy requests decoded token by token and replayed as one prefill, three ways:
   the textbook way (one row per decode step, keys up to the position), the model's own forward
   (rows padded to ROW_BLOCK, attention over the whole cache), and the row blocks serving and
   replay use. For the textbook way it reports which operation first differs, per position.
2. Cost. The reference model (its trained weights, positions raised to 2048) serves greedy and
   sampled requests of 32 to 1,024 new tokens; each is replayed. It prints replay time over
   serving time, the overhead at 7 % replay sampling, the artifact's share of serving, and
   serving time against the model's own KV-cache decoding.
3. Size. 164 artifact bytes per request against TOPLOC's 258 bytes per 32 tokens.
4. Scale. The reference model's architecture at 0.8 M to 57 M weights (random weights: the
   timing of a float32 matmul does not depend on the values): row-block serving against plain
   decoding, one row per token, and replay against both, to see whether the row blocks' price
   is a small model's artefact.

Every figure is a ratio of times measured in the same run (medians of repeats).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import torch
from aetron_inference import (
    REFERENCE_CONFIG,
    ROW_BLOCK,
    SERVE_BLOCK,
    KVCache,
    LlamaConfig,
    LlamaForCausalLM,
    configure,
    default_spec,
    encode_bytes,
    load_reference_weights,
    make_request,
    random_weights,
    replay,
    serve,
)
from aetron_inference._blocked import _layers
from aetron_inference._commitment import lm_artifact
from aetron_inference._model import rope_tables
from aetron_inference._replay import prefill_logits
from aetron_inference._serve import generate
from aetron_types import ExecutionSpec, InferenceRequest

PROMPT = b"On Saturday morning Iris walked down to the harbour of Morby. "
LENGTHS = (32, 64, 128, 256, 512, 1024)
RATE = 0.07
TOPLOC_BYTES_PER_CHUNK = 258
TOPLOC_CHUNK = 32
SCALE_SEED = b"bench_replay.scale"
SCALE_POSITIONS = 2048


def _rms(x: torch.Tensor, w: torch.Tensor, eps: float) -> torch.Tensor:
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return x * cos + torch.cat((-x[..., half:], x[..., :half]), -1) * sin


def _textbook(
    model: LlamaForCausalLM,
    ids: list[int],
    start: int,
    cache: list[list[torch.Tensor]],
) -> list[tuple[str, torch.Tensor]]:
    """Positions ``start..`` of ``ids`` on top of ``cache`` (the keys and values before them).

    The plain way: no padding, keys exactly up to each position. Returns every operation's
    output in execution order, one row per position.
    """
    config = model.config
    heads, kv, d = config.num_attention_heads, config.num_key_value_heads, config.head_dim
    t = len(ids) - start
    cos, sin = rope_tables(config, torch.float32)
    cos, sin = cos[start : start + t, None], sin[start : start + t, None]
    out: list[tuple[str, torch.Tensor]] = []
    x = model.model.embed_tokens.weight[torch.tensor(ids[start:])]
    out.append(("embed", x))
    for i, layer in enumerate(_layers(model)):
        h = _rms(x, layer.attn_norm.weight, layer.attn_norm.eps)
        q = torch.nn.functional.linear(h, layer.q)
        k = torch.nn.functional.linear(h, layer.k)
        v = torch.nn.functional.linear(h, layer.v)
        out += [(f"L{i}.attn_norm", h), (f"L{i}.q_proj", q), (f"L{i}.k_proj", k)]
        out.append((f"L{i}.v_proj", v))
        q = _rotate(q.view(t, heads, d), cos, sin).transpose(0, 1)
        k = _rotate(k.view(t, kv, d), cos, sin).transpose(0, 1)
        cache[i][0] = torch.cat((cache[i][0], k), 1)
        cache[i][1] = torch.cat((cache[i][1], v.view(t, kv, d).transpose(0, 1)), 1)
        keys = cache[i][0].repeat_interleave(heads // kv, 0)
        values = cache[i][1].repeat_interleave(heads // kv, 0)
        scores = torch.matmul(q, keys.transpose(1, 2)) / d**0.5
        visible = torch.arange(start + t)[None] <= torch.arange(start, start + t)[:, None]
        probs = torch.softmax(scores.masked_fill(~visible, float("-inf")), -1)
        att = torch.matmul(probs, values).transpose(0, 1).reshape(t, heads * d)
        out += [(f"L{i}.scores", scores.transpose(0, 1)), (f"L{i}.softmax", probs.transpose(0, 1))]
        out.append((f"L{i}.attn@v", att))
        x = x + torch.nn.functional.linear(att, layer.o)
        out.append((f"L{i}.o_proj+res", x))
        h = _rms(x, layer.mlp_norm.weight, layer.mlp_norm.eps)
        gate = torch.nn.functional.linear(h, layer.gate)
        up = torch.nn.functional.linear(h, layer.up)
        x = x + torch.nn.functional.linear(torch.nn.functional.silu(gate) * up, layer.down)
        out += [(f"L{i}.mlp_norm", h), (f"L{i}.gate", gate), (f"L{i}.up", up)]
        out.append((f"L{i}.down+res", x))
    x = _rms(x, model.model.norm.weight, model.model.norm.eps)
    out += [
        ("final_norm", x),
        ("lm_head", torch.nn.functional.linear(x, model.model.embed_tokens.weight)),
    ]
    return out


def _empty_cache(model: LlamaForCausalLM) -> list[list[torch.Tensor]]:
    c = model.config
    return [
        [torch.zeros(c.num_key_value_heads, 0, c.head_dim) for _ in range(2)]
        for _ in range(c.num_hidden_layers)
    ]


def divergence(model: LlamaForCausalLM, requests: int) -> None:
    print("## 1. Where decode and prefill diverge (fp32, eager, greedy)")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        first_op: Counter[str] = Counter()
        rows = {"textbook": [0, 0], "model forward": [0, 0], "row blocks": [0, 0]}
        with torch.inference_mode():
            for r in range(requests):
                prompt = encode_bytes(PROMPT[: 8 + 5 * r])
                request = make_request(PROMPT[: 8 + 5 * r], max_new_tokens=24 + 9 * r, seed=0)
                response, blocked = generate(model, prompt, request)
                ids = prompt + response
                replayed = prefill_logits(model, prompt, response)
                rows["row blocks"][0] += int((blocked != replayed).any(1).sum())
                rows["row blocks"][1] += len(response)
                full = _textbook(model, ids[:-1], 0, _empty_cache(model))
                cache = _empty_cache(model)
                # Serving: the prompt in one call, then one call per generated token.
                calls = {len(prompt) - 1: (_textbook(model, prompt, 0, cache), len(prompt) - 1)}
                for p in range(len(prompt), len(ids) - 1):
                    calls[p] = (_textbook(model, ids[: p + 1], p, cache), 0)
                for p, (ops, row) in calls.items():
                    rows["textbook"][1] += 1
                    for (name, whole), (_, served) in zip(full, ops, strict=True):
                        if not torch.equal(whole[p], served[row]):
                            first_op[name.split(".")[-1]] += 1
                            break
                    if not torch.equal(full[-1][1][p], ops[-1][1][row]):
                        rows["textbook"][0] += 1
                capacity = len(ids)
                cache_d = KVCache(model.config, 1, capacity, torch.float32)
                decoded = [model(torch.tensor([prompt]), cache_d)[0, -1]]
                for token in response[:-1]:
                    decoded.append(model(torch.tensor([[token]]), cache_d)[0, -1])
                cache_p = KVCache(model.config, 1, capacity, torch.float32)
                whole = model(torch.tensor([ids[:-1]]), cache_p)[0, len(prompt) - 1 :]
                rows["model forward"][0] += int((torch.stack(decoded) != whole).any(1).sum())
                rows["model forward"][1] += len(response)
        print(f"threads {threads}: response rows whose logits differ between decode and prefill")
        for name, (bad, total) in rows.items():
            print(f"  {name:14s} {bad:5d} of {total:5d} ({100 * bad / total:.1f} %)")
        total = rows["textbook"][1]
        print(f"  textbook, first operation whose output row differs ({total} positions):")
        for name, count in first_op.most_common():
            print(f"    {name:12s} {count:5d} ({100 * count / total:.1f} %)")
    torch.set_num_threads(1)


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cost(model: LlamaForCausalLM, lengths: tuple[int, ...], repeats: int) -> None:
    print(f"\n## 2. Cost (reference model, positions {model.config.max_position_embeddings}, "
          f"SERVE_BLOCK {SERVE_BLOCK}, 1 thread, median of {repeats})")  # fmt: skip
    head = (
        f"{'new tokens':>10} {'mode':>7} {'replay/serve':>13} {'overhead@7%':>12} "
        f"{'artifact/serve':>15} {'serve/own-decode':>17} {'replay/own-decode':>18}"
    )
    print(head)
    for n in lengths:
        for mode, temperature in (("greedy", 0.0), ("sampled", 0.8)):
            request = make_request(PROMPT, max_new_tokens=n, seed=n, temperature=temperature)
            t_serve, t_replay, t_artifact, t_own = _measure(model, request, repeats)
            ratio = t_replay / t_serve
            print(
                f"{n:>10} {mode:>7} {ratio:>13.4f} {100 * RATE * ratio:>11.3f}% "
                f"{100 * t_artifact / t_serve:>14.3f}% {t_serve / t_own:>17.2f} "
                f"{t_replay / t_own:>18.4f}"
            )


def _measure(
    model: LlamaForCausalLM, request: InferenceRequest, repeats: int
) -> tuple[float, float, float, float]:
    """Median seconds to serve, to replay, to build the artifact, and of the model's own decode."""
    spec = default_spec()
    served = serve(model, request, spec=spec)
    tokens = list(served.tokens)
    prompt = encode_bytes(request.prompt)
    logits = prefill_logits(model, prompt, tokens)
    return (
        _median_time(lambda: serve(model, request, spec=spec), repeats),
        _median_time(lambda: replay(model, request, tokens, served.artifact, spec=spec), repeats),
        _median_time(
            lambda: lm_artifact(request, spec.quant_format, prompt, tokens, logits), repeats
        ),
        _median_time(lambda: _own_decode(model, prompt, tokens), repeats),
    )


def _own_decode(model: LlamaForCausalLM, prompt: list[int], tokens: list[int]) -> None:
    """The model's own KV-cache decoding of the same tokens (ROW_BLOCK padding, no artifact)."""
    with torch.inference_mode():
        cache = KVCache(model.config, 1, len(prompt) + len(tokens), torch.float32)
        logits = model(torch.tensor([prompt]), cache)[0, -1]
        for token in tokens[:-1]:
            logits = model(torch.tensor([[token]]), cache)[0, -1]
            logits.argmax()


def size(lengths: tuple[int, ...]) -> None:
    print(
        "\n## 3. Artifact bytes per request (TOPLOC: 258 B per 32 generated tokens + 258 B prefill)"
    )
    print(f"{'new tokens':>10} {'AETRON':>7} {'TOPLOC':>7} {'TOPLOC/AETRON':>14}")
    for n in lengths:
        toploc = TOPLOC_BYTES_PER_CHUNK * (1 + -(-n // TOPLOC_CHUNK))
        print(f"{n:>10} {164:>7} {toploc:>7} {toploc / 164:>14.1f}")


def dump_hidden(model: LlamaForCausalLM, directory: Path, lengths: tuple[int, ...]) -> None:
    """Save final-norm hidden states of serving (decode rows) and replay (prefill rows) in bf16,
    and of a model with one layer dropped, for TOPLOC's own proof code to run on."""
    from aetron_inference import cheats

    directory.mkdir(parents=True, exist_ok=True)
    shallow = cheats.skipped_layers(model, {model.config.num_hidden_layers - 1})
    for n in lengths:
        request = make_request(PROMPT, max_new_tokens=n, seed=n)
        prompt = encode_bytes(request.prompt)
        response, _ = generate(model, prompt, request)
        start = time.perf_counter()
        serve(model, request, spec=default_spec())
        t_serve = time.perf_counter() - start
        states = {}
        for name, m in (("honest", model), ("shallow", shallow)):
            states[name] = _hidden(m, prompt, response)
        torch.save(
            {"prompt_len": len(prompt), "serve_seconds": t_serve, **states},
            directory / f"hidden-{n}.pt",
        )
    print(f"hidden states written to {directory}")


def _hidden(model: LlamaForCausalLM, prompt: list[int], response: list[int]) -> torch.Tensor:
    from aetron_inference._blocked import BlockedForward

    ids = prompt + response[:-1]
    forward = BlockedForward(model, len(ids))
    forward.ids[: len(ids)] = torch.tensor(ids)
    rows = []
    with torch.inference_mode():
        for block in range(forward.blocks):
            rows.append(forward.final_norm(forward.fill_block(block)))
    return torch.cat(rows)[: len(ids)].to(torch.bfloat16)


def _scaled(hidden: int, layers: int) -> LlamaConfig:
    """The reference model's shape at another width and depth: its ratios (MLP 3 times the width,
    two query heads per key head), heads of 64 from width 256 on, its byte vocabulary."""
    heads = max(REFERENCE_CONFIG.num_attention_heads, hidden // 64)
    return replace(
        REFERENCE_CONFIG,
        hidden_size=hidden,
        intermediate_size=3 * hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=heads // 2,
        max_position_embeddings=SCALE_POSITIONS,
    )


# (width, layers, new-token counts in the full run, in a quick one). Only the smallest model
# also serves 1,024 tokens: for the others that would take minutes a repeat on a 2-core CPU.
SCALES = (
    (128, 4, (256, 1024), (256,)),
    (256, 6, (256,), (256,)),
    (512, 8, (256,), (256,)),
    (768, 8, (256,), ()),
)


def _one_row_decode(model: LlamaForCausalLM, prompt: list[int], tokens: list[int]) -> torch.Tensor:
    """Plain KV-cache decoding, as a server free of any agreement rule does it.

    The prompt in one call, then one row per token with attention over exactly the keys up to
    its position: no padding rows, no masked key slots. Returns the logit rows that chose the
    tokens (float32), so that the caller can check it computes what serving computes.
    """
    config = model.config
    heads, kv, d = config.num_attention_heads, config.num_key_value_heads, config.head_dim
    group = heads // kv
    ids = prompt + tokens[:-1]
    cos, sin = rope_tables(config, torch.float32)
    keys = [torch.empty(kv, len(ids), d) for _ in range(config.num_hidden_layers)]
    values = [torch.empty(kv, len(ids), d) for _ in range(config.num_hidden_layers)]
    embed = model.model.embed_tokens.weight
    head = embed if model.lm_head is None else model.lm_head.weight
    layers = _layers(model)
    rows = []
    with torch.inference_mode():
        start, end = 0, len(prompt)
        while end <= len(ids):
            t = end - start
            c, s = cos[start:end, None], sin[start:end, None]
            x = torch.nn.functional.embedding(torch.tensor(ids[start:end]), embed)
            for i, layer in enumerate(layers):
                h = layer.attn_norm(x)
                q = _rotate(torch.nn.functional.linear(h, layer.q).view(t, heads, d), c, s)
                k = _rotate(torch.nn.functional.linear(h, layer.k).view(t, kv, d), c, s)
                v = torch.nn.functional.linear(h, layer.v).view(t, kv, d)
                keys[i][:, start:end] = k.transpose(0, 1)
                values[i][:, start:end] = v.transpose(0, 1)
                # Query heads grouped under their key head: [kv, group * t, d].
                q = q.view(t, kv, group, d).permute(1, 2, 0, 3).reshape(kv, group * t, d)
                scores = torch.matmul(q, keys[i][:, :end].transpose(1, 2)) / d**0.5
                if t > 1:
                    visible = torch.arange(end)[None] <= torch.arange(start, end)[:, None]
                    scores = scores.masked_fill(~visible.repeat(group, 1), float("-inf"))
                att = torch.matmul(torch.softmax(scores, -1), values[i][:, :end])
                att = att.view(kv, group, t, d).permute(2, 0, 1, 3).reshape(t, heads * d)
                x = x + torch.nn.functional.linear(att, layer.o)
                h = layer.mlp_norm(x)
                gated = torch.nn.functional.silu(torch.nn.functional.linear(h, layer.gate))
                gated = gated * torch.nn.functional.linear(h, layer.up)
                x = x + torch.nn.functional.linear(gated, layer.down)
            logits = torch.nn.functional.linear(model.model.norm(x[-1:]), head)[0]
            logits.argmax()  # the greedy choice a decoder makes, timed as serving's is
            rows.append(logits)
            start, end = end, end + 1
    return torch.stack(rows)


def scale(quick: bool) -> None:
    repeats = 1 if quick else 3
    began = time.perf_counter()
    print(
        f"\n## 4. Scale (random weights, float32, vocabulary {REFERENCE_CONFIG.vocab_size}, "
        f"positions {SCALE_POSITIONS}, SERVE_BLOCK {SERVE_BLOCK}, 1 thread, greedy, "
        f"median of {repeats})"
    )
    print(
        "Random weights time as trained ones do (a float32 matmul's time does not depend on "
        "the values).\n1-row: plain KV-cache decoding, one row per token, keys up to the "
        f"position; own: the model's own decoding ({ROW_BLOCK}-row padding, whole-cache "
        "attention).\nserve/1-row: median, then the range over repeats; @7%: replay at 7 % "
        "sampling, as a share of serving, of 1-row and of own decoding."
    )
    print(
        f"{'weights':>8} {'shape':>8} {'tokens':>6} {'serve/1-row':>18} {'serve/own':>9} "
        f"{'replay/serve':>12} {'@7% serve':>9} {'@7% 1-row':>9} {'@7% own':>8}"
    )
    torch.set_num_threads(1)
    spec = default_spec()
    for hidden, layers, full, short in SCALES:
        lengths = short if quick else full
        if not lengths:
            continue
        config = _scaled(hidden, layers)
        model = LlamaForCausalLM.from_weights(config, random_weights(config, SCALE_SEED))
        for n in lengths:
            serve_t, replay_t, own_t, row_t = _measure_scale(model, n, repeats, spec)
            per_repeat = [a / b for a, b in zip(serve_t, row_t, strict=True)]
            t_serve, t_replay, t_own, t_row = (
                statistics.median(t) for t in (serve_t, replay_t, own_t, row_t)
            )
            spread = f"({min(per_repeat):.2f}-{max(per_repeat):.2f})"
            print(
                f"{config.parameter_count() / 1e6:>7.1f}M {f'{hidden}x{layers}':>8} {n:>6} "
                f"{t_serve / t_row:>6.2f} {spread:>11} {t_serve / t_own:>9.2f} "
                f"{t_replay / t_serve:>12.4f} {100 * RATE * t_replay / t_serve:>8.3f}% "
                f"{100 * RATE * t_replay / t_row:>8.3f}% {100 * RATE * t_replay / t_own:>7.3f}%",
                flush=True,
            )
        del model
    print(f"(section 4 took {time.perf_counter() - began:.0f} s)")


def _measure_scale(
    model: LlamaForCausalLM, n: int, repeats: int, spec: ExecutionSpec
) -> list[list[float]]:
    """Seconds, per repeat, to serve ``n`` tokens, to replay them, to decode them the model's
    own way and one row at a time.

    The four are interleaved repeat by repeat, so that a change in the machine's load falls on
    all of them; each serve also gives the tokens the others process.
    """
    request = make_request(PROMPT, max_new_tokens=n, seed=n)
    prompt = encode_bytes(request.prompt)
    times: list[list[float]] = [[], [], [], []]
    for _ in range(repeats):
        start = time.perf_counter()
        served = serve(model, request, spec=spec)
        times[0].append(time.perf_counter() - start)
        tokens = list(served.tokens)
        if len(tokens) != n:
            raise SystemExit(f"the response stopped at {len(tokens)} of {n} tokens")
        start = time.perf_counter()
        accepted = replay(model, request, tokens, served.artifact, spec=spec)
        times[1].append(time.perf_counter() - start)
        start = time.perf_counter()
        _own_decode(model, prompt, tokens)
        times[2].append(time.perf_counter() - start)
        start = time.perf_counter()
        plain = _one_row_decode(model, prompt, tokens)
        times[3].append(time.perf_counter() - start)
        if not accepted:
            raise SystemExit("the replay rejected an honest response")
        # The plain decoder must compute what serving computes, or its time says nothing.
        blocked = torch.from_numpy(prefill_logits(model, prompt, tokens))
        if not torch.allclose(plain, blocked, rtol=1e-3, atol=1e-4):
            raise SystemExit("1-row decoding computes other logits than serving")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, lengths and sizes")
    parser.add_argument(
        "--section",
        type=int,
        action="append",
        choices=(1, 2, 3, 4),
        help="run only these sections (repeatable; default 1 to 3)",
    )
    parser.add_argument("--scale", action="store_true", help="also run section 4 (minutes)")
    parser.add_argument("--toploc-dump", type=Path, help="also save hidden states for TOPLOC")
    args = parser.parse_args()
    sections = set(args.section or (1, 2, 3)) | ({4} if args.scale else set())
    spec = default_spec()
    weights = load_reference_weights("fp32")
    model = LlamaForCausalLM.from_weights(
        replace(weights.config, max_position_embeddings=2048), weights.dequantized()
    )
    configure(spec)
    print(f"ROW_BLOCK (model forward) {ROW_BLOCK}, SERVE_BLOCK (serving and replay) {SERVE_BLOCK}")
    if 1 in sections:
        divergence(model, 3 if args.quick else 8)
    torch.set_num_threads(1)
    if 2 in sections:
        lengths = LENGTHS[:4] if args.quick else LENGTHS
        cost(model, lengths, 1 if args.quick else 3)
    if 3 in sections:
        size(LENGTHS)
    if 4 in sections:
        scale(args.quick)
    if args.toploc_dump:
        dump_hidden(model, args.toploc_dump, (32, 256))


if __name__ == "__main__":
    main()
