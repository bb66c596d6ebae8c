"""The domains the reference packages cover, each a module in ``aetron_conformance.domains``.

A domain module defines:

``DOMAIN``
    its name, the first part of every case id and the folder under ``vectors/``;
``generate() -> Iterable[Vector]``
    every case of the domain, computed from the reference package;
``handle(handler: str, input: dict) -> Any``
    runs one case, returning the JSON output or raising an exception with a ``code``
    attribute (the reason code) for a rejection. An unknown handler raises ``KeyError``;
``keep(relpath: str) -> bool`` (optional)
    True for files under ``vectors/<domain>/`` that ``generate`` does not write on this machine
    but that must survive regeneration (vectors made on other hardware).
"""

from __future__ import annotations

import importlib
from types import ModuleType

DOMAIN_MODULES = ("types", "vrf", "merkle", "consensus", "inference")


def domains() -> dict[str, ModuleType]:
    """The domain modules that exist so far, by name."""
    found: dict[str, ModuleType] = {}
    for name in DOMAIN_MODULES:
        try:
            module = importlib.import_module(f"aetron_conformance.domains.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"aetron_conformance.domains.{name}":
                raise
            continue
        found[module.DOMAIN] = module
    return found
