"""docs/ is the complete reference: every page, file and folder it names is in the repo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# src/ paths in the docs are examples of a user's project, not files of this one.
PATH = re.compile(r"`((?:sentinel_spec|tests|bench|docs|\.ci)/[\w/.\-]*)`")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_and_paths_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    missing = [
        link
        for link in LINK.findall(text)
        if "://" not in link and not (page.parent / link).exists()
    ]
    missing += [path for path in PATH.findall(text) if not (REPO / path).exists()]
    assert missing == [], f"{page.name} names what is not in the repository: {missing}"


def test_the_docs_name_no_file_outside_the_repository() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert "shared/" not in text and "spec/LANGUAGE.md" not in text, page.name


def test_the_readme_says_what_a_newcomer_needs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start") : readme.index("## CLI reference")]
    # After adding an entity the schema needs a migration.
    assert "sentinel db migrate --name" in quick_start
    # The browser tests need Debian's chromium, and say how to get it.
    assert "apt-get install chromium" in readme[: readme.index("## Quick start")]
