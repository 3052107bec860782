"""Auth through the real command line: `sentinel db migrate` writes the auth tables into a
revision like any entity's, `sentinel db upgrade` creates them, and `sentinel start`
serves sign-up (the mail goes to a real SMTP server), verification, login and a guarded
operation over HTTP."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from sentinel_spec.runtime.db.urls import libpq_url
from tests.integration.auth.harness import PASSWORD, SECRET_KEY, build_project
from tests.mail_servers import SmtpServer
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET
from tests.servers import free_port, running, sentinel

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

AUTH_TABLES = {
    "auth_identities",
    "auth_sessions",
    "auth_refresh_tokens",
    "auth_two_factor",
    "auth_backup_codes",
    "auth_one_time_tokens",
}


def tables(database_url: str) -> set[str]:
    with psycopg.connect(libpq_url(database_url)) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row[0] for row in rows}


def test_migrate_upgrade_start_and_sign_in(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    project = build_project(tmp_path / "project")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "DATABASE_URL": database_url,
        "AUTH_SECRET_KEY": SECRET_KEY,
        "APP_URL": base,
        "GOOGLE_CLIENT_ID": CLIENT_ID,
        "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
        **smtp.env(),
    }
    migrated = sentinel("db", "migrate", "--name", "init", cwd=project, env=env, timeout=120)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    [revision] = (project / "migrations").glob("*_init.py")
    text = revision.read_text()
    for table in AUTH_TABLES:
        assert f'"{table}"' in text, table
    assert not AUTH_TABLES & tables(database_url)  # migrate writes, upgrade applies
    upgraded = sentinel("db", "upgrade", cwd=project, env=env, timeout=120)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert tables(database_url) >= AUTH_TABLES
    status = sentinel("db", "status", "--check", cwd=project, env=env, timeout=90)
    assert status.returncode == 0, status.stdout + status.stderr

    with running("start", "--port", str(port), cwd=project, port=port, env=env) as server:
        server.wait_for("/api/health")
        with httpx.Client(base_url=base, timeout=10) as client:
            signup = client.post(
                "/auth/email/signup", json={"email": "cli@example.com", "password": PASSWORD}
            )
            assert signup.status_code == 201, signup.text
            deadline = time.monotonic() + 15
            while not smtp.inbox.received and time.monotonic() < deadline:
                time.sleep(0.1)
            [mail] = smtp.inbox.received
            body = mail.message.get_body(preferencelist=("plain",)).get_content()
            token = re.search(re.escape(base) + r"/verify\?token=([A-Za-z0-9_\-]+)", body)
            assert token, body
            verified = client.post("/auth/email/verify-email", json={"token": token.group(1)})
            assert verified.status_code == 200, verified.text
            login = client.post(
                "/auth/email/login", json={"email": "cli@example.com", "password": PASSWORD}
            )
            assert login.status_code == 200, login.text
            # `sentinel start` is production: the cookie is Secure.
            assert "secure" in login.headers["set-cookie"].lower()
            bearer = {"Authorization": f"Bearer {login.json()['sessionId']}"}
            who = client.post("/operations/who-am-i", headers=bearer)
            assert who.status_code == 200 and who.json()["email"] == "cli@example.com"
            assert client.post("/operations/who-am-i").status_code == 401
