"""SentinelIQ itself, served from the repo's committed ``generated/`` on a real database
(``sentineliq_db`` of the root conftest: a copy of a template migrated once a session)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import SENTINELIQ_TEST_ENV
from tests.mail_servers import SmtpServer

ROOT = Path(__file__).resolve().parents[3]


def _purge() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in ("generated", "src"):
            del sys.modules[name]


@pytest.fixture
def sentineliq(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """SentinelIQ's ``generated.server``, imported fresh from the repo root."""
    _purge()
    monkeypatch.syspath_prepend(str(ROOT))
    import generated.server

    try:
        yield generated.server
    finally:
        _purge()


class Users:
    """Signed-in users made through SentinelIQ's real auth routes: sign up, read the
    verification mail from the SMTP server (aiosmtpd), follow its link, log in."""

    PASSWORD = "Sentinel-test-pass-1"

    def __init__(self, client: httpx.AsyncClient, smtp: Any, url: str) -> None:
        self.client = client
        self.smtp = smtp
        self.url = url  # the test database

    async def user_id(self, headers: dict[str, str]) -> str:
        me = await self.client.get("/auth/me", headers=headers)
        assert me.status_code == 200, me.text
        return str(me.json()["id"])

    async def _verification_token(self, email: str) -> str:
        import re

        for _ in range(200):
            for received in list(self.smtp.inbox.received):
                if email in received.rcpt_tos:
                    text = received.message.get_body(preferencelist=("plain",)).get_content()
                    found = re.search(r"/email-verification\?token=([A-Za-z0-9_\-]+)", text)
                    if found:  # other mails (an invitation sent first) are not it
                        return found.group(1)
            await asyncio.sleep(0.05)
        raise AssertionError(f"no verification mail for {email}")

    async def create(self, email: str) -> dict[str, str]:
        """A verified user; returns the headers that sign in as that user."""
        signup = await self.client.post(
            "/auth/email/signup", json={"email": email, "password": self.PASSWORD}
        )
        assert signup.status_code == 201, signup.text
        token = await self._verification_token(email)
        verified = await self.client.post("/auth/email/verify-email", json={"token": token})
        assert verified.status_code == 200, verified.text
        login = await self.client.post(
            "/auth/email/login", json={"email": email, "password": self.PASSWORD}
        )
        assert login.status_code == 200, login.text
        return {"Authorization": f"Bearer {login.json()['sessionId']}"}


@pytest.fixture
async def app_and_users(
    sentineliq: ModuleType, sentineliq_db: str, smtp: SmtpServer
) -> AsyncIterator[tuple[httpx.AsyncClient, Users]]:
    from sentinel_spec.runtime.app import create_app

    # The generated APP, with the test database and SMTP server instead of the
    # process environment; users sign in through the real auth routes.
    environ = {"DATABASE_URL": sentineliq_db, **SENTINELIQ_TEST_ENV, **smtp.env()}
    app = create_app(sentineliq.APP, environ=environ, dotenv=None)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, Users(client, smtp, sentineliq_db)
