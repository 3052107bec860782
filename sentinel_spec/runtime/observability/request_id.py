"""The current request id: kept for importers; the whole request context (request id, user
id, workspace id) lives in ``observability.context``."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime.observability import context


def current_request_id() -> str | None:
    return context.current_request_id()


def set_request_id(request_id: str | None) -> Any:
    """Open a request context with this id; returns the token to reset it with."""
    return context.begin(request_id)


def reset_request_id(token: Any) -> None:
    context.end(token)
