"""MkDocs hook: list every chapter in specs/ under the nav's Specifications section.

Chapters arrive one package at a time. Naming them in mkdocs.yml would fail `mkdocs build --strict`
for a chapter not written yet and would hide a new chapter nobody added to the nav, so the section
is filled here from the files that exist: specs/README.md first, then the chapters in the order
that README links them, then any chapter it does not link, by file name.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

SECTION = "Specifications"
SPECS_DIR = "specs"

# A link to a sibling chapter, as specs/README.md writes it: `[types.md](types.md)`.
_CHAPTER_LINK = re.compile(r"\]\(([A-Za-z0-9_.-]+\.md)(?:#[^)]*)?\)")


def chapter_order(specs: Path) -> list[str]:
    """The chapter file names in specs/, in nav order, without README.md."""
    present = sorted(path.name for path in specs.glob("*.md") if path.name != "README.md")
    linked = _CHAPTER_LINK.findall((specs / "README.md").read_text(encoding="utf-8"))
    order = [name for name in dict.fromkeys(linked) if name in present]
    return order + [name for name in present if name not in order]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fill the Specifications section of the nav from the chapters present."""
    specs = Path(config.docs_dir) / SPECS_DIR
    pages = [f"{SPECS_DIR}/README.md"] + [f"{SPECS_DIR}/{name}" for name in chapter_order(specs)]
    for item in config.nav or []:
        if isinstance(item, dict) and SECTION in item:
            item[SECTION] = pages
            return config
    raise PluginError(f"specs_nav hook: mkdocs.yml has no nav section named {SECTION!r}")
