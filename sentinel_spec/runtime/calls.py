"""How the runtime calls user code: authenticate, open the unit of work, build the
context, run sync functions in the thread pool, and turn every failure into JSON.

``RuntimeState`` is the per-app state every endpoint closes over; it is also stored on
``app.state.sentinel`` so later features (auth, jobs, realtime, email) can plug in:
auth replaces ``authenticate``; the others fill ``jobs`` / ``realtime`` / ``email``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sentinel_spec.runtime.context import Context, DatabaseLike, Entities, SessionScopeLike
from sentinel_spec.runtime.declarations import AppDecl, UserFn
from sentinel_spec.runtime.errors import HttpError, exception_response
from sentinel_spec.runtime.observability import current_request_id
from sentinel_spec.runtime.settings import Settings

Authenticate = Callable[[Request], Awaitable[Any]]
Endpoint = Callable[[Request], Awaitable[Response]]


async def no_user(request: Request) -> None:
    """The ``authenticate`` hook until auth exists: nobody is signed in."""
    return None


@dataclass
class RuntimeState:
    decl: AppDecl
    settings: Settings
    database: DatabaseLike | None = None
    authenticate: Authenticate = no_user
    jobs: Any = None
    realtime: Any = None
    email: Any = None

    async def user_for(self, request: Request, required: bool) -> Any:
        """The signed-in user, or None; 401 when ``required`` and nobody is signed in."""
        user = await self.authenticate(request)
        if user is None:
            if required:
                raise HttpError(401)
        else:  # for the access log line
            request.scope.setdefault("state", {})["user_id"] = getattr(user, "id", None)
        return user

    def unit_of_work(self) -> AbstractAsyncContextManager[SessionScopeLike | None]:
        """The database scope of one call, or None when the app has no database."""
        if self.database is None:
            return nullcontext()
        return self.database.scope()

    def context(
        self,
        request: Request | None,
        owner: str,
        entities: Mapping[str, type],
        user: Any,
        scope: SessionScopeLike | None,
    ) -> Context:
        request_id = current_request_id()
        if request_id is None and request is not None:
            request_id = request.scope.get("state", {}).get("request_id")
        return Context(
            request=request,
            request_id=request_id,
            entities=Entities(owner, entities),
            user=user,
            scope=scope,
            jobs=self.jobs,
            realtime=self.realtime,
            email=self.email,
        )


def is_async_callable(fn: UserFn) -> bool:
    target = fn
    while hasattr(target, "func"):  # functools.partial
        target = target.func
    return inspect.iscoroutinefunction(target) or inspect.iscoroutinefunction(
        getattr(target, "__call__", None)  # noqa: B004 - callable objects with async __call__
    )


async def call_user(fn: UserFn, is_async: bool, *args: Any) -> Any:
    """Await async functions; run sync ones in the thread pool so the loop never blocks."""
    if is_async:
        return await fn(*args)
    result = await run_in_threadpool(fn, *args)
    if inspect.isawaitable(result):
        result = await result
    return result


def guarded(where: str, handler: Endpoint) -> Endpoint:
    """Every error a handler raises becomes the JSON error response (500s logged)."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Exception as error:
            return exception_response(error, where)

    endpoint.__name__ = handler.__name__
    endpoint.__qualname__ = handler.__qualname__
    return endpoint
