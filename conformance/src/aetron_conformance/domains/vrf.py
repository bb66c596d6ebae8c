"""VRF vectors: RFC 9381's edwards25519 examples, one case per rejection rule, the proofs RFC 9381
accepts besides the honest one, and the replay sortition.

Handlers (byte strings are ``0x`` hex; ``suite`` is an RFC 9381 suite name such as
``"ECVRF-EDWARDS25519-SHA512-TAI"``):

``ecvrf.public_key``
    input ``{"suite", "sk"}``; output ``{"pk"}``.
``ecvrf.prove``
    input ``{"suite", "sk", "alpha"}``; output ``{"pi"}``.
``ecvrf.verify``
    input ``{"suite", "pk", "alpha", "pi"}``; output ``{"beta"}``.
``ecvrf.proof_to_hash``
    input ``{"suite", "pi"}``; output ``{"beta"}``.
``sortition.replay_alpha``
    input ``{"neuronet_id", "epoch" (decimal string), "batch_root"}``; output ``{"alpha"}``.
``sortition.replay_set``
    input ``{"beta", "request_count", "rate_bps"}``; output ``{"indices": [...]}``.
``sortition.pick_replayer``
    input ``{"beta", "index", "serving", "roster": [{"miner", "weight" (decimal string)}],
    "vetoed": [...]}``; output ``{"replayer"}``.
``sortition.pick_arbiter``
    the same plus ``"replayer"``; output ``{"arbiter"}``.

Expected values are computed by ``aetron_vrf``, except the RFC 9381 examples, which are the
RFC's own values (appendix B.3 and B.4) and which the package is checked against here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import aetron_vrf
from aetron_vrf import Suite, reference, sortition

from .._vector import HandlerError, Vector

DOMAIN = "vrf"
_GENERATOR = "aetron_conformance.domains.vrf"
_SPEC = "specs/vrf.md"
_RFC = "RFC 9381 (https://www.rfc-editor.org/rfc/rfc9381), appendix {appendix}, example {example}"

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_TAI, _ELL2 = Suite.EDWARDS25519_SHA512_TAI, Suite.EDWARDS25519_SHA512_ELL2


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def _unhex(value: str) -> bytes:
    return bytes.fromhex(value.removeprefix("0x"))


def _suite(name: str) -> Suite:
    try:
        return Suite(name)
    except ValueError:
        raise HandlerError("VRF.UNKNOWN_SUITE", f"no ciphersuite named {name!r}") from None


def _h(label: str, size: int = 32) -> bytes:
    """Deterministic example bytes, different for every label."""
    return hashlib.shake_256(label.encode()).digest(size)


def _encoding(y: int, sign: int = 0) -> bytes:
    return (y | sign << 255).to_bytes(32, "little")


def _secret_scalar(sk: bytes) -> int:
    """RFC 8032's clamped secret scalar x, with public key x*B."""
    x = int.from_bytes(hashlib.sha512(sk).digest()[:32], "little")
    return x & (1 << 254) - 8 | 1 << 254


# --- RFC 9381 examples 16 to 21 ------------------------------------------------------------

_RFC_KEYS = (
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
    ),
    (
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
    ),
)
# (example, appendix, suite, key index, pi, beta); SK, PK and alpha come from _RFC_KEYS.
_RFC_EXAMPLES = (
    (
        16,
        "B.3",
        _TAI,
        0,
        "8657106690b5526245a92b003bb079ccd1a92130477671f6fc01ad16f26f723f26f8a57ccaed74ee1b190bed1f"
        "479d9727d2d0f9b005a6e456a35d4fb0daab1268a1b0db10836d9826a528ca76567805",
        "90cf1df3b703cce59e2a35b925d411164068269d7b2d29f3301c03dd757876ff66b71dda49d2de59d0345045"
        "1af026798e8f81cd2e333de5cdf4f3e140fdd8ae",
    ),
    (
        17,
        "B.3",
        _TAI,
        1,
        "f3141cd382dc42909d19ec5110469e4feae18300e94f304590abdced48aed5933bf0864a62558b3ed7f2fea45c"
        "92a465301b3bbf5e3e54ddf2d935be3b67926da3ef39226bbc355bdc9850112c8f4b02",
        "eb4440665d3891d668e7e0fcaf587f1b4bd7fbfe99d0eb2211ccec90496310eb5e33821bc613efb94db5e5b5"
        "4c70a848a0bef4553a41befc57663b56373a5031",
    ),
    (
        18,
        "B.3",
        _TAI,
        2,
        "9bc0f79119cc5604bf02d23b4caede71393cedfbb191434dd016d30177ccbf8096bb474e53895c362d8628ee9f"
        "9ea3c0e52c7a5c691b6c18c9979866568add7a2d41b00b05081ed0f58ee5e31b3a970e",
        "645427e5d00c62a23fb703732fa5d892940935942101e456ecca7bb217c61c452118fec1219202a0edcf038b"
        "b6373241578be7217ba85a2687f7a0310b2df19f",
    ),
    (
        19,
        "B.4",
        _ELL2,
        0,
        "7d9c633ffeee27349264cf5c667579fc583b4bda63ab71d001f89c10003ab46f14adf9a3cd8b8412d9038531e8"
        "65c341cafa73589b023d14311c331a9ad15ff2fb37831e00f0acaa6d73bc9997b06501",
        "9d574bf9b8302ec0fc1e21c3ec5368269527b87b462ce36dab2d14ccf80c53cccf6758f058c5b1c856b11638"
        "8152bbe509ee3b9ecfe63d93c3b4346c1fbc6c54",
    ),
    (
        20,
        "B.4",
        _ELL2,
        1,
        "47b327393ff2dd81336f8a2ef10339112401253b3c714eeda879f12c509072ef055b48372bb82efbdce8e10c8c"
        "b9a2f9d60e93908f93df1623ad78a86a028d6bc064dbfc75a6a57379ef855dc6733801",
        "38561d6b77b71d30eb97a062168ae12b667ce5c28caccdf76bc88e093e4635987cd96814ce55b4689b3dd294"
        "7f80e59aac7b7675f8083865b46c89b2ce9cc735",
    ),
    (
        21,
        "B.4",
        _ELL2,
        2,
        "926e895d308f5e328e7aa159c06eddbe56d06846abf5d98c2512235eaa57fdce35b46edfc655bc828d44ad09d1"
        "150f31374e7ef73027e14760d42e77341fe05467bb286cc2c9d7fde29120a0b2320d04",
        "121b7f9b9aaaa29099fc04a94ba52784d44eac976dd1a3cca458733be5cd090a7b5fbd148444f17f8daf1fb5"
        "5cb04b1ae85a626e30a54b4b0f8abf4a43314a58",
    ),
)


def _rfc_examples() -> Iterator[Vector]:
    for example, appendix, suite, key, pi_hex, beta_hex in _RFC_EXAMPLES:
        sk, pk, alpha = (bytes.fromhex(value) for value in _RFC_KEYS[key])
        pi, beta = bytes.fromhex(pi_hex), bytes.fromhex(beta_hex)
        # The vectors carry the RFC's values; the package must reproduce them to publish them.
        assert aetron_vrf.public_key(sk) == pk and aetron_vrf.prove(sk, alpha, suite=suite) == pi
        assert aetron_vrf.verify(pk, alpha, pi, suite=suite) == beta
        source = _RFC.format(appendix=appendix, example=example)
        name = suite.value
        common: dict[str, Any] = {"spec": _SPEC, "generator": _GENERATOR, "source": source}
        yield Vector(
            id=f"vrf/rfc9381/example{example}_public_key",
            handler="ecvrf.public_key",
            description=f"RFC 9381 example {example} ({name}): the public key of SK.",
            input={"suite": name, "sk": _hex(sk)},
            expected=Vector.valid({"pk": _hex(pk)}),
            **common,
        )
        yield Vector(
            id=f"vrf/rfc9381/example{example}_prove",
            handler="ecvrf.prove",
            description=f"RFC 9381 example {example} ({name}): the proof of alpha under SK.",
            input={"suite": name, "sk": _hex(sk), "alpha": _hex(alpha)},
            expected=Vector.valid({"pi": _hex(pi)}),
            **common,
        )
        yield Vector(
            id=f"vrf/rfc9381/example{example}_verify",
            handler="ecvrf.verify",
            description=f"RFC 9381 example {example} ({name}): the proof verifies and gives beta.",
            input={"suite": name, "pk": _hex(pk), "alpha": _hex(alpha), "pi": _hex(pi)},
            expected=Vector.valid({"beta": _hex(beta)}),
            **common,
        )
        yield Vector(
            id=f"vrf/rfc9381/example{example}_proof_to_hash",
            handler="ecvrf.proof_to_hash",
            description=f"RFC 9381 example {example} ({name}): beta from the proof alone.",
            input={"suite": name, "pi": _hex(pi)},
            expected=Vector.valid({"beta": _hex(beta)}),
            **common,
        )


# --- Verification: every rejection rule, and the proofs RFC 9381 accepts -------------------

_SK = _h("vrf/key")
_PK = aetron_vrf.public_key(_SK)
_ALPHA = b"AETRON conformance"
_SMALL_ORDER = [
    reference.encode_point(reference.point_mul(j, reference.TORSION_GENERATOR)) for j in range(8)
]
# y = p + 3 has a lenient reading: y = 3 is on the curve, and libsodium's add accepts it.
_NON_CANONICAL = _encoding(_P + 3)
_NEGATIVE_ZERO = _encoding(1, 1)
_OFF_CURVE = _encoding(2)


def _verify_outcome(suite: Suite, pk: bytes, alpha: bytes, pi: bytes) -> dict[str, Any]:
    try:
        beta = aetron_vrf.verify(pk, alpha, pi, suite=suite)
    except aetron_vrf.InvalidProof as exc:
        return Vector.invalid(exc.code)
    return Vector.valid({"beta": _hex(beta)})


def _with_s(pi: bytes, s: int) -> bytes:
    return pi[:48] + s.to_bytes(32, "little")


def _verify_cases(suite: Suite) -> Iterator[tuple[str, str, bytes, bytes, bytes]]:
    """(case, description, pk, alpha, pi) for one suite."""
    pi = aetron_vrf.prove(_SK, _ALPHA, suite=suite)
    s = int.from_bytes(pi[48:], "little")
    yield "honest", "An honest proof verifies and gives beta.", _PK, _ALPHA, pi
    x = _secret_scalar(_SK)
    _, torsion_pi = reference.prove_nonstandard(x, _ALPHA, suite=suite, nonce=1, gamma_torsion=1)
    yield (
        "torsion_in_gamma",
        "Gamma plus a point of order 8, built by the key holder, verifies with the honest beta.",
        _PK,
        _ALPHA,
        torsion_pi,
    )
    _, zero_nonce_pi = reference.prove_nonstandard(x, _ALPHA, suite=suite, nonce=0)
    yield (
        "zero_nonce",
        "The proof with nonce k = 0 (U and V the identity) verifies with the honest beta.",
        _PK,
        _ALPHA,
        zero_nonce_pi,
    )
    mixed_pk, mixed_pi = reference.prove_nonstandard(x, _ALPHA, suite=suite, nonce=1, key_torsion=1)
    yield (
        "mixed_order_public_key",
        "A key outside the prime-order subgroup but not of small order passes validate_key.",
        mixed_pk,
        _ALPHA,
        mixed_pi,
    )
    yield (
        "invalid_public_key_length",
        "A 31-byte public key is rejected.",
        _PK[:31],
        _ALPHA,
        pi,
    )
    yield (
        "invalid_public_key_not_canonical",
        "A public key with y = p + 3 (>= p) is rejected, though y = 3 is on the curve.",
        _NON_CANONICAL,
        _ALPHA,
        pi,
    )
    yield (
        "invalid_public_key_negative_zero",
        "A public key with x = 0 and the sign bit set is rejected.",
        _NEGATIVE_ZERO,
        _ALPHA,
        pi,
    )
    yield (
        "invalid_public_key_not_on_curve",
        "A public key with y = 2, for which no x exists, is rejected.",
        _OFF_CURVE,
        _ALPHA,
        pi,
    )
    for order, j in ((1, 0), (2, 4), (4, 2), (8, 1)):
        yield (
            f"invalid_public_key_small_order_{order}",
            f"A public key of order {order} fails validate_key.",
            _SMALL_ORDER[j],
            _ALPHA,
            pi,
        )
    yield "invalid_proof_short", "A 79-byte proof is rejected.", _PK, _ALPHA, pi[:79]
    yield "invalid_proof_long", "An 81-byte proof is rejected.", _PK, _ALPHA, pi + b"\x00"
    yield (
        "invalid_gamma_not_canonical",
        "Gamma with y = p + 3 (>= p) is rejected.",
        _PK,
        _ALPHA,
        _NON_CANONICAL + pi[32:],
    )
    yield (
        "invalid_gamma_negative_zero",
        "Gamma with x = 0 and the sign bit set is rejected.",
        _PK,
        _ALPHA,
        _NEGATIVE_ZERO + pi[32:],
    )
    yield (
        "invalid_gamma_not_on_curve",
        "Gamma with y = 2, for which no x exists, is rejected.",
        _PK,
        _ALPHA,
        _OFF_CURVE + pi[32:],
    )
    yield (
        "invalid_s_plus_q",
        "The honest proof with s + q in place of s is rejected (s must be below q).",
        _PK,
        _ALPHA,
        _with_s(pi, s + _Q),
    )
    yield (
        "invalid_s_all_ones",
        "A proof with s = 2^256 - 1 is rejected.",
        _PK,
        _ALPHA,
        _with_s(pi, 2**256 - 1),
    )
    yield (
        "invalid_wrong_alpha",
        "An honest proof does not verify for another alpha.",
        _PK,
        _ALPHA + b"!",
        pi,
    )
    yield (
        "invalid_wrong_key",
        "An honest proof does not verify under another key.",
        aetron_vrf.public_key(_h("vrf/other key")),
        _ALPHA,
        pi,
    )
    yield (
        "invalid_flipped_c",
        "Flipping the lowest bit of c makes the challenge mismatch.",
        _PK,
        _ALPHA,
        pi[:32] + bytes([pi[32] ^ 1]) + pi[33:],
    )
    yield (
        "invalid_flipped_s",
        "Changing s to s + 1 makes the challenge mismatch.",
        _PK,
        _ALPHA,
        _with_s(pi, (s + 1) % _Q),
    )
    yield (
        "invalid_gamma_identity",
        "Gamma replaced by the identity decodes but makes the challenge mismatch.",
        _PK,
        _ALPHA,
        _SMALL_ORDER[0] + pi[32:],
    )
    yield (
        "invalid_zero_scalars",
        "A proof with c = 0 and s = 0 decodes but does not verify.",
        _PK,
        _ALPHA,
        pi[:32] + bytes(48),
    )


def _verify_vectors() -> Iterator[Vector]:
    for suite, group in ((_TAI, "verify_tai"), (_ELL2, "verify_ell2")):
        for case, description, pk, alpha, pi in _verify_cases(suite):
            yield Vector(
                id=f"vrf/{group}/{case}",
                handler="ecvrf.verify",
                description=description,
                input={"suite": suite.value, "pk": _hex(pk), "alpha": _hex(alpha), "pi": _hex(pi)},
                expected=_verify_outcome(suite, pk, alpha, pi),
                spec=f"{_SPEC}#verify",
                generator=_GENERATOR,
            )
    yield Vector(
        id="vrf/verify_tai/invalid_unknown_suite",
        handler="ecvrf.verify",
        description="A suite this chapter does not define is refused.",
        input={
            "suite": "ECVRF-P256-SHA256-TAI",
            "pk": _hex(_PK),
            "alpha": _hex(_ALPHA),
            "pi": _hex(aetron_vrf.prove(_SK, _ALPHA)),
        },
        expected=Vector.invalid("VRF.UNKNOWN_SUITE"),
        spec=f"{_SPEC}#suites",
        generator=_GENERATOR,
    )


def _proof_to_hash_vectors() -> Iterator[Vector]:
    pi = aetron_vrf.prove(_SK, _ALPHA)
    cases = (
        ("honest", "beta of an honest proof.", pi),
        (
            "unverified",
            "proof_to_hash does not verify: a proof with a wrong c still has a beta.",
            pi[:32] + bytes(16) + pi[48:],
        ),
        ("invalid_proof_short", "A 79-byte proof is rejected.", pi[:79]),
        (
            "invalid_gamma_not_canonical",
            "Gamma with y = p + 3 is rejected.",
            _NON_CANONICAL + pi[32:],
        ),
        (
            "invalid_gamma_negative_zero",
            "Gamma with x = 0 and the sign bit set is rejected.",
            _NEGATIVE_ZERO + pi[32:],
        ),
        ("invalid_gamma_not_on_curve", "Gamma with y = 2 is rejected.", _OFF_CURVE + pi[32:]),
        ("invalid_s_out_of_range", "s = q is rejected.", _with_s(pi, _Q)),
    )
    for case, description, proof in cases:
        try:
            expected = Vector.valid({"beta": _hex(aetron_vrf.proof_to_hash(proof))})
        except aetron_vrf.InvalidProof as exc:
            expected = Vector.invalid(exc.code)
        yield Vector(
            id=f"vrf/proof_to_hash/{case}",
            handler="ecvrf.proof_to_hash",
            description=description,
            input={"suite": _TAI.value, "pi": _hex(proof)},
            expected=expected,
            spec=f"{_SPEC}#proof_to_hash",
            generator=_GENERATOR,
        )


def _prove_vectors() -> Iterator[Vector]:
    alpha = sortition.replay_alpha(_h("vrf/neuronet"), 7, _h("vrf/root"))
    for suite in (_TAI, _ELL2):
        for case, message in (("empty_alpha", b""), ("replay_alpha", alpha)):
            short = "tai" if suite is _TAI else "ell2"
            yield Vector(
                id=f"vrf/prove/{short}_{case}",
                handler="ecvrf.prove",
                description=f"The {suite.value} proof of a {len(message)}-byte alpha.",
                input={"suite": suite.value, "sk": _hex(_SK), "alpha": _hex(message)},
                expected=Vector.valid({"pi": _hex(aetron_vrf.prove(_SK, message, suite=suite))}),
                spec=f"{_SPEC}#prove",
                generator=_GENERATOR,
            )
    yield Vector(
        id="vrf/prove/invalid_secret_key_length",
        handler="ecvrf.prove",
        description="A 33-byte secret key is rejected.",
        input={"suite": _TAI.value, "sk": _hex(_SK + b"\x00"), "alpha": "0x"},
        expected=Vector.invalid("VRF.SECRET_KEY_LENGTH"),
        spec=f"{_SPEC}#prove",
        generator=_GENERATOR,
    )
    yield Vector(
        id="vrf/public_key/invalid_secret_key_length",
        handler="ecvrf.public_key",
        description="A 31-byte secret key is rejected.",
        input={"suite": _TAI.value, "sk": _hex(_SK[:31])},
        expected=Vector.invalid("VRF.SECRET_KEY_LENGTH"),
        spec=f"{_SPEC}#public_key",
        generator=_GENERATOR,
    )


# --- The replay sortition -------------------------------------------------------------------

_NEURONET = _h("vrf/neuronet")
_ROOT = _h("vrf/root")
_MINERS = sorted(_h(f"vrf/miner/{i}") for i in range(6))
_SERVING = _MINERS[2]


def _epoch_beta(epoch: int) -> bytes:
    alpha = sortition.replay_alpha(_NEURONET, epoch, _ROOT)
    return aetron_vrf.verify(
        _PK, alpha, aetron_vrf.prove(_SK, alpha, suite=sortition.SORTITION_SUITE)
    )


def _outcome(key: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The expectation of ``call(*args, **kwargs)``: its result under ``key``, or its error."""
    try:
        value = call(*args, **kwargs)
    except aetron_vrf.VRFError as exc:
        return Vector.invalid(exc.code)
    return Vector.valid({key: _hex(value) if isinstance(value, bytes) else value})


def _pick_replayer(beta: bytes, index: int, roster: Any, vetoed: Any) -> bytes:
    return sortition.pick_replayer(
        beta, index, serving=_SERVING, roster=sortition.Roster(roster, vetoed)
    )


def _pick_arbiter(beta: bytes, index: int, replayer: bytes, roster: Any, vetoed: Any) -> bytes:
    return sortition.pick_arbiter(
        beta, index, serving=_SERVING, replayer=replayer, roster=sortition.Roster(roster, vetoed)
    )


def _alpha_vectors() -> Iterator[Vector]:
    cases = (
        ("epoch_7", "The VRF input of a batch committed in epoch 7.", _NEURONET, 7, _ROOT),
        ("epoch_max", "The largest epoch, 2^64 - 1.", _NEURONET, 2**64 - 1, _ROOT),
        (
            "invalid_neuronet_id_length",
            "A 31-byte neuronet id is rejected.",
            _NEURONET[:31],
            7,
            _ROOT,
        ),
        ("invalid_epoch_out_of_range", "Epoch 2^64 is rejected.", _NEURONET, 2**64, _ROOT),
        ("invalid_batch_root_length", "A 33-byte root is rejected.", _NEURONET, 7, _ROOT + b"\x00"),
    )
    for case, description, neuronet, epoch, root in cases:
        yield Vector(
            id=f"vrf/replay_alpha/{case}",
            handler="sortition.replay_alpha",
            description=description,
            input={"neuronet_id": _hex(neuronet), "epoch": str(epoch), "batch_root": _hex(root)},
            expected=_outcome("alpha", sortition.replay_alpha, neuronet, epoch, root),
            spec=f"{_SPEC}#replay_alpha",
            generator=_GENERATOR,
        )


def _replay_set_vectors() -> Iterator[Vector]:
    beta = _epoch_beta(7)
    cases = (
        (
            "default_rate",
            "The requests of a 1,000-request batch replayed at 700 bp.",
            beta,
            1000,
            700,
        ),
        ("rate_1bp", "A rate of 1 basis point over 30,000 requests.", beta, 30_000, 1),
        ("rate_zero", "Rate 0 replays nothing.", beta, 100, 0),
        ("rate_full", "Rate 10,000 replays every request.", beta, 20, 10_000),
        ("empty_batch", "An empty batch has nothing to replay.", beta, 0, 700),
        ("invalid_beta_length", "A 63-byte beta is rejected.", beta[:63], 10, 700),
        ("invalid_rate_out_of_range", "Rate 10,001 is rejected.", beta, 10, 10_001),
        (
            "invalid_request_count_out_of_range",
            "A count above 2^32 is rejected.",
            beta,
            2**32 + 1,
            700,
        ),
    )
    for case, description, b, count, rate in cases:
        yield Vector(
            id=f"vrf/replay_set/{case}",
            handler="sortition.replay_set",
            description=description,
            input={"beta": _hex(b), "request_count": count, "rate_bps": rate},
            expected=_outcome("indices", sortition.replay_set, b, count, rate_bps=rate),
            spec=f"{_SPEC}#replay_set",
            generator=_GENERATOR,
        )


def _roster_json(roster: dict[bytes, int]) -> list[dict[str, str]]:
    return [{"miner": _hex(miner), "weight": str(weight)} for miner, weight in roster.items()]


def _pick_vectors() -> Iterator[Vector]:
    beta = _epoch_beta(7)
    weights = dict(zip(_MINERS, (5, 1, 3, 0, 2, 7), strict=True))
    vetoed = [_MINERS[5]]
    replayer_cases: tuple[tuple[str, str, bytes, int, dict[bytes, int], list[bytes]], ...] = (
        ("index_0", "The replayer of request 0, by weight.", beta, 0, weights, vetoed),
        ("index_41", "The replayer of request 41.", beta, 41, weights, vetoed),
        ("no_veto", "Without the veto the heaviest miner may be drawn.", beta, 3, weights, []),
        (
            "one_candidate",
            "The only eligible miner is drawn.",
            beta,
            9,
            {_SERVING: 1, _MINERS[0]: 1},
            [],
        ),
        (
            "invalid_no_eligible_replayer",
            "Only the serving miner and a vetoed one: nobody may replay.",
            beta,
            9,
            {_SERVING: 1, _MINERS[5]: 4},
            vetoed,
        ),
        (
            "invalid_weight_out_of_range",
            "A weight of 2^64 is rejected.",
            beta,
            0,
            {_MINERS[0]: 2**64},
            [],
        ),
        (
            "invalid_miner_id_length",
            "A 31-byte miner id is rejected.",
            beta,
            0,
            {_MINERS[0][:31]: 1},
            [],
        ),
        ("invalid_index_out_of_range", "Index 2^32 is rejected.", beta, 2**32, weights, vetoed),
    )
    for case, description, b, index, roster, veto in replayer_cases:
        yield Vector(
            id=f"vrf/pick_replayer/{case}",
            handler="sortition.pick_replayer",
            description=description,
            input={
                "beta": _hex(b),
                "index": index,
                "serving": _hex(_SERVING),
                "roster": _roster_json(roster),
                "vetoed": [_hex(m) for m in veto],
            },
            expected=_outcome("replayer", _pick_replayer, b, index, roster, veto),
            spec=f"{_SPEC}#pick_replayer",
            generator=_GENERATOR,
        )
    replayer = sortition.pick_replayer(
        beta, 0, serving=_SERVING, roster=sortition.Roster(weights, vetoed)
    )
    arbiter_cases = (
        ("index_0", "The arbiter of a dispute over request 0.", 0, replayer, weights),
        (
            "invalid_no_eligible_arbiter",
            "With the server and the replayer out, no miner is left to arbitrate.",
            0,
            _MINERS[0],
            {_SERVING: 1, _MINERS[0]: 1, _MINERS[3]: 0},
        ),
    )
    for case, description, index, rep, roster in arbiter_cases:
        yield Vector(
            id=f"vrf/pick_arbiter/{case}",
            handler="sortition.pick_arbiter",
            description=description,
            input={
                "beta": _hex(beta),
                "index": index,
                "serving": _hex(_SERVING),
                "replayer": _hex(rep),
                "roster": _roster_json(roster),
                "vetoed": [_hex(m) for m in vetoed],
            },
            expected=_outcome("arbiter", _pick_arbiter, beta, index, rep, roster, vetoed),
            spec=f"{_SPEC}#pick_arbiter",
            generator=_GENERATOR,
        )


def generate() -> Iterator[Vector]:
    yield from _rfc_examples()
    yield from _verify_vectors()
    yield from _proof_to_hash_vectors()
    yield from _prove_vectors()
    yield from _alpha_vectors()
    yield from _replay_set_vectors()
    yield from _pick_vectors()


# --- Handlers -------------------------------------------------------------------------------


def _roster(i: dict[str, Any]) -> sortition.Roster:
    weights = {_unhex(entry["miner"]): int(entry["weight"]) for entry in i["roster"]}
    return sortition.Roster(weights, [_unhex(m) for m in i["vetoed"]])


_HANDLERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "ecvrf.public_key": lambda i: {
        "pk": _hex(aetron_vrf.public_key(_unhex(i["sk"]), suite=_suite(i["suite"])))
    },
    "ecvrf.prove": lambda i: {
        "pi": _hex(aetron_vrf.prove(_unhex(i["sk"]), _unhex(i["alpha"]), suite=_suite(i["suite"])))
    },
    "ecvrf.verify": lambda i: {
        "beta": _hex(
            aetron_vrf.verify(
                _unhex(i["pk"]), _unhex(i["alpha"]), _unhex(i["pi"]), suite=_suite(i["suite"])
            )
        )
    },
    "ecvrf.proof_to_hash": lambda i: {
        "beta": _hex(aetron_vrf.proof_to_hash(_unhex(i["pi"]), suite=_suite(i["suite"])))
    },
    "sortition.replay_alpha": lambda i: {
        "alpha": _hex(
            sortition.replay_alpha(
                _unhex(i["neuronet_id"]), int(i["epoch"]), _unhex(i["batch_root"])
            )
        )
    },
    "sortition.replay_set": lambda i: {
        "indices": sortition.replay_set(
            _unhex(i["beta"]), i["request_count"], rate_bps=i["rate_bps"]
        )
    },
    "sortition.pick_replayer": lambda i: {
        "replayer": _hex(
            sortition.pick_replayer(
                _unhex(i["beta"]),
                i["index"],
                serving=_unhex(i["serving"]),
                roster=_roster(i),
            )
        )
    },
    "sortition.pick_arbiter": lambda i: {
        "arbiter": _hex(
            sortition.pick_arbiter(
                _unhex(i["beta"]),
                i["index"],
                serving=_unhex(i["serving"]),
                replayer=_unhex(i["replayer"]),
                roster=_roster(i),
            )
        )
    },
}


def handle(handler: str, input: dict[str, Any]) -> Any:
    return _HANDLERS[handler](input)
