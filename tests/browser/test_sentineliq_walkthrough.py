"""SentinelIQ end to end in headless Chromium (playwright on Debian's chromium), against
``sentinel start`` on this repository, its real migrations, PostgreSQL and a real SMTP
server (aiosmtpd):

Ada signs up, confirms her address from the mailed link, signs in, names her first
workspace (onboarding), invites Grace from the settings page; Grace, in a second browser
context, signs up, confirms, opens the invitation link, signs in and accepts; Ada, whose
notifications page is open all along, sees "New member" arrive live (the notifications
websocket) without reloading; Ada files an alert from the alerts page's form, its
notification links to its page, where she changes its status and opens an incident from
it. Screenshots at desktop and phone width go to a temporary directory (printed), or
refresh docs/screenshots/ (checked by eye in review) when SENTINEL_UPDATE_SCREENSHOTS=1: a run
leaves the repository as it found it.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO as ROOT
from tests.conftest import SENTINELIQ_TEST_ENV
from tests.mail_servers import SmtpServer
from tests.servers import Server, free_port, running

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Correct-Horse-Battery-9"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def server(tmp_path: Path, sentineliq_db: str, smtp: SmtpServer) -> Iterator[Server]:
    port = free_port()
    env = {
        "DATABASE_URL": sentineliq_db,
        **SENTINELIQ_TEST_ENV,
        "APP_URL": f"http://127.0.0.1:{port}",  # the links in the mails come back here
        **smtp.env(),
    }
    with running(
        "start", "--project", str(ROOT), "--port", str(port), cwd=tmp_path, port=port, env=env
    ) as server:
        server.wait_for("/api/health")
        yield server


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("the browser tests need Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield launched
        finally:
            launched.close()


def mailed_link(smtp: SmtpServer, address: str, path: str, timeout: float = 20) -> str:
    """The newest link to ``path`` in a mail to ``address``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for received in reversed(list(smtp.inbox.received)):
            message = received.message
            if address not in str(message["To"]):
                continue
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            found = re.search(r"https?://[^\s]+" + re.escape(path) + r"\?token=[\w\-%]+", text)
            if found:
                return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} with a {path} link")


@functools.cache
def shots_dir() -> Path:
    """docs/screenshots/ when SENTINEL_UPDATE_SCREENSHOTS=1, else a fresh temporary
    directory: every run takes them, only a deliberate one changes the repository."""
    if os.environ.get("SENTINEL_UPDATE_SCREENSHOTS") == "1":
        shots = ROOT / "docs" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
    else:
        shots = Path(tempfile.mkdtemp(prefix="sentineliq-screenshots-"))
    print(f"screenshots: {shots}")
    return shots


def shoot(page: Any, name: str) -> None:
    """<name>-desktop.png and <name>-phone.png of the page as it is, in ``shots_dir()``."""
    shots = shots_dir()
    size = page.viewport_size
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)
        if label == "phone":
            # Usable at 360 px: nothing wider than the screen but the tables' own scroller.
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= viewport["width"], f"{name}: {overflow}px wide at 360px"
    page.set_viewport_size(size)


def sign_up_and_confirm(page: Any, server: Server, smtp: SmtpServer, email: str) -> None:
    page.goto(server.base + "/signup")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-up")
    assert "We sent a link to" in page.inner_text("#message")
    page.goto(mailed_link(smtp, email, "/email-verification"))
    page.click("#confirm")
    assert "Your address is confirmed" in page.inner_text("#message")


def sign_in(page: Any, email: str) -> None:
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_load_state()


def test_signup_onboarding_invite_accept_and_a_live_notification(
    server: Server, smtp: SmtpServer, browser: Any
) -> None:
    ada = browser.new_context(viewport=DESKTOP)
    page = ada.new_page()
    page.goto(server.base + "/")
    assert page.inner_text("h1") == "Security operations in one place"
    shoot(page, "landing")
    page.goto(server.base + "/signup")
    shoot(page, "signup")

    sign_up_and_confirm(page, server, smtp, "ada@example.com")
    page.goto(server.base + "/login")
    shoot(page, "login")
    sign_in(page, "ada@example.com")
    # No workspace yet: the dashboard sends her to onboarding.
    page.wait_for_url(server.base + "/onboarding")
    assert page.inner_text("h1") == "Welcome to SentinelIQ"
    shoot(page, "onboarding")
    page.fill("#workspace-name", "Acme Security")
    page.click("#create-workspace")
    page.wait_for_url(re.compile(r"/dashboard\?done=created$"))
    assert page.inner_text("#dashboard-title") == "Acme Security"
    assert page.inner_text("#my-role") == "OWNER"
    assert page.inner_text("#member-count") == "1"
    assert "WORKSPACE_CREATED" in page.inner_text("#recent-events")
    shoot(page, "dashboard")

    page.click("text=Settings")
    page.fill("#invite-email", "grace@example.com")
    page.select_option("#invite-role", "MEMBER")
    page.click("#send-invite")
    page.wait_for_url(re.compile(r"/settings\?done=invited#invitations$"))
    assert page.inner_text("#notice") == "Invitation sent."
    assert "grace@example.com" in page.inner_text("#pending-invitations")
    shoot(page, "settings")
    invitation = mailed_link(smtp, "grace@example.com", "/invitations/accept")

    # Ada keeps her notifications open: what follows must arrive without a reload.
    page.goto(server.base + "/notifications")
    page.wait_for_function("document.body.dataset.liveState === 'open'")
    before = page.locator("#notification-list li").count()

    # Grace has JavaScript off: every form she needs works without it.
    grace = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    other = grace.new_page()
    sign_up_and_confirm(other, server, smtp, "grace@example.com")
    other.goto(invitation)
    shoot(other, "invitation-signed-out")
    other.click("#invitation-sign-in")
    sign_in(other, "grace@example.com")
    other.wait_for_url(re.compile(r"/invitations/accept\?token="))
    other.click("#accept-invitation")
    other.wait_for_url(re.compile(r"/dashboard\?done=joined$"))
    assert other.inner_text("#dashboard-title") == "Acme Security"
    assert other.inner_text("#my-role") == "MEMBER"
    assert other.locator("#recent-events").count() == 0  # the audit trail is for admins

    page.wait_for_selector("#notification-list li.fresh", timeout=10_000)
    fresh = page.inner_text("#notification-list li.fresh")
    assert "New member" in fresh and "grace@example.com joined Acme Security" in fresh
    assert page.locator("#notification-list li").count() == before + 1
    assert int(page.inner_text("#unread-count [data-count]")) >= 1
    shoot(page, "notifications-live")

    # The live item has the same controls as the others: mark it read from there.
    page.click("#notification-list li.fresh >> text=Mark read")
    page.wait_for_url(re.compile(r"/notifications\?done=read$"))
    # The same notification is there after the reload: a real row, not only a socket frame.
    item = page.locator("#notification-list li", has_text="grace@example.com joined")
    assert item.count() == 1 and "unread" not in (item.get_attribute("class") or "")

    page.goto(server.base + "/dashboard")
    assert page.inner_text("#member-count") == "2"
    audit = page.locator("a", has_text="Open the audit log")
    audit.click()
    table = page.inner_text("#audit-table")
    assert "INVITATION_SENT" in table and "INVITATION_ACCEPTED" in table
    shoot(page, "audit-log")
    # An alert from the alerts page's form notifies her; the notification's link opens
    # the alert's page, which links to the list and opens an incident from the alert.
    page.goto(server.base + "/aegis/alerts")
    page.fill("#alert-title", "Phishing kit on a lookalike domain")
    page.fill("#alert-source", "eclipse")
    page.select_option("#alert-severity", "HIGH")
    page.fill("#alert-tags", "phishing, brand")
    page.click("#create-alert")
    page.wait_for_url(re.compile(r"/aegis/alerts/[0-9a-f-]+\?done=alert$"))
    assert page.inner_text("#notice") == "Alert created."
    page.goto(server.base + "/notifications")
    page.click("#notification-list >> text=New high alert: Phishing kit on a lookalike domain")
    page.wait_for_url(re.compile(r"/aegis/alerts/[0-9a-f-]+$"))
    assert page.inner_text("#alert-title") == "Phishing kit on a lookalike domain"
    assert page.inner_text("#alert-severity") == "HIGH"
    shoot(page, "alert")
    alert_url = page.url
    page.click("text=All alerts")
    assert "Phishing kit on a lookalike domain" in page.inner_text("#alerts-table")
    shoot(page, "alerts")
    page.goto(alert_url)
    page.select_option("#alert-new-status", "INVESTIGATING")
    page.click("#change-status")
    page.wait_for_url(re.compile(r"/aegis/alerts/[0-9a-f-]+\?done=status$"))
    assert page.inner_text("#alert-status") == "INVESTIGATING"
    page.fill("#from-alert-title", "Lookalike domain takedown")
    page.click("#open-incident")
    page.wait_for_url(re.compile(r"/aegis/incidents/[0-9a-f-]+\?done=incident$"))
    assert page.inner_text("#incident-title") == "Lookalike domain takedown"
    assert "Phishing kit on a lookalike domain" in page.inner_text("#incident-alerts")
    shoot(page, "incident")
    page.goto(server.base + "/account")
    shoot(page, "account")
    page.goto(server.base + "/status")
    assert page.inner_text("#overall") == "All systems operational."
    shoot(page, "status")
    ada.close()
    grace.close()
