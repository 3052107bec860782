"""Helpers: serve an AppDecl in-process (lifespan included) through httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx

from sentinel_spec.contract.declarations import AppDecl
from sentinel_spec.runtime.app import create_app


class FakeScope:
    """The SessionScope interface of runtime/db.py, recording what happened to it."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.opened = False

    @property
    def session(self) -> str:
        self.opened = True
        return "session"


class FakeDatabase:
    """An in-memory stand-in for runtime.db.Database: commit/rollback are logged."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.disposed = False

    def scope(self) -> AbstractAsyncContextManager[FakeScope]:
        return self._scope()

    @asynccontextmanager
    async def _scope(self) -> AsyncIterator[FakeScope]:
        scope = FakeScope(self.log)
        try:
            yield scope
        except BaseException:
            self.log.append("rollback")
            raise
        self.log.append("commit")

    async def ping(self) -> bool:
        return True

    async def dispose(self) -> None:
        self.disposed = True


@asynccontextmanager
async def serve(decl: AppDecl, **options: Any) -> AsyncIterator[httpx.AsyncClient]:
    options.setdefault("environ", {})
    options.setdefault("dotenv", None)
    app = create_app(decl, **options)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details", "requestId"}
    error: dict[str, Any] = body["error"]
    assert error["requestId"] == response.headers["x-request-id"]
    return error
