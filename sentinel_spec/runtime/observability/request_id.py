"""The request id of the current call, in a contextvar: set by ``RequestIdMiddleware``, it
follows the request into awaited code and into ``run_in_threadpool`` (which copies the
context), so every log line and error body can carry it."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_request_id: ContextVar[str | None] = ContextVar("sentinel_request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(request_id: str | None) -> Any:
    """Set the id for the current context; returns the token to reset it with."""
    return _request_id.set(request_id)


def reset_request_id(token: Any) -> None:
    _request_id.reset(token)
