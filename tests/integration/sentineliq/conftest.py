"""SentinelIQ itself, served from the repo's committed ``generated/`` on a real database
(``sentineliq_db`` of the root conftest: a copy of a template migrated once a session)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.mail_servers import SmtpServer
from tests.stand_ins import authenticate_with

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
    """Signed-in users for tests: auth is not built yet, so the runtime's
    authenticator is a stand-in (tests/stand_ins.py) that reads an ``X-Test-User`` header."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.by_token: dict[str, Any] = {}

    async def authenticate(self, request: Any) -> Any:
        return self.by_token.get(request.headers.get("x-test-user", ""))

    async def create(self, email: str) -> dict[str, str]:
        """A user row; returns the headers that sign in as that user."""
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        from generated.models import User

        engine = create_async_engine(self.url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                user = User(email=email)
                session.add(user)
                await session.commit()
        finally:
            await engine.dispose()
        token = uuid.uuid4().hex
        self.by_token[token] = user
        return {"x-test-user": token}


@pytest.fixture
async def app_and_users(
    sentineliq: ModuleType, sentineliq_db: str, smtp: SmtpServer
) -> AsyncIterator[tuple[httpx.AsyncClient, Users]]:
    from sentinel_spec.runtime.app import create_app

    # The generated APP, with the test database and SMTP server instead of the
    # process environment.
    users = Users(sentineliq_db)
    app = create_app(
        sentineliq.APP,
        environ={"DATABASE_URL": sentineliq_db, **smtp.env()},
        dotenv=None,
        features=[authenticate_with(users.authenticate)],
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, users
