"""``sentinel email preview`` and ``sentinel email send``, as a subprocess on SentinelIQ."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.mail_servers import smtp_server
from tests.servers import sentinel

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
INCIDENT = json.dumps({"title": "Phishing <wave>", "severity": "HIGH", "incident_id": "7"})


def test_preview_prints_subject_sender_and_both_bodies() -> None:
    done = sentinel("email", "preview", "incident", "--data", INCIDENT, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "From: SentinelIQ <noreply@sentineliq.dev>" in out
    assert "Subject: [HIGH] Phishing <wave>" in out
    assert "----- text/plain -----\n[HIGH] Phishing <wave>" in out
    assert '<h1 style="font-size:20px; margin:0 0 16px;">[HIGH] Phishing &lt;wave&gt;</h1>' in out


def test_preview_of_a_template_missing_data_or_missing_altogether_fails_clearly() -> None:
    undefined = sentinel("email", "preview", "incident", cwd=ROOT)
    assert undefined.returncode == 1 and "'severity' is undefined" in undefined.stderr
    missing = sentinel("email", "preview", "nope", cwd=ROOT)
    assert missing.returncode == 1 and "emails/nope.html and/or emails/nope.txt" in missing.stderr


def test_send_delivers_through_the_configured_smtp_server() -> None:
    with smtp_server() as server:
        done = sentinel(
            "email",
            "send",
            "--to",
            "ada@example.com",
            "--template",
            "welcome",
            "--data",
            json.dumps({"name": "Ada", "workspace": "Acme"}),
            cwd=ROOT,
            env=server.env(),
        )
    assert done.returncode == 0, done.stderr
    assert "sent via smtp" in done.stdout
    (got,) = server.inbox.received
    assert got.message["Subject"] == "Welcome to SentinelIQ, Ada"
    assert got.rcpt_tos == ["ada@example.com"]


def test_send_reports_a_failure_and_its_kind() -> None:
    with smtp_server() as server:
        server.inbox.refuse_rcpt["ada@example.com"] = "550 5.1.1 no such user"
        done = sentinel(
            "email",
            "send",
            "--to",
            "ada@example.com",
            "--text",
            "hi",
            "--subject",
            "s",
            cwd=ROOT,
            env=server.env(),
        )
    assert done.returncode == 1
    assert "not sent via smtp, permanent" in done.stderr and "550" in done.stderr


def test_send_without_the_server_setting_names_the_variable() -> None:
    done = sentinel(
        "email",
        "send",
        "--to",
        "ada@example.com",
        "--text",
        "hi",
        "--subject",
        "s",
        cwd=ROOT,
        env={"SMTP_HOST": "", "SENTINEL_ENV": "production"},
    )
    assert done.returncode == 1
    assert "missing environment variable SMTP_HOST" in done.stderr
