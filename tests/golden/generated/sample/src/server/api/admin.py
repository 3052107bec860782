"""Apis under /api/admin, whose namespace adds its own middleware."""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware

from src.server.setup import HeaderMiddleware


def admin_stats(request: Any, context: Any) -> dict[str, int]:
    return {"tasks": 0}


def admin_middleware(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    stack["admin"] = Middleware(HeaderMiddleware, name="X-Admin", value="namespace")
    return stack
