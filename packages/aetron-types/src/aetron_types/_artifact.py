"""The validation artifact: the fixed 164-byte record a miner keeps for every request served."""

from __future__ import annotations

from typing import Annotated, ClassVar, Self

from pydantic import model_validator

from . import _errors as err
from ._constants import ARTIFACT_SAMPLE_SLOTS, ARTIFACT_SIZE, ARTIFACT_VERSION
from ._errors import AetronTypesError
from ._model import CanonicalModel
from ._scalars import U16, U32, U64, ArtifactKindField, Hash32, QuantFormatField
from ._wire import Seq, UInt

__all__ = ["ValidationArtifact"]


class ValidationArtifact(CanonicalModel):
    """What a replayer needs to re-check one served request, in exactly ``ARTIFACT_SIZE`` bytes.

    The types package checks structure only; what the hashes and samples mean is defined in
    ``specs/inference.md``.
    """

    _size_codes: ClassVar[tuple[str, str] | None] = (err.ARTIFACT_TOO_SHORT, err.ARTIFACT_TOO_LONG)
    _fixed_size: ClassVar[int] = ARTIFACT_SIZE

    version: Annotated[
        int, UInt(8, lo=ARTIFACT_VERSION, hi=ARTIFACT_VERSION, code=err.UNSUPPORTED_VERSION)
    ] = ARTIFACT_VERSION
    """Layout version; only ``ARTIFACT_VERSION`` (1) is defined."""
    kind: ArtifactKindField
    """Causal language model or diffusion model."""
    quant_format: QuantFormatField
    """The weight format the request was served with."""
    sample_count: Annotated[int, UInt(8, hi=ARTIFACT_SAMPLE_SLOTS)]
    """How many sample entries are in use, 0 to 8; the entries after them MUST be zero."""
    prompt_len: U32
    """Language model: prompt tokens. Diffusion: denoising steps."""
    output_len: U32
    """Language model: response tokens. Diffusion: latent elements."""
    seed: U64
    """The sampler seed the request was served with."""
    request_hash: Hash32
    """BLAKE3-256 of the inference request's canonical encoding."""
    context_hash: Hash32
    """Language model: hash of prompt and response token ids. Diffusion: of the conditioning."""
    commitment: Hash32
    """Language model: logit commitment. Diffusion: latent-chain commitment."""
    sample_ids: Annotated[tuple[U32, ...], Seq(fixed=ARTIFACT_SAMPLE_SLOTS)]
    """Language model: top-k token ids. Diffusion: step indices. Eight u32, unused ones zero."""
    sample_values: Annotated[tuple[U16, ...], Seq(fixed=ARTIFACT_SAMPLE_SLOTS)]
    """bfloat16 bit patterns of the sampled values. Eight u16, unused ones zero."""

    @model_validator(mode="after")
    def _unused_samples_are_zero(self) -> Self:
        used = self.sample_count
        if any(self.sample_ids[used:]) or any(self.sample_values[used:]):
            raise AetronTypesError(err.NONZERO_UNUSED, f"entries after the first {used}")
        return self
