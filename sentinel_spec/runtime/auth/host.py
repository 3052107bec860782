"""What the auth feature needs from the app it is installed in (``install`` adapts the
runtime's state to it): units of work, the mailer, the rate limiter, hook contexts."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from starlette.requests import HTTPConnection


class ScopeLike(Protocol):
    @property
    def session(self) -> Any: ...


class Host(Protocol):
    def unit_of_work(self) -> AbstractAsyncContextManager[Any]:
        """A unit of work (``.session`` an AsyncSession; committed on a clean exit)."""
        ...

    def mailer(self, scope: Any) -> Any | None:
        """The app's mailer bound to ``scope`` (sends after its commit), or None."""
        ...

    def rate_limiter(self) -> Any | None: ...

    def hook_context(self, conn: HTTPConnection | None, scope: Any, user: Any) -> Any:
        """The ``context`` a hook receives (its ``session`` is the auth call's own)."""
        ...
