"""The built-in auth pages in headless Chromium (playwright, Debian's chromium): sign up,
follow the mailed link, sign in, turn on 2FA with a code computed from the page's secret,
sign in again with a TOTP code and with a backup code. Plain forms, no JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sentinel_spec.runtime.auth import totp
from tests.integration.auth.harness import PASSWORD, LiveApp, build_project, live_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[LiveApp]:
    project = build_project(tmp_path / "project")
    with live_server(project, database_url) as app:
        yield app


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield launched
        finally:
            launched.close()


def sign_in(page: Any, live: LiveApp, email: str) -> None:
    page.goto(live.base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")


def test_sign_up_verify_sign_in_and_two_factor_in_a_browser(live: LiveApp, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)  # the forms work without it
    page = context.new_page()
    email = "browser@example.com"

    page.goto(live.base + "/auth/signup")
    page.fill("#email", email)
    page.fill("#password", "weak")
    page.click("#sign-up")
    assert "Password must be at least 10 characters long" in page.inner_text("#error")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-up")
    assert "We sent a link to" in page.inner_text("#message")

    page.goto(live.link(email, "/verify"))
    page.click("#confirm")
    assert "Your address is confirmed" in page.inner_text("#message")

    page.click("#to-login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(live.base + "/home")
    assert "Welcome browser@example.com" in page.inner_text("#home")
    cookie = next(c for c in context.cookies() if c["name"] == "sentinel_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["secure"]

    page.goto(live.base + "/auth/security")
    page.click("#setup")
    secret = page.inner_text("#secret").strip()
    assert page.query_selector("#qr svg") is not None
    page.fill("#code", totp.code_at(secret, totp.current_step()))
    page.click("#enable")
    backup_codes = [li.inner_text() for li in page.query_selector_all("#backup-codes li")]
    assert len(backup_codes) == 4
    page.goto(live.base + "/auth/security")
    assert page.inner_text("#status").startswith("On.")
    page.click("#sign-out")
    page.wait_for_url(live.base + "/auth/login")

    # Password, then the code from the authenticator (the next step's: the last is spent).
    sign_in(page, live, email)
    page.wait_for_url(lambda url: "/auth/two-factor" in url)
    page.fill("#code", totp.code_at(secret, totp.current_step() - 5))  # long expired
    page.click("#verify")
    assert "Invalid two-factor code" in page.inner_text("#error")
    page.fill("#code", totp.code_at(secret, totp.current_step() + 1))
    page.click("#verify")
    page.wait_for_url(live.base + "/home")

    page.goto(live.base + "/auth/security")
    page.click("#sign-out")
    sign_in(page, live, email)
    page.wait_for_url(lambda url: "/auth/two-factor" in url)
    page.fill("#code", backup_codes[0])
    page.click("#verify")
    page.wait_for_url(live.base + "/home")
    page.goto(live.base + "/auth/security")
    assert "3 backup codes left" in page.inner_text("#status")
    context.close()


def test_password_reset_in_a_browser(live: LiveApp, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    email = "forgetful@example.com"
    page.goto(live.base + "/auth/signup")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-up")
    page.goto(live.link(email, "/verify"))
    page.click("#confirm")

    page.goto(live.base + "/auth/login")
    page.click("text=Forgot your password?")
    page.fill("#email", email)
    page.click("#send")
    assert "If an account uses that address" in page.inner_text("#message")
    page.goto(live.link(email, "/reset", 2))
    page.fill("#password", "Another-pass-42")
    page.click("#save")
    assert "every device was signed out" in page.inner_text("#message")
    page.goto(live.base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", "Another-pass-42")
    page.click("#sign-in")
    page.wait_for_url(live.base + "/home")
    context.close()
