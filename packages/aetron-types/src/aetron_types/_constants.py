"""Protocol constants fixed by ``specs/types.md`` (the spec's constants table is checked against
these names)."""

from __future__ import annotations

HASH_SIZE = 32
"""Bytes in a BLAKE3-256 digest, and in every id derived from one."""
KEY_SIZE = 32
"""Bytes in an Ed25519 public key (a miner's or an account's id)."""
SIGNATURE_SIZE = 64
"""Bytes in an Ed25519 signature."""
VRF_PROOF_SIZE = 80
"""Bytes in an ECVRF-EDWARDS25519-SHA512-TAI proof (RFC 9381)."""
LENGTH_PREFIX = 4
"""Bytes in the u32 length or count in front of every variable-length value and list."""
TEE_REPORT_DATA_SIZE = 64
"""Bytes of caller-chosen data bound into a TEE report."""

ARTIFACT_SIZE = 164
"""Bytes in a validation artifact."""
ARTIFACT_VERSION = 1
"""The only validation artifact layout version defined so far."""
ARTIFACT_SAMPLE_SLOTS = 8
"""Sample entries in a validation artifact, used or not."""

MAX_PROMPT_BYTES = 65_536
"""Longest prompt an inference request may carry."""
PPM = 1_000_000
"""One, in parts per million: ``top_p_ppm`` of this value turns nucleus sampling off."""
MILLI = 1_000
"""One, in thousandths: the unit of ``temperature_milli``."""
MAX_LABEL_BYTES = 32
"""Longest version string (torch, CUDA, ROCm)."""

BASIS_POINTS = 10_000
"""One, in basis points."""
MAX_OWNER_SHARE_BP = 1_000
"""Highest owner share of a neuronet's emission, in basis points (10 %)."""
MAX_TASKS_PER_NEURONET = 256
"""Most tasks one neuronet hosts."""
MAX_PROBES_PER_TASK = 64
"""Most reference probes one task carries; every task carries at least one."""
MAX_BATCH_SIZE = 2**20
"""Most artifacts one batch commitment covers."""
MAX_TEE_MEASUREMENT_BYTES = 64
"""Longest TEE measurement (TDX MRTD and SEV-SNP MEASUREMENT are 48 bytes)."""
MAX_TEE_EVIDENCE_BYTES = 65_536
"""Longest TEE evidence blob (quote or report with its certificate chain)."""

SIGNING_DOMAIN = b"AETRON-SIG-v1"
"""Prefix of every message an AETRON key signs; see ``signing_bytes``."""
