"""Tests live in their tier (docs/architecture.md, Tests), and the fast tier needs no service."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[2]
TIERS = ("unit", "integration", "acceptance", "browser")
SERVICE_FIXTURES = re.compile(r"\b(database_url|pg_server_url|sentineliq_db|migrated_template)\b")


def test_every_test_module_is_in_a_tier() -> None:
    modules = [p for p in TESTS.rglob("test_*.py") if "golden" not in p.parts]
    assert modules
    outside = [p for p in modules if p.relative_to(TESTS).parts[0] not in TIERS]
    assert outside == []


def test_the_unit_tier_asks_for_no_database() -> None:
    users = [
        p.relative_to(TESTS).as_posix()
        for p in (TESTS / "unit").rglob("*.py")
        if SERVICE_FIXTURES.search(p.read_text(encoding="utf-8")) and p.name != Path(__file__).name
    ]
    assert users == []


def test_a_missing_browser_fails_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.browser import test_sentineliq_pages as pages

    monkeypatch.setattr(pages, "CHROMIUM", None)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        pages.chromium(tmp_path / "profile", "--version")
