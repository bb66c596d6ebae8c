"""The package's typed errors, each carrying a stable ``DOMAIN.REASON`` code."""

from __future__ import annotations

__all__ = ["InferenceError", "SpecMismatch"]


class InferenceError(ValueError):
    """A refusal by aetron-inference; ``code`` is the stable reason code (``INFERENCE.*``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class SpecMismatch(InferenceError):
    """An execution spec this machine cannot honour; ``mismatches`` names every difference."""

    def __init__(self, mismatches: tuple[str, ...]) -> None:
        super().__init__("INFERENCE.SPEC_MISMATCH", "; ".join(mismatches))
        self.mismatches = mismatches
