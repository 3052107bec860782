"""How the runtime calls user code: sync functions in the thread pool, async ones awaited,
and every failure a handler raises turned into the JSON error response."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sentinel_spec.contract.declarations import UserFn
from sentinel_spec.runtime.errors import exception_response

Endpoint = Callable[[Request], Awaitable[Response]]


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
