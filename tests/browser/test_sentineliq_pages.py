"""SentinelIQ's pages in a real browser: headless Chromium against ``sentinel start``.

Chromium (Debian's ``chromium``) loads each page over real HTTP, follows redirects and
runs the page under the server's real security headers (CSP included); the test reads
back the DOM Chromium built and a screenshot it rendered.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO as ROOT
from tests.conftest import SENTINELIQ_TEST_ENV
from tests.mail_servers import SmtpServer
from tests.servers import Server, free_port, running

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without the background-networking flags Chromium keeps dialling Google's hosts.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium(profile: Path, *args: str) -> str:
    if CHROMIUM is None:
        # Loud, not a skip: a quiet skip hides that the pages were never drawn.
        pytest.fail(
            "the browser tests need Debian's chromium: apt-get install chromium "
            "(README, Tests; CI's .ci/run installs it)"
        )
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def server(tmp_path: Path, sentineliq_db: str, smtp: SmtpServer) -> object:
    port = free_port()
    # `start` refuses an app without SMTP_HOST, and app.auth needs its key and Google client.
    env = {"DATABASE_URL": sentineliq_db, **SENTINELIQ_TEST_ENV, **smtp.env()}
    with running(
        "start", "--project", str(ROOT), "--port", str(port), cwd=tmp_path, port=port, env=env
    ) as server:
        server.wait_for("/api/health")
        yield server


def test_start_says_once_what_it_does_not_serve_yet(server: Server) -> None:
    from sentinel_spec import load_spec
    from sentinel_spec.contract.features import unserved

    output = server.output()
    expected = unserved(load_spec(ROOT / "app.sq").declared_features())
    for declared in expected:  # each once, however many uvicorn workers start
        assert output.count(declared.not_served_line()) == 1, output
    assert output.count("not served yet:") == len(expected), output


def test_pages_render_in_a_browser(server: Server, tmp_path: Path) -> None:
    landing = chromium(tmp_path / "profile", "--dump-dom", server.base + "/")
    assert ">Security operations in one place</h1>" in landing
    assert 'href="/login"' in landing


def test_the_dashboard_sends_a_visitor_to_sign_in(server: Server, tmp_path: Path) -> None:
    dom = chromium(tmp_path / "profile", "--dump-dom", server.base + "/dashboard")
    assert "<h1>Sign in to SentinelIQ</h1>" in dom
    assert 'action="/auth/login"' in dom


def test_a_page_renders_to_pixels(server: Server, tmp_path: Path) -> None:
    shot = tmp_path / "landing.png"
    chromium(
        tmp_path / "profile", f"--screenshot={shot}", "--window-size=1024,640", server.base + "/"
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 5_000  # text was drawn, not a blank page


# ------------------------------------------------------------------ who sees what
#
# Signed in through the real auth routes (sign up, the mailed link, log in), members by
# the real invitation flow; the pages are read and posted to as a browser would (the
# session cookie, the page's CSRF cookie and token, a same-origin Origin).

PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def app(tmp_path: Path, sentineliq_db: str, smtp: SmtpServer) -> object:
    port = free_port()
    env = {
        "DATABASE_URL": sentineliq_db,
        **SENTINELIQ_TEST_ENV,
        "APP_URL": f"http://127.0.0.1:{port}",
        **smtp.env(),
    }
    with running(
        "start", "--project", str(ROOT), "--port", str(port), cwd=tmp_path, port=port, env=env
    ) as server:
        server.wait_for("/api/health")
        yield server


def mailed_token(smtp: SmtpServer, address: str, path: str) -> str:
    import re
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for received in reversed(list(smtp.inbox.received)):
            if address in str(received.message["To"]):
                body = received.message.get_body(preferencelist=("plain",))
                found = re.search(re.escape(path) + r"\?token=([\w\-%]+)", body.get_content())
                if found:
                    return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no {path} mail to {address}")


class Browser:
    """An httpx client that keeps cookies and posts forms like a browser does."""

    def __init__(self, server: Server) -> None:
        import httpx

        self.base = server.base
        self.http = httpx.Client(base_url=server.base, timeout=10, follow_redirects=False)
        self.token: str | None = None

    def get(self, path: str) -> Any:
        answer = self.http.get(path)
        # The cookies are Secure (production settings); Chromium sends them to 127.0.0.1,
        # httpx only over https: keep them as plain cookies of this test's jar.
        for cookie in list(self.http.cookies.jar):
            if cookie.secure:
                self.http.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
                self.http.cookies.set(cookie.name, cookie.value or "")
        return answer

    def form(self, path: str, fields: dict[str, str]) -> Any:
        """POST ``fields`` to the form api at ``path`` with a CSRF token from a page (any
        page sets the cookie and signs it; it is good for two hours, so read once)."""
        if self.token is None:
            page_html = self.get("/status").text
            found = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
            assert found, page_html[:500]
            self.token = found.group(1)
        return self.http.post(
            path, data={"csrf_token": self.token, **fields}, headers={"Origin": self.base}
        )


def signed_in(server: Server, smtp: SmtpServer, email: str) -> Browser:
    browser = Browser(server)
    made = browser.http.post("/auth/email/signup", json={"email": email, "password": PASSWORD})
    assert made.status_code in (200, 201), made.text
    token = mailed_token(smtp, email, "/email-verification")
    assert browser.http.post("/auth/email/verify-email", json={"token": token}).status_code == 200
    login = browser.http.post("/auth/email/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    browser.http.cookies.set("sentinel_session", login.json()["sessionId"])
    return browser


def workspace_with(
    server: Server, smtp: SmtpServer, **roles: str
) -> tuple[str, dict[str, Browser]]:
    """Ada's workspace with a member of each given role: {"grace": "VIEWER", ...}."""
    ada = signed_in(server, smtp, "ada@example.com")
    made = ada.form("/forms/onboarding", {"name": "Acme Security"})
    assert made.status_code == 303, made.text
    workspace_id = ada.get("/dashboard").text.split("/workspaces/", 1)[1].split("/", 1)[0]
    people = {"ada": ada}
    for name, role in roles.items():
        email = f"{name}@example.com"
        invited = ada.form(
            f"/forms/workspaces/{workspace_id}/settings",
            {"action": "invite", "email": email, "role": role},
        )
        assert invited.status_code == 303, invited.text
        person = signed_in(server, smtp, email)
        token = mailed_token(smtp, email, "/invitations/accept")
        accepted = person.form("/forms/accept-invitation", {"token": token})
        assert accepted.status_code == 303, accepted.text
        people[name] = person
    return workspace_id, people


ADMIN_CONTROLS = (
    'id="invite-form"',
    'class="inline-form role-form"',
    'class="inline-form remove-form"',
    'id="save-allowlist"',
    'id="save-two-factor"',
    'id="general-form"',
    'id="delete-form"',
    'id="transfer-form"',
)


def test_a_stranger_gets_404_on_every_workspace_page_and_form(
    app: Server, smtp: SmtpServer
) -> None:
    workspace_id, _ = workspace_with(app, smtp)
    eve = signed_in(app, smtp, "eve@example.com")
    for path in ("settings", "audit", "audit/export?format=csv"):
        answer = eve.get(f"/workspaces/{workspace_id}/{path}")
        assert answer.status_code == 404, (path, answer.status_code)
        assert "Acme Security" not in answer.text
    # A workspace that does not exist looks the same.
    missing = eve.get("/workspaces/00000000-0000-0000-0000-000000000000/settings")
    assert missing.status_code == 404 and "Not found" in missing.text
    # Her forms are refused the same way, and change nothing.
    posted = eve.form(
        f"/forms/workspaces/{workspace_id}/settings",
        {"action": "invite", "email": "mallory@example.com", "role": "ADMIN"},
    )
    assert posted.status_code == 404
    assert not [m for m in smtp.inbox.received if "mallory" in str(m.message["To"])]
    switched = eve.form("/forms/switch-workspace", {"workspaceId": workspace_id})
    assert switched.status_code == 404


def test_a_viewer_sees_no_admin_controls_and_cannot_post_them(
    app: Server, smtp: SmtpServer
) -> None:
    workspace_id, people = workspace_with(app, smtp, grace="VIEWER", alan="ADMIN")
    grace, alan, ada = people["grace"], people["alan"], people["ada"]

    settings = grace.get(f"/workspaces/{workspace_id}/settings")
    assert settings.status_code == 200
    assert 'id="my-role">VIEWER<' in settings.text
    assert "grace@example.com" in settings.text  # she sees who the members are
    for control in ADMIN_CONTROLS:
        assert control not in settings.text, control
    assert 'id="security"' not in settings.text and 'id="invitations"' not in settings.text
    dashboard = grace.get("/dashboard")
    assert 'id="recent-events"' not in dashboard.text and "/audit" not in dashboard.text
    assert grace.get(f"/workspaces/{workspace_id}/audit").status_code == 403

    # A hand-made post of a hidden control is refused by the service, and sends nothing.
    mails = len(smtp.inbox.received)
    forged = grace.form(
        f"/forms/workspaces/{workspace_id}/settings",
        {"action": "invite", "email": "mallory@example.com", "role": "MEMBER"},
    )
    assert forged.status_code == 403
    assert len(smtp.inbox.received) == mails

    # An admin has the member controls but not the owner's.
    admin_page = alan.get(f"/workspaces/{workspace_id}/settings").text
    assert 'id="invite-form"' in admin_page and 'id="general-form"' in admin_page
    assert 'id="save-allowlist"' not in admin_page and 'id="delete-form"' not in admin_page
    assert 'id="save-two-factor"' not in admin_page  # the 2FA policy is the owner's
    assert alan.get(f"/workspaces/{workspace_id}/audit").status_code == 200

    # The owner sees everything, and her role change of Grace lands in the audit log.
    owner_page = ada.get(f"/workspaces/{workspace_id}/settings").text
    for control in ADMIN_CONTROLS:
        assert control in owner_page, control
    grace_id = owner_page.split('data-user="grace@example.com"', 1)[1]
    grace_id = grace_id.split('name="userId" value="', 1)[1].split('"', 1)[0]
    changed = ada.form(
        f"/forms/workspaces/{workspace_id}/settings",
        {"action": "role", "userId": grace_id, "role": "MEMBER"},
    )
    assert changed.status_code == 303
    audit = ada.get(f"/workspaces/{workspace_id}/audit?action=MEMBER_ROLE_CHANGED")
    assert audit.status_code == 200 and audit.text.count("MEMBER_ROLE_CHANGED</span>") == 1
    export = ada.get(
        f"/workspaces/{workspace_id}/audit/export?format=csv&action=MEMBER_ROLE_CHANGED"
    )
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "MEMBER_ROLE_CHANGED" in export.text


def test_forms_need_the_page_token_and_this_origin(app: Server, smtp: SmtpServer) -> None:
    workspace_id, people = workspace_with(app, smtp)
    ada = people["ada"]
    path = f"/workspaces/{workspace_id}/settings"
    no_token = ada.http.post(
        "/forms" + path,
        data={"action": "general", "name": "Hijacked"},
        headers={"Origin": ada.base},
    )
    assert no_token.status_code == 403
    html = ada.get(path).text
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    cross_site = ada.http.post(
        "/forms" + path,
        data={"csrf_token": token, "action": "general", "name": "Hijacked"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403
    assert "Hijacked" not in ada.get(path).text
    # A refused change is rolled back whole: a bad allowlist entry saves nothing.
    bad = ada.form("/forms" + path, {"action": "allowlist", "entries": "10.0.0.0/8\nnot-an-ip"})
    assert bad.status_code == 400 and "entries.1: is not in the expected form" in bad.text
    assert "10.0.0.0/8" in bad.text  # what she typed is kept in the form
    assert "10.0.0.0/8" not in ada.get(path).text.split('id="allowlist-entries"', 1)[1][:200]


def test_the_forms_do_what_they_say(app: Server, smtp: SmtpServer) -> None:
    workspace_id, people = workspace_with(app, smtp, grace="MEMBER")
    ada, grace = people["ada"], people["grace"]
    settings = f"/workspaces/{workspace_id}/settings"

    # A refusal is shown next to its form, with the service's status and words.
    again = ada.form(
        "/forms" + settings, {"action": "invite", "email": "grace@example.com", "role": "VIEWER"}
    )
    assert again.status_code == 409
    assert "already belongs to a member" in again.text
    assert 'value="grace@example.com"' in again.text  # what she typed stays
    bad_role = ada.form(
        "/forms" + settings, {"action": "invite", "email": "x@example.com", "role": "OWNER"}
    )
    assert bad_role.status_code == 400

    renamed = ada.form(
        "/forms" + settings, {"action": "general", "name": "Acme SecOps", "description": ""}
    )
    assert renamed.status_code == 303 and renamed.headers["location"].endswith("#general")
    assert 'id="dashboard-title">Acme SecOps<' in ada.get("/dashboard").text
    timeout = ada.form("/forms" + settings, {"action": "timeout", "sessionTimeoutMins": "15"})
    assert timeout.status_code == 303
    assert 'name="sessionTimeoutMins" type="number" min="5" max="1440" required value="15"' in (
        ada.get(settings).text
    )

    # Profile, notification preferences, a second workspace and switching between them.
    profile = ada.form("/forms/account", {"displayName": "Ada Lovelace", "jobTitle": "CISO"})
    assert profile.status_code == 303
    account = ada.get("/account").text
    assert 'value="Ada Lovelace"' in account and 'value="CISO"' in account
    prefs = ada.form(
        "/forms/notifications",
        {
            "action": "preferences",
            "inAppEnabled": "on",
            "digestFrequency": "DAILY",
            "digestTime": "07:30",
        },
    )
    assert prefs.status_code == 303
    page = ada.get("/notifications").text
    assert '<option value="DAILY" selected>' in page and 'value="07:30"' in page
    assert 'name="emailEnabled" id="pref-email" checked' not in page
    mailed = ada.get("/notifications/preferences")  # the link in notification mails
    assert mailed.status_code == 303 and mailed.headers["location"] == "/notifications#preferences"
    bad_time = ada.form(
        "/forms/notifications",
        {"action": "preferences", "inAppEnabled": "on", "dndStartTime": "25:00"},
    )
    assert bad_time.status_code == 400 and "dndStartTime" in bad_time.text

    # The FREE plan's workspace quota is said on the onboarding page itself.
    over = ada.form("/forms/onboarding", {"name": "Second Team"})
    assert over.status_code == 403 and 'id="onboarding-form"' in over.text

    # Grace belongs to Acme and makes a workspace of her own: the header offers both,
    # and switching changes what the dashboard shows.
    assert grace.form("/forms/onboarding", {"name": "Grace Lab"}).status_code == 303
    picker = grace.get("/account").text.split('id="switch-workspace"', 1)[1].split("</select>")[0]
    assert "Grace Lab" in picker and "Acme SecOps" in picker
    for name, role in (("Acme SecOps", "MEMBER"), ("Grace Lab", "OWNER")):
        target = picker.split(f">{name}<", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
        switched = grace.form("/forms/switch-workspace", {"workspaceId": target})
        assert switched.status_code == 303
        # The session cache may hold the user for up to 5 s (docs/auth.md, The cache).
        deadline = time.monotonic() + 8
        while f'id="dashboard-title">{name}<' not in (board := grace.get("/dashboard").text):
            assert time.monotonic() < deadline, board[:300]
            time.sleep(0.5)
        assert f'id="my-role">{role}<' in board


def test_the_audit_log_filters_pages_and_exports(app: Server, smtp: SmtpServer) -> None:
    workspace_id, people = workspace_with(app, smtp, grace="MEMBER")
    ada = people["ada"]
    audit = f"/workspaces/{workspace_id}/audit"
    everything = ada.get(audit).text
    for action in ("WORKSPACE_CREATED", "INVITATION_SENT", "INVITATION_ACCEPTED"):
        assert f"{action}</span>" in everything
    sent = ada.get(audit + "?action=INVITATION_SENT").text
    assert sent.count("<tr>") == 2  # the header and one row
    assert "invited grace@example.com as MEMBER" in sent
    assert '<option value="INVITATION_SENT" selected>' in sent
    unknown = ada.get(audit + "?action=NOT_AN_ACTION")  # as the operation: matches nothing
    assert unknown.status_code == 200 and 'id="no-events"' in unknown.text
    assert ada.get(audit + "?since=yesterday").status_code == 400
    future = ada.get(audit + "?since=2999-01-01").text
    assert 'id="no-events"' in future

    # More than a page (within the named rate limits): renames, invitations, revocations.
    settings = f"/workspaces/{workspace_id}/settings"
    for i in range(25):
        assert (
            ada.form("/forms" + settings, {"action": "general", "name": f"Acme {i}"}).status_code
            == 303
        )
    for i in range(15):  # one at a time: pending invitations take seats (3 on FREE)
        email = f"analyst{i}@example.com"
        invited = ada.form(
            "/forms" + settings, {"action": "invite", "email": email, "role": "VIEWER"}
        )
        assert invited.status_code == 303, invited.text
        pending = re.findall(r'name="invitationId" value="([^"]+)"', ada.get(settings).text)
        assert len(pending) == 1
        revoked = ada.form("/forms" + settings, {"action": "revoke", "invitationId": pending[0]})
        assert revoked.status_code == 303
    first = ada.get(audit).text
    assert first.count("<tr>") == 51
    link = re.search(r'<a href="(\?[^"]+)" id="next-page"', first)
    assert link is not None
    second = ada.get(audit + html.unescape(link.group(1))).text
    rows = 50 + second.count("<tr>") - 1
    assert (
        rows >= 3 + 25 + 15 + 15 and 'id="next-page"' not in second and 'id="first-page"' in second
    )
    whole = ada.get(f"/workspaces/{workspace_id}/audit/export?format=json").json()
    assert len(whole) == rows  # the pages saw every row once
    # Filtered export, and the exports themselves are on the record.
    export = ada.get(
        f"/workspaces/{workspace_id}/audit/export?format=json&action=WORKSPACE_UPDATED"
    )
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    assert len(export.json()) == 25
    # The export itself is on the record.
    assert "DATA_EXPORTED</span>" in ada.get(audit + "?action=DATA_EXPORTED").text


def test_every_event_type_the_services_emit_can_be_turned_off() -> None:
    """The preferences list names each event type as the code emits it (a renamed event
    would otherwise stay on for everyone who turned it off)."""
    import re as regex

    from src.client.pages.notifications import EVENT_TYPES

    emitted = set()
    for path in (ROOT / "src" / "core").rglob("*.py"):
        text = path.read_text()
        # The event argument may be a conditional: every literal in it counts.
        for call in regex.finditer(r"await (?:emit|publish)\(\s*context,\s*(.+?),\s*\n", text):
            emitted.update(regex.findall(r"\"([a-z][a-z_.]+)\"", call.group(1)))  # not enums
    assert emitted and emitted == set(EVENT_TYPES)
