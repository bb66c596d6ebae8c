"""MkDocs hook: drop Sphinx cross-reference roles from the API reference.

Some docstrings name other objects the Sphinx way, :func:`encode`. mkdocstrings reads docstrings as
Markdown, where that shows as ":func:" before the name in code, so the role is removed and the
name stays as code.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_ROLE = re.compile(r":(?:attr|class|const|data|exc|func|meth|mod|obj):(?=<code>)")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Remove the roles from the pages generated from docstrings."""
    if page.file.src_uri.startswith("reference/"):
        return _ROLE.sub("", html)
    return html
