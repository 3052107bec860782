"""SentinelIQ's pages in a real browser: headless Chromium against ``sentinel start``.

Chromium (Debian's ``chromium``) loads each page over real HTTP, follows redirects and
runs the page under the server's real security headers (CSP included); the test reads
back the DOM Chromium built and a screenshot it rendered.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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
