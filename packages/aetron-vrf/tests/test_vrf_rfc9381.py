"""RFC 9381's edwards25519 examples (appendix B.3, examples 16-18, TAI; B.4, examples 19-21, ELL2)
through the public API and through the pure-Python reference.

The values are the RFC's, as transcribed in draft-irtf-cfrg-vrf-15 (cfrg/draft-irtf-cfrg-vrf
@7c3bb27), the text published as RFC 9381.
"""

from __future__ import annotations

import aetron_vrf
import pytest
from aetron_vrf import Suite, reference

TAI, ELL2 = Suite.EDWARDS25519_SHA512_TAI, Suite.EDWARDS25519_SHA512_ELL2
SK = (
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
)
PK = (
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
)
ALPHA = ("", "72", "af82")

# (example, suite, key and alpha index, H, pi, beta)
EXAMPLES = [
    (
        16,
        TAI,
        0,
        "91bbed02a99461df1ad4c6564a5f5d829d0b90cfc7903e7a5797bd658abf3318",
        "8657106690b5526245a92b003bb079ccd1a92130477671f6fc01ad16f26f723f26f8a57ccaed74ee1b190bed1f"
        "479d9727d2d0f9b005a6e456a35d4fb0daab1268a1b0db10836d9826a528ca76567805",
        "90cf1df3b703cce59e2a35b925d411164068269d7b2d29f3301c03dd757876ff66b71dda49d2de59d0345045"
        "1af026798e8f81cd2e333de5cdf4f3e140fdd8ae",
    ),
    (
        17,
        TAI,
        1,
        "5b659fc3d4e9263fd9a4ed1d022d75eaacc20df5e09f9ea937502396598dc551",
        "f3141cd382dc42909d19ec5110469e4feae18300e94f304590abdced48aed5933bf0864a62558b3ed7f2fea45c"
        "92a465301b3bbf5e3e54ddf2d935be3b67926da3ef39226bbc355bdc9850112c8f4b02",
        "eb4440665d3891d668e7e0fcaf587f1b4bd7fbfe99d0eb2211ccec90496310eb5e33821bc613efb94db5e5b5"
        "4c70a848a0bef4553a41befc57663b56373a5031",
    ),
    (
        18,
        TAI,
        2,
        "bf4339376f5542811de615e3313d2b36f6f53c0acfebb482159711201192576a",
        "9bc0f79119cc5604bf02d23b4caede71393cedfbb191434dd016d30177ccbf8096bb474e53895c362d8628ee9f"
        "9ea3c0e52c7a5c691b6c18c9979866568add7a2d41b00b05081ed0f58ee5e31b3a970e",
        "645427e5d00c62a23fb703732fa5d892940935942101e456ecca7bb217c61c452118fec1219202a0edcf038b"
        "b6373241578be7217ba85a2687f7a0310b2df19f",
    ),
    (
        19,
        ELL2,
        0,
        "b8066ebbb706c72b64390324e4a3276f129569eab100c26b9f05011200c1bad9",
        "7d9c633ffeee27349264cf5c667579fc583b4bda63ab71d001f89c10003ab46f14adf9a3cd8b8412d9038531e8"
        "65c341cafa73589b023d14311c331a9ad15ff2fb37831e00f0acaa6d73bc9997b06501",
        "9d574bf9b8302ec0fc1e21c3ec5368269527b87b462ce36dab2d14ccf80c53cccf6758f058c5b1c856b11638"
        "8152bbe509ee3b9ecfe63d93c3b4346c1fbc6c54",
    ),
    (
        20,
        ELL2,
        1,
        "76ac3ccb86158a9104dff819b1ca293426d305fd76b39b13c9356d9b58c08e57",
        "47b327393ff2dd81336f8a2ef10339112401253b3c714eeda879f12c509072ef055b48372bb82efbdce8e10c8c"
        "b9a2f9d60e93908f93df1623ad78a86a028d6bc064dbfc75a6a57379ef855dc6733801",
        "38561d6b77b71d30eb97a062168ae12b667ce5c28caccdf76bc88e093e4635987cd96814ce55b4689b3dd294"
        "7f80e59aac7b7675f8083865b46c89b2ce9cc735",
    ),
    (
        21,
        ELL2,
        2,
        "13d2a8b5ca32db7e98094a61f656a08c6c964344e058879a386a947a4e189ed1",
        "926e895d308f5e328e7aa159c06eddbe56d06846abf5d98c2512235eaa57fdce35b46edfc655bc828d44ad09d1"
        "150f31374e7ef73027e14760d42e77341fe05467bb286cc2c9d7fde29120a0b2320d04",
        "121b7f9b9aaaa29099fc04a94ba52784d44eac976dd1a3cca458733be5cd090a7b5fbd148444f17f8daf1fb5"
        "5cb04b1ae85a626e30a54b4b0f8abf4a43314a58",
    ),
]
IDS = [f"example{example}" for example, *_ in EXAMPLES]


@pytest.mark.parametrize(("example", "suite", "i", "h", "pi", "beta"), EXAMPLES, ids=IDS)
def test_public_api_reproduces_the_example(
    example: int, suite: Suite, i: int, h: str, pi: str, beta: str
) -> None:
    sk, pk, alpha = bytes.fromhex(SK[i]), bytes.fromhex(PK[i]), bytes.fromhex(ALPHA[i])
    assert aetron_vrf.public_key(sk, suite=suite).hex() == PK[i]
    assert aetron_vrf.prove(sk, alpha, suite=suite).hex() == pi
    assert aetron_vrf.verify(pk, alpha, bytes.fromhex(pi), suite=suite).hex() == beta
    assert aetron_vrf.proof_to_hash(bytes.fromhex(pi), suite=suite).hex() == beta
    assert aetron_vrf.verify_many([(pk, alpha, bytes.fromhex(pi))], suite=suite) == [
        bytes.fromhex(beta)
    ]


@pytest.mark.parametrize(("example", "suite", "i", "h", "pi", "beta"), EXAMPLES, ids=IDS)
def test_reference_reproduces_the_example_and_its_point_h(
    example: int, suite: Suite, i: int, h: str, pi: str, beta: str
) -> None:
    sk, pk, alpha = bytes.fromhex(SK[i]), bytes.fromhex(PK[i]), bytes.fromhex(ALPHA[i])
    assert reference.public_key(sk, suite=suite).hex() == PK[i]
    assert reference.encode_point(reference.encode_to_curve(suite, pk, alpha)).hex() == h
    assert reference.prove(sk, alpha, suite=suite).hex() == pi
    assert reference.verify(pk, alpha, bytes.fromhex(pi), suite=suite).hex() == beta
    assert reference.proof_to_hash(bytes.fromhex(pi), suite=suite).hex() == beta


@pytest.mark.parametrize(("example", "suite", "i", "h", "pi", "beta"), EXAMPLES, ids=IDS)
def test_the_example_does_not_verify_under_the_other_suite(
    example: int, suite: Suite, i: int, h: str, pi: str, beta: str
) -> None:
    other = ELL2 if suite is TAI else TAI
    with pytest.raises(aetron_vrf.InvalidProof) as info:
        aetron_vrf.verify(
            bytes.fromhex(PK[i]), bytes.fromhex(ALPHA[i]), bytes.fromhex(pi), suite=other
        )
    assert info.value.code == "VRF.CHALLENGE_MISMATCH"
