"""Stand-ins for features that have not landed, plugged in through the real entry point
(``create_app(..., features=[...])``, an ``install(builder)`` like every feature's).

Only the authenticator: unit tests (no database, so no real sessions) give the runtime an
``Authenticator`` that reads a test header. Integration tests sign in through the real
auth routes instead (``tests/integration/auth/harness.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from sentinel_spec.runtime.state import AppBuilder, Feature

AuthenticateFn = Callable[[Any], Awaitable[Any]]


class FnAuthenticator:
    """An ``Authenticator`` (runtime/state.py) made of one async function."""

    def __init__(self, fn: AuthenticateFn) -> None:
        self.fn = fn

    async def authenticate(self, conn: Any) -> Any:
        return await self.fn(conn)


def authenticate_with(fn: AuthenticateFn) -> Feature:
    """A feature whose install makes ``fn(request)`` the app's authenticator."""

    def install(builder: AppBuilder) -> None:
        builder.services.authenticator = FnAuthenticator(fn)

    return install


def pretend_unserved(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Mark features of ``contract.features`` as not served yet, so the not-served
    reporting stays testable once every real feature is served."""
    from sentinel_spec.contract import features

    table = dict(features._BY_NAME)
    for name in names:
        table[name] = table[name]._replace(served=False)
    monkeypatch.setattr(features, "_BY_NAME", table)
