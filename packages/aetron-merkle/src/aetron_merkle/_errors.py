"""The package's one exception type."""

from __future__ import annotations

__all__ = ["MerkleError"]


class MerkleError(ValueError):
    """Misuse of the tree API: ``code`` is the stable ``MERKLE.<REASON>`` reason code.

    Raised only by building and proving; the ``verify_*`` functions never raise, they return
    False.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
