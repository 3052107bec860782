"""The auth test app (``project/``) built by the real compiler and served by its generated
``APP`` on a fresh PostgreSQL database, with a real SMTP server (aiosmtpd) receiving its
mail and the loopback OIDC provider standing in for Google.

Sessions come from the real routes: ``signed_up_and_verified`` signs up through
``/auth/email/signup``, reads the verification mail from the SMTP server and follows
its link, like a person would.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import sqlalchemy as sa

import sentinel_spec
from tests.mail_servers import SmtpServer, smtp_server
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, oidc_provider

PROJECT = Path(__file__).parent / "project"
SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnop"
BASE_URL = "https://testserver"
PASSWORD = "Correct-horse-9"


def purge_app_modules() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in ("generated", "src"):
            del sys.modules[name]


def build_project(root: Path) -> Path:
    shutil.copytree(PROJECT, root, dirs_exist_ok=True)
    result = sentinel_spec.build(root / "app.sq")
    assert result.spec is not None
    return root


@contextmanager
def imported_server(project: Path) -> Iterator[ModuleType]:
    """``generated.server`` of ``project``, imported fresh (and forgotten afterwards)."""
    purge_app_modules()
    sys.path.insert(0, str(project))
    try:
        import generated.server

        yield generated.server
    finally:
        sys.path.remove(str(project))
        purge_app_modules()


@dataclass
class AuthApp:
    app: Any
    module: ModuleType
    smtp: SmtpServer
    provider: Provider
    database_url: str
    environ: dict[str, str]
    seen_mail: int = 0
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, ip: str = "198.51.100.7", **headers: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))
        client = httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=headers, follow_redirects=False
        )
        self.clients.append(client)
        return client

    # ------------------------------------------------------------ mail

    async def mails_to(self, address: str, count: int = 1, timeout: float = 10) -> list[Any]:
        """The messages the SMTP server received for ``address`` (waits for ``count``)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = [r.message for r in list(self.smtp.inbox.received) if address in r.rcpt_tos]
            if len(found) >= count:
                return found
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{count} mail(s) for {address} not received: {found}")
            await asyncio.sleep(0.05)

    async def last_link(self, address: str, path: str, count: int = 1) -> str:
        """The token of the ``path`` link in the ``count``-th mail to ``address``."""
        message = (await self.mails_to(address, count))[count - 1]
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        pattern = re.escape(BASE_URL + path) + r"\?token=([A-Za-z0-9_\-%]+)"
        in_text = re.search(pattern, text)
        in_html = re.search(pattern, html)
        assert in_text and in_html, (text, html)
        assert in_text.group(1) == in_html.group(1)
        return in_text.group(0)

    @staticmethod
    def token_of(link: str) -> str:
        return parse_qs(urlparse(link).query)["token"][0]

    # ------------------------------------------------------------ database

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        engine = self._engine()
        try:
            async with engine.connect() as conn:
                return list((await conn.execute(sa.text(sql), params)).all())
        finally:
            await engine.dispose()

    async def execute(self, sql: str, **params: Any) -> None:
        engine = self._engine()
        try:
            async with engine.begin() as conn:
                await conn.execute(sa.text(sql), params)
        finally:
            await engine.dispose()

    def _engine(self) -> Any:
        from sqlalchemy.ext.asyncio import create_async_engine

        return create_async_engine(self.database_url)

    # ------------------------------------------------------------ flows

    async def sign_up(
        self, client: httpx.AsyncClient, email: str, password: str = PASSWORD, **fields: Any
    ) -> httpx.Response:
        return await client.post(
            "/auth/email/signup", json={"email": email, "password": password, **fields}
        )

    async def signed_up_and_verified(
        self, client: httpx.AsyncClient, email: str, password: str = PASSWORD, **fields: Any
    ) -> None:
        before = len(await self.mails_to(email, 0))
        answer = await self.sign_up(client, email, password, **fields)
        assert answer.status_code == 201, answer.text
        link = await self.last_link(email, "/verify", before + 1)
        verified = await client.post(
            "/auth/email/verify-email", json={"token": self.token_of(link)}
        )
        assert verified.status_code == 200, verified.text

    async def login(
        self, client: httpx.AsyncClient, email: str, password: str = PASSWORD, **more: Any
    ) -> httpx.Response:
        return await client.post(
            "/auth/email/login", json={"email": email, "password": password, **more}
        )

    async def session_for(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        """Sign up, verify, log in; the login body (sessionId, refreshToken, user)."""
        client = self.client()
        await self.signed_up_and_verified(client, email, password)
        answer = await self.login(client, email, password)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body


def environ_for(
    database_url: str, smtp: SmtpServer, provider: Provider, **more: str
) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "AUTH_SECRET_KEY": SECRET_KEY,
        "APP_URL": BASE_URL,
        "SENTINEL_ENV": "production",
        "GOOGLE_CLIENT_ID": CLIENT_ID,
        "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
        "GOOGLE_DISCOVERY_URL": provider.discovery_url,
        "EMAIL_RETRY_BASE_SECONDS": "0.05",
        **smtp.env(),
        **more,
    }


@asynccontextmanager
async def serve(project: Path, database_url: str, **more_environ: str) -> AsyncIterator[AuthApp]:
    from sqlalchemy.ext.asyncio import create_async_engine

    from sentinel_spec.runtime.app import create_app

    with smtp_server() as smtp, oidc_provider() as provider, imported_server(project) as module:
        engine = create_async_engine(database_url)
        async with engine.begin() as conn:
            await conn.run_sync(module.APP.metadata.create_all)
        await engine.dispose()
        environ = environ_for(database_url, smtp, provider, **more_environ)
        app = create_app(module.APP, environ=environ, dotenv=None)
        harness = AuthApp(app, module, smtp, provider, database_url, environ)
        async with app.router.lifespan_context(app):
            try:
                yield harness
            finally:
                for client in harness.clients:
                    await client.aclose()


@dataclass
class LiveApp:
    """The test app behind a real uvicorn on loopback (for the browser)."""

    base: str
    smtp: SmtpServer
    provider: Provider
    database_url: str

    def mails_to(self, address: str, count: int = 1, timeout: float = 10) -> list[Any]:
        import time

        deadline = time.monotonic() + timeout
        while True:
            found = [r.message for r in list(self.smtp.inbox.received) if address in r.rcpt_tos]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} mail(s) for {address} not received")
            time.sleep(0.05)

    def link(self, address: str, path: str, count: int = 1) -> str:
        message = self.mails_to(address, count)[count - 1]
        text = message.get_body(preferencelist=("plain",)).get_content()
        found = re.search(re.escape(self.base + path) + r"\?token=[A-Za-z0-9_\-%]+", text)
        assert found, text
        return found.group(0)


@contextmanager
def live_server(project: Path, database_url: str, **more_environ: str) -> Iterator[LiveApp]:
    import threading
    import time

    import uvicorn
    from sqlalchemy import create_engine

    from sentinel_spec.runtime.app import create_app
    from tests.servers import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with smtp_server() as smtp, oidc_provider() as provider, imported_server(project) as module:
        engine = create_engine(database_url)
        module.APP.metadata.create_all(engine)
        engine.dispose()
        environ = environ_for(database_url, smtp, provider, APP_URL=base, **more_environ)
        app = create_app(module.APP, environ=environ, dotenv=None)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the live test server did not start")
            time.sleep(0.05)
        try:
            yield LiveApp(base, smtp, provider, database_url)
        finally:
            server.should_exit = True
            thread.join(timeout=15)
